// Shared pieces of the anomaly benchmarks: train a latentkit model on a LoadedData's training split, score a split,
// run the scikit-learn baselines (Debian /usr/bin/python3, bench/anomaly_baselines.py) on the same rows, and print.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, resolveTrainerConfig, train } from '@latentkit/models';
import { anomalyScores, auprc, auroc, fromModel } from '../dist/index.js';

// The shared data folder: env LATENTKIT_SHARED_DATA, else ../shared/data beside the checkout, else /work/shared/data.
export const DATA_DIR =
  process.env.LATENTKIT_SHARED_DATA ??
  [path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data'), '/work/shared/data'].find((d) => existsSync(d)) ??
  '../shared/data';
export const quick = process.argv.includes('--quick');

export function argValue(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}

/** Trains `modelConfig` on the training split of `data` with the trainer defaults plus `trainer`. */
export async function trainOn(data, modelConfig, { batchSize, seed, ...trainer }) {
  const model = createModel(modelConfig, { seed });
  const result = await train(model, resolveTrainerConfig({ seed, ...trainer }), {
    train: data.trainData(batchSize, seed),
    progress: false,
    handleSigint: false,
  });
  return { model: result.model, steps: result.state.step };
}

/** Scores and 0/1 anomaly labels of a labelled split (label outside `normalLabels` = anomaly). */
export function scoreSplit(model, batches, normalLabels, options) {
  const labels = [];
  const items = [];
  for (const item of batches) {
    items.push(item.batch);
    for (const l of item.labels) labels.push(normalLabels.includes(l) ? 0 : 1);
  }
  const scores = anomalyScores(fromModel(model), items, options);
  return { scores, labels: Uint8Array.from(labels), batches: items };
}

export function metricsOf(labels, scores) {
  return { auroc: auroc(labels, scores), auprc: auprc(labels, scores) };
}

/** Runs the baselines on the cases; returns one result per case, in order. */
export function runBaselines(cases, only, withScores = false) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'latentkit-anomaly-bench-'));
  try {
    const file = path.join(dir, 'cases.json');
    writeFileSync(file, JSON.stringify({ cases }));
    const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'anomaly_baselines.py');
    const args = [script, file, ...(only ? ['--only', only] : []), ...(withScores ? ['--scores'] : [])];
    const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`anomaly_baselines.py failed (${r.status}): ${r.stderr}`);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    return { sklearn: lines[0].sklearn, results: lines.slice(1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const mean = (xs) => xs.reduce((s, v) => s + v, 0) / xs.length;
export const sd = (xs) => {
  const m = mean(xs);
  return xs.length > 1 ? Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1)) : 0;
};
export const fmt = (xs) => (xs.length > 1 ? `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}` : mean(xs).toFixed(3));

/** Rows of a table batch (its standardised values; missing cells stay 0, as the encoder sees them). */
export function tableRows(batches) {
  const rows = [];
  for (const b of batches) {
    const width = b.values.length / b.size;
    for (let r = 0; r < b.size; r++) rows.push(Array.from(b.values.subarray(r * width, (r + 1) * width)));
  }
  return rows;
}
