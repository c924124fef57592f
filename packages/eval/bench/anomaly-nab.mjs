// Benchmark: the six NAB realKnownCause series in ../shared/data/nab with NAB's labelled anomaly windows
// (labels/combined_windows.json). Per series, unsupervised as NAB is: the series is cut into windows of W readings
// (stride 2) and latentkit's tabular VAE trains on a seeded 80% of them (10% validation, 10% test: the split only
// bounds training, the whole series is scored). Every reading is then scored from the windows covering it (score
// stride 4): the mean (latentkit score's default) and the max of their −ELBO and IW NLL (K = 20), and the
// reconstruction error. AUROC and AUPRC are over readings, positive = inside a labelled window (~10% of readings).
// IsolationForest on the same standardised windows (scikit-learn, same aggregation by mean) is the yardstick.
// Usage: node bench/anomaly-nab.mjs [--quick] [--window 32] [--steps 600]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { initEngine } from '@latentkit/core';
import { Preprocessing, tableBatches, tableData } from '@latentkit/data';
import { anomalyScores, fromModel, readingScores, windowRows, windowStarts } from '../dist/index.js';
import { DATA_DIR, argValue, metricsOf, quick, runBaselines, tableRows, trainOn } from './anomaly-common.mjs';

const window = Number(argValue('--window', 32));
const steps = Number(argValue('--steps', quick ? 150 : 600));
const K = 20;
const TRAIN_STRIDE = 2;
const SCORE_STRIDE = 4;
const nab = path.join(DATA_DIR, 'nab');
if (!existsSync(nab)) {
  console.log(`skipping: ${nab} not found`);
  process.exit(0);
}
const started = performance.now();
const engine = await initEngine();
console.log(`backend ${engine.backend}; window ${window}, ${steps} steps per series, K = ${K}; data ${nab}`);
const labelWindows = JSON.parse(readFileSync(path.join(nab, 'labels/combined_windows.json'), 'utf8'));
const SERIES = Object.keys(labelWindows)
  .filter((k) => k.startsWith('realKnownCause/') && existsSync(path.join(nab, k)))
  .sort();
const timeOf = (s) => Date.parse(`${s.trim().replace(' ', 'T')}Z`);

function readSeries(file) {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const timestamps = [];
  const values = [];
  for (const line of lines.slice(1)) {
    const [t, v] = line.split(',');
    timestamps.push(t);
    values.push(v === '' ? Number.NaN : Number(v));
  }
  return { timestamps, values: Float64Array.from(values) };
}

function windowTable(values, starts, name) {
  const rows = windowRows(values, starts, window);
  const missing = Uint8Array.from(rows, (v) => (Number.isNaN(v) ? 1 : 0));
  return {
    source: name,
    rowCount: starts.length,
    columns: Array.from({ length: window }, (_, j) => ({ name: `t${j}`, type: 'numeric' })),
    values: Float32Array.from(rows, (v) => (Number.isNaN(v) ? 0 : v)),
    missing,
    skipped: [],
  };
}

const results = [];
const cases = [];
for (const key of SERIES) {
  const series = readSeries(path.join(nab, key));
  const spans = labelWindows[key].map(([a, b]) => [timeOf(a), timeOf(b)]);
  const truth = Uint8Array.from(series.timestamps, (t) => (spans.some(([a, b]) => timeOf(t) >= a && timeOf(t) <= b) ? 1 : 0));
  const trainTable = windowTable(series.values, windowStarts(series.values.length, window, TRAIN_STRIDE), key);
  const data = tableData({ name: key, validFraction: 0.1, testFraction: 0.1, seed: 1 }, trainTable);
  const config = { kind: 'tabular', columns: data.shape.columns, hiddenDims: [128, 64], bottleneck: { kind: 'gaussian', latentDim: 8 } };
  const batchSize = 64;
  const epochs = Math.max(1, Math.ceil(steps / Math.ceil(data.counts.train / batchSize)));
  const { model } = await trainOn(data, config, { batchSize, seed: 1, epochs, maxSteps: steps });
  const starts = windowStarts(series.values.length, window, SCORE_STRIDE);
  const prepared = Preprocessing.fromJSON(data.preprocessing).apply(windowTable(series.values, starts, key));
  const batches = [...tableBatches(prepared, { batchSize: 256, shuffle: false })];
  const scores = anomalyScores(fromModel(model), batches, { importanceSamples: K, seed: 1 });
  model.dispose();
  const row = { series: path.basename(key, '.csv'), readings: series.values.length, inWindows: truth.reduce((s, v) => s + v, 0), metrics: {} };
  for (const [name, values] of [
    ['reconstruction', scores.reconstruction],
    ['negElbo', scores.negElbo],
    ['negImportanceWeighted', scores.negImportanceWeighted],
  ]) {
    for (const aggregate of ['mean', 'max']) {
      row.metrics[`${name} ${aggregate}`] = metricsOf(truth, readingScores(values, starts, window, series.values.length, aggregate));
    }
  }
  results.push(row);
  // IsolationForest scores the same windows (train: every window at the score stride), read back per reading below.
  const rows = tableRows(batches);
  cases.push({ name: row.series, seed: 1, train: rows, test: rows, labels: Array.from({ length: rows.length }, (_, i) => i % 2), starts, truth });
  console.log(`${row.series}: ${row.readings} readings, ${starts.length} windows; IW mean AUROC ${row.metrics['negImportanceWeighted mean'].auroc.toFixed(4)}`);
}

// The baseline script takes labels per window for its own AUROC; here only its scores matter, so ask for them.
const forest = runForest(cases);
function runForest(all) {
  return runBaselines(
    all.map(({ starts: _s, truth: _t, ...c }) => ({ ...c, vae: {} })),
    'IsolationForest',
    true,
  );
}

console.log(`\nPer-series AUROC / AUPRC over readings (positive: inside a NAB window); reading score = mean or max of the covering windows\n`);
const cols = ['negImportanceWeighted mean', 'negImportanceWeighted max', 'negElbo mean', 'reconstruction mean', 'reconstruction max'];
console.log(
  `| series | readings | in windows | ${cols.map((c) => `VAE ${c.replace('negImportanceWeighted', `IW NLL K=${K}`).replace('negElbo', '−ELBO')}`).join(' | ')} | IsolationForest mean |`,
);
console.log(`|---|---:|---:|${cols.map(() => '---:|').join('')}---:|`);
const perSeries = [];
for (const [i, r] of results.entries()) {
  const c = cases[i];
  const forestScores = forest.results[i].scores?.IsolationForest;
  const forestMetrics = forestScores ? metricsOf(c.truth, readingScores(Float64Array.from(forestScores), c.starts, window, c.truth.length, 'mean')) : undefined;
  perSeries.push({ ...r, forest: forestMetrics });
  const cell = (m) => `${m.auroc.toFixed(3)} / ${m.auprc.toFixed(3)}`;
  console.log(
    `| ${r.series} | ${r.readings} | ${r.inWindows} | ${cols.map((k) => cell(r.metrics[k])).join(' | ')} | ${forestMetrics ? cell(forestMetrics) : 'n/a'} |`,
  );
}
const meanOf = (f) => perSeries.reduce((s, r) => s + f(r), 0) / perSeries.length;
console.log(
  `\nmean over ${perSeries.length} series: VAE IW mean AUROC ${meanOf((r) => r.metrics['negImportanceWeighted mean'].auroc).toFixed(3)}, AUPRC ${meanOf((r) => r.metrics['negImportanceWeighted mean'].auprc).toFixed(3)}; ` +
    `IsolationForest AUROC ${meanOf((r) => r.forest?.auroc ?? Number.NaN).toFixed(3)}, AUPRC ${meanOf((r) => r.forest?.auprc ?? Number.NaN).toFixed(3)}`,
);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
