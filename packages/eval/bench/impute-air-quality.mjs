// Benchmark: imputation of the UCI Air Quality sensor table (../shared/data/air-quality-uci; real gaps coded -200).
// A seeded 20% of the observed cells are hidden; the tabular VAE is trained on what is left (every row, the hidden
// cells masked like the real gaps), then each method imputes the hidden cells. Errors are RMSE and MAE per column
// on the standardised scale (mean and sd of the cells the model saw), against column-mean imputation, kNN (k = 5)
// and scikit-learn's IterativeImputer (MICE), both run in the same bench through Debian's /usr/bin/python3
// (bench/impute_baselines.py). Calibration: with --draws K multiple imputations, the share of hidden true values
// within ±2 sd of the imputed value.
// The baselines run in their own process while the VAE trains (wall time on a shared machine; their seconds are
// printed but are not a fair race). Calibration is measured for the best VAE method only.
// Usage: node packages/eval/bench/impute-air-quality.mjs [--epochs 40] [--hidden 128,128] [--latent 8] [--lr 0.001]
//   [--importance-samples 200] [--iterations 20] [--draws 10] [--seed 1] [--data <dir>] [--json <file>, default bench-results/impute-air-quality.json]
//   [--save <dir> | --load <dir>]  (save the trained model, or impute with a saved one instead of training)
// Build first: pnpm --filter @latentkit/eval... build
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng, initEngine, writeFileAtomic } from '@latentkit/core';
import { Preprocessing, readTable, tableBatches } from '@latentkit/data';
import { createModel, loadModel, train } from '@latentkit/models';
import { impute, tabularImputable } from '../dist/impute/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const epochs = Number(flag('epochs', 40));
const hiddenDims = flag('hidden', '128,128').split(',').map(Number);
const latentDim = Number(flag('latent', 8));
const importanceSamples = Number(flag('importance-samples', 200));
const iterations = Number(flag('iterations', 20));
const draws = Number(flag('draws', 10));
const saveDir = flag('save', undefined);
const loadDir = flag('load', undefined);
const seed = Number(flag('seed', 1));
const learningRate = Number(flag('lr', 1e-3));
// The shared data folder: --data, LATENTKIT_DATA_DIR, <repo>/../shared/data, or the machine-wide /work/shared/data.
const dataDir =
  flag('data', undefined) ??
  path.join(
    [process.env.LATENTKIT_DATA_DIR, path.resolve(here, '../../../../shared/data'), '/work/shared/data'].find(
      (d) => d && existsSync(path.join(d, 'air-quality-uci')),
    ) ?? '/work/shared/data',
    'air-quality-uci',
  );
const jsonOut = flag('json', path.resolve(here, '../bench-results/impute-air-quality.json'));
const file = path.join(dataDir, 'AirQualityUCI.csv');
if (!existsSync(file)) {
  console.error(`skipped: ${file} not found (the shared data folder is absent; pass --data <dir>)`);
  process.exit(0);
}
const engine = await initEngine();
const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);

// The table: 13 numeric sensor columns (Date and Time left out), -200 = missing.
const table = await readTable(file, { missing: [-200], ignoreColumns: ['Date', 'Time'] });
const names = table.columns.map((c) => c.name);
const n = table.rowCount;
const w = names.length;

// Hide a seeded 20% of the observed cells.
const rng = Rng.fromSeed(`air-quality-hide-${seed}`);
const hidden = new Uint8Array(n * w);
const seen = { ...table, missing: Uint8Array.from(table.missing) };
for (let i = 0; i < n * w; i++) {
  if (table.missing[i] === 0 && rng.uniform() < 0.2) {
    hidden[i] = 1;
    seen.missing[i] = 1;
  }
}
// Standardise with the cells the model sees; the truth of the hidden cells on the same scale.
const pre = Preprocessing.fit(seen);
const prepared = pre.apply(seen);
const truth = pre.apply(table).values;
const hiddenCount = hidden.reduce((a, h) => a + h, 0);
console.log(
  `air quality: ${n} rows × ${w} columns, ${table.missing.reduce((a, m) => a + m, 0)} real gaps, ${hiddenCount} observed cells hidden (seed ${seed}); backend ${engine.backend}`,
);

// Baselines: scikit-learn's kNN and MICE on the same matrix, in their own process from now on.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'latentkit-impute-bench-'));
const matrix = [];
for (let r = 0; r < n; r++) matrix.push(Array.from({ length: w }, (_, j) => (prepared.missing[r * w + j] ? null : prepared.values[r * w + j])));
writeFileSync(path.join(tmp, 'rows.json'), JSON.stringify({ rows: matrix, seed }));
const baselines = new Promise((resolve) => {
  const child = spawn('/usr/bin/python3', [path.join(here, 'impute_baselines.py'), path.join(tmp, 'rows.json')]);
  const out = [];
  const err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  child.on('error', (e) => resolve({ status: -1, stderr: String(e) }));
  child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
});

// Train the tabular VAE on the visible cells (or load one trained by --save).
const batchSize = 128;
const columns = pre.columns.map((c) => ({ name: c.name, type: c.type }));
let model;
if (loadDir) {
  model = loadModel(loadDir);
  console.log(`loaded the model in ${loadDir} (trained by --save; the training flags do not apply)`);
} else {
  model = createModel({ kind: 'tabular', columns, hiddenDims, bottleneck: { kind: 'gaussian', latentDim } }, { seed });
  const data = {
    batchesPerEpoch: Math.ceil(n / batchSize),
    batches: (epoch, offset) => tableBatches(prepared, { batchSize, seed: `train-${seed}`, epoch, offset }),
  };
  await train(model, { seed, epochs, optimizer: { kind: 'adam', learningRate } }, { train: data, progress: false });
  console.log(`trained ${epochs} epochs (hidden ${hiddenDims.join('×')}, latent ${latentDim}, Adam ${learningRate}) in ${seconds()} s`);
  if (saveDir) await model.save(saveDir);
}

// Scores on the hidden cells, per column, standardised scale.
function scores(values) {
  const perColumn = names.map((name, j) => {
    let count = 0;
    let se = 0;
    let ae = 0;
    for (let r = 0; r < n; r++) {
      const i = r * w + j;
      if (hidden[i] === 0) continue;
      const e = values[i] - truth[i];
      se += e * e;
      ae += Math.abs(e);
      count++;
    }
    return { name, count, rmse: Math.sqrt(se / count), mae: ae / count };
  });
  return { perColumn, rmse: perColumn.reduce((a, c) => a + c.rmse, 0) / w, mae: perColumn.reduce((a, c) => a + c.mae, 0) / w };
}
function calibration(values, sd) {
  let inside = 0;
  for (let i = 0; i < n * w; i++) if (hidden[i] === 1 && Math.abs(values[i] - truth[i]) <= 2 * sd[i]) inside++;
  return inside / hiddenCount;
}

const rows = { size: n, width: w, values: prepared.values, missing: prepared.missing };
const target = tabularImputable(model);
const results = {};
const methodOptions = { single: {}, gibbs: { iterations }, mwg: { iterations }, miwae: { importanceSamples } };
for (const [method, extra] of Object.entries(methodOptions)) {
  const start = performance.now();
  const point = impute(target, rows, { method, seed, ...extra });
  const pointSeconds = (performance.now() - start) / 1000;
  results[`vae-${method}`] = { ...scores(point.values), seconds: pointSeconds, ...(point.acceptance !== undefined && { acceptance: point.acceptance }) };
  console.log(`  vae ${method}: mean RMSE ${results[`vae-${method}`].rmse.toFixed(4)} (${pointSeconds.toFixed(1)} s) [${seconds()} s]`);
}
// Calibration of the best VAE method: K multiple imputations, the share of hidden truths within ±2 sd.
const vae = Object.keys(methodOptions)
  .map((m) => `vae-${m}`)
  .reduce((a, m) => (results[m].rmse < results[a].rmse ? m : a));
const bestMethod = vae.slice(4);
const multi = impute(target, rows, { method: bestMethod, seed, draws, ...methodOptions[bestMethod] });
results[vae].calibration = calibration(multi.values, multi.sd);
console.log(`  ${vae} with ${draws} draws: ±2 sd coverage ${results[vae].calibration.toFixed(3)} [${seconds()} s]`);
model.dispose();

// Baselines: column mean (0 on the standardised scale); scikit-learn's, when its process is done.
results.mean = scores(new Float32Array(n * w));
const py = await baselines;
rmSync(tmp, { recursive: true, force: true });
if (py.status !== 0) {
  console.error(`scikit-learn baselines failed (is python3-sklearn installed?):\n${py.stderr}`);
  process.exit(1);
}
const sk = JSON.parse(py.stdout);
for (const name of ['knn', 'mice']) results[name] = { ...scores(Float32Array.from(sk[name].flat())), seconds: sk.seconds[name] };

// The summary.
const order = ['mean', 'knn', 'mice', 'vae-single', 'vae-gibbs', 'vae-mwg', 'vae-miwae'];
const pad = (s, k) => String(s).padStart(k);
console.log(`\nRMSE per column (standardised; hidden cells per column in brackets), scikit-learn ${sk.sklearn}`);
console.log(`${'column'.padEnd(20)}${order.map((m) => pad(m, 11)).join('')}`);
names.forEach((name, j) => {
  const count = results.mean.perColumn[j].count;
  console.log(`${`${name} [${count}]`.padEnd(20)}${order.map((m) => pad(results[m].perColumn[j].rmse.toFixed(3), 11)).join('')}`);
});
console.log(`${'mean RMSE'.padEnd(20)}${order.map((m) => pad(results[m].rmse.toFixed(4), 11)).join('')}`);
console.log(`${'mean MAE'.padEnd(20)}${order.map((m) => pad(results[m].mae.toFixed(4), 11)).join('')}`);
console.log(
  `${`±2sd cover K=${draws}`.padEnd(20)}${order.map((m) => pad(results[m].calibration === undefined ? '-' : results[m].calibration.toFixed(3), 11)).join('')}`,
);
console.log(`${'seconds'.padEnd(20)}${order.map((m) => pad(results[m].seconds === undefined ? '-' : results[m].seconds.toFixed(1), 11)).join('')}`);
console.log('\nMAE per column');
names.forEach((name, j) => {
  console.log(`${name.padEnd(20)}${order.map((m) => pad(results[m].perColumn[j].mae.toFixed(3), 11)).join('')}`);
});
const base = ['mean', 'knn', 'mice'].reduce((a, m) => (results[m].rmse < results[a].rmse ? m : a));
const ratio = results[vae].rmse / results[base].rmse;
console.log(
  `\nbest VAE method ${vae}: mean RMSE ${results[vae].rmse.toFixed(4)}; best baseline ${base}: ${results[base].rmse.toFixed(4)}; ratio ${ratio.toFixed(3)} (goal ≤ 0.9: ${ratio <= 0.9 ? 'met' : 'missed'}); ${vae} ±2 sd coverage ${results[vae].calibration.toFixed(3)} (K = ${draws}); total ${seconds()} s`,
);
if (jsonOut)
  writeFileAtomic(
    jsonOut,
    `${JSON.stringify({ epochs, hiddenDims, latentDim, importanceSamples, iterations, draws, seed, results, best: { vae, base, ratio } }, null, 2)}\n`,
  );
