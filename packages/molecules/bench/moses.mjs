// Trains a small SMILES VAE on MOSES (a seeded 10,000 of test.csv.gz held out) for a bounded time, samples 10,000
// molecules from the prior and prints the MOSES metrics next to the goals and the MOSES VAE anchor, then the
// design report for 1,000 designed vs 1,000 prior molecules per property.
//
//   nice -n 10 node bench/moses.mjs [--minutes 5] [--run bench/runs/moses] [--samples 10000] [--design 1000]
//                                   [--hidden 256] [--latent 64] [--batch 128] [--seed 1] [--data-dir DIR]
//
// The run folder keeps the training checkpoint: running again with the same --run continues training from it for
// another --minutes (0: only evaluate the checkpoint).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadChemistry } from '@latentkit/chem';
import { Rng, initEngine, tf } from '@latentkit/core';
import { resolveDataSpec } from '@latentkit/data';
import { createModel, resumeTraining, train } from '@latentkit/models';
import {
  fitPropertyHead,
  formatMetricsTable,
  formatOptimizeReport,
  formatPropertyTable,
  moleculeReport,
  moses,
  optimizeMolecules,
  sampleSmiles,
  smilesVae,
  writeMoleculeReport,
} from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    run: { type: 'string', default: path.join(import.meta.dirname, 'runs', 'moses') },
    samples: { type: 'string', default: '10000' },
    design: { type: 'string', default: '1000' },
    hidden: { type: 'string', default: '256' },
    latent: { type: 'string', default: '64' },
    batch: { type: 'string', default: '128' },
    seed: { type: 'string', default: '1' },
    'data-dir': { type: 'string', default: process.env.LATENTKIT_DATA_DIR ?? '/work/shared/data' },
  },
});
const minutes = Number(args.minutes);
const seed = Number(args.seed);
const runDir = path.resolve(args.run);
const checkpointDir = path.join(runDir, 'checkpoint');
const t0 = performance.now();
const since = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const log = (line) => console.log(`[${since()}] ${line}`);

const engine = await initEngine({ backend: 'auto' });
log(`backend ${engine.backend} (${engine.threads} threads)`);
const chem = await loadChemistry();
const spec = resolveDataSpec({ name: 'moses', dir: args['data-dir'], seed, validFraction: 2000 / 166074 });
const data = await moses.load(spec);
log(`MOSES: ${data.counts.train} train, ${data.counts.valid} valid, ${data.counts.test} held out; ${data.shape.vocabulary.length} tokens`);

const batchSize = Number(args.batch);
const controller = new AbortController();
const options = {
  train: data.trainData(batchSize, seed),
  valid: data.valid(500),
  checkpointDir,
  logFile: path.join(runDir, 'log.jsonl'),
  handleSigint: true,
  progress: false,
  signal: controller.signal,
  onLog: (r) => {
    if (r.type === 'step' && r.step % 100 === 0) log(`step ${r.step}: loss ${JSON.stringify(r).slice(0, 200)}`);
    else if (r.type !== 'step') log(JSON.stringify(r).slice(0, 240));
  },
};
mkdirSync(runDir, { recursive: true });
const timer = setTimeout(() => controller.abort(), minutes * 60_000);
let result;
if (existsSync(checkpointDir)) {
  log(`continuing ${checkpointDir} for ${minutes} min`);
  result = minutes > 0 ? await resumeTraining(checkpointDir, options) : undefined;
} else {
  const model = createModel(
    {
      kind: 'smilesVae',
      ...smilesVae.fromData(data.shape),
      hiddenDim: Number(args.hidden),
      embeddingDim: 32,
      dropout: 0,
      bottleneck: { kind: 'gaussian', latentDim: Number(args.latent), klSchedule: { kind: 'linear', warmupSteps: 3000 } },
    },
    { seed },
  );
  log(`training a new model for ${minutes} min`);
  result = await train(model, { seed, epochs: 1000, checkpointSeconds: 120, clipNorm: 5 }, options);
}
clearTimeout(timer);
let model = result?.model;
if (!model) {
  const { loadModel } = await import('@latentkit/models');
  model = loadModel(checkpointDir);
}
if (result) log(`training stopped (${result.stopped}) at step ${result.state.step}, epoch ${result.state.epoch} + ${result.state.offset} batches`);

const nSamples = Number(args.samples);
const samples = sampleSmiles(model, nSamples, Rng.fromSeed(`bench-samples:${seed}`), { temperature: 1 });
writeFileSync(path.join(runDir, 'samples.smi'), `${samples.join('\n')}\n`);
log(`sampled ${nSamples} SMILES from the prior`);
const report = moleculeReport(chem, samples, data.molecules);
log('metrics computed');

const heads = {};
const fits = [];
for (const property of ['solubility', 'toxicity']) {
  const fitted = await fitPropertyHead(model, property, args['data-dir'], { seed });
  heads[property] = fitted.head;
  fits.push(
    `${property} head: ${fitted.molecules} molecules encoded (${fitted.dropped} with tokens outside the vocabulary left out); held-out ${JSON.stringify(fitted.head.validation)}`,
  );
  fitted.head.save(path.join(runDir, `head-${property}.json`));
}
log('heads fitted');
const designs = [];
for (const property of ['solubility', 'toxicity']) {
  const r = optimizeMolecules(chem, model, heads, { property, n: Number(args.design), steps: 100, trustRadius: 2, seed, train: data.molecules.train });
  writeFileSync(path.join(runDir, `designed-${property}.smi`), `${r.designed.join('\n')}\n`);
  designs.push(formatOptimizeReport(r));
}
writeMoleculeReport(chem, runDir, samples, report, [...fits, ...designs]);
log('done');

const step = result?.state.step ?? 'checkpoint';
console.log(
  `\nSMILES VAE (LSTM ${args.hidden}, Gaussian latent ${args.latent}), ${step} steps of batch ${batchSize}, ${minutes} min this session; backend ${engine.backend}`,
);
console.log(formatMetricsTable(report.metrics));
console.log(`\n${formatPropertyTable(report.samples, report.train)}\n`);
for (const f of fits) console.log(f);
for (const d of designs) console.log(`\n${d}`);
tf.dispose();
