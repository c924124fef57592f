/**
 * Issue 22, goal 4: encoding throughput (examples/s at batch 256) of latentkit's exported encoders through
 * onnxruntime-node, against PyTorch CPU inference of the same weights, in the same run.
 *
 *   pnpm bench:encoding   (root; or `pnpm --filter @latentkit/onnx bench:encoding -- --rounds=3 --runs=10`)
 *
 * The models are the product's own: `createModel` with the configs of packages/models/bench/run.mjs (MNIST MLP
 * 784-500-500-2000 and conv encoders, Gaussian latent 32; the PTB text VAE, LSTM 400, vMF latent 50), seed 1
 * (speed does not depend on training), exported by `saveOnnx`. onnxruntime runs encoder.onnx through this
 * package's public `loadOnnxModel(...).encode(batch)`, as an application would (feeds built from the batch, results
 * read back). PyTorch runs the same file's graph and weights (bench/onnx_torch.py reads it with python3-onnx) on
 * the same inputs, after checking its output against onnxruntime's. Inputs: the first 256 MNIST test digits, PTB
 * test sentences 1000–1255. Both runtimes at 1 thread and at every core; rounds alternate onnxruntime and PyTorch so
 * that load changes hit both. Writes packages/backend-native/bench-results/encoding.json, next to the training bench.
 * Needs LATENTKIT_DATA_DIR (or ../shared/data) for PTB and the MNIST test set; without PTB its row is skipped.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine } from '@latentkit/core';
import { collateImages, collateText, loadBundledMnist, loadMnist, loadPtb } from '@latentkit/data';
import { DEFAULT_SPECIAL_TOKENS, createModel } from '@latentkit/models';
import { loadOnnxModel, saveOnnx } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.LATENTKIT_DATA_DIR || path.resolve(here, '../../../../shared/data');
const outDir = path.resolve(here, '../../backend-native/bench-results');
const workDir = path.join(outDir, 'encoding');
const PYTHON = '/usr/bin/python3';
const BATCH = 256;

const args = process.argv.slice(2);
const option = (name, fallback) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rounds = option('rounds', 3);
const runs = option('runs', 10);
const WARMUP = 3;
const threadCounts = [...new Set([1, os.availableParallelism()])];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const info = (indices) => ({ indices, position: { epoch: 0, offset: 1 }, batchesInEpoch: 1 });
const range = (from, n) => Int32Array.from({ length: n }, (_, i) => from + i);

function writeArray(file, array) {
  fs.writeFileSync(file, Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  return file;
}

/** The encoder's inputs as raw files for PyTorch, exactly what the runtime feeds onnxruntime (see src/runtime.ts). */
function torchInputs(dir, batch) {
  if (batch.pixels) return [{ name: 'x', file: writeArray(path.join(dir, 'x.bin'), batch.pixels), dtype: 'float32', shape: [batch.size, 784] }];
  const lengths = new Int32Array(batch.size);
  for (let r = 0; r < batch.size; r++) for (let t = 0; t < batch.steps; t++) lengths[r] += batch.mask[r * batch.steps + t];
  return [
    {
      name: 'tokens',
      file: writeArray(path.join(dir, 'tokens.bin'), BigInt64Array.from(batch.targets, BigInt)),
      dtype: 'int64',
      shape: [batch.size, batch.steps],
    },
    { name: 'lengths', file: writeArray(path.join(dir, 'lengths.bin'), lengths), dtype: 'int32', shape: [batch.size] },
  ];
}

await initEngine({ backend: 'wasm' });
const mnist = fs.existsSync(path.join(dataDir, 'mnist', 't10k-images-idx3-ubyte.gz')) ? await loadMnist(dataDir, 'test') : await loadBundledMnist();
const ptb = fs.existsSync(path.join(dataDir, 'ptb', 'ptb.test.txt')) ? await loadPtb(dataDir) : undefined;
const images = collateImages(mnist, range(0, BATCH), info(range(0, BATCH)));
const specs = [
  {
    name: 'mnist-mlp',
    label: 'MNIST MLP encoder 784-500-500-2000, Gaussian 32',
    config: { kind: 'imageMlp', bottleneck: { kind: 'gaussian', latentDim: 32 } },
    batch: images,
  },
  {
    name: 'mnist-conv',
    label: 'MNIST conv encoder 32/64 filters, dense 256, Gaussian 32',
    config: { kind: 'imageConv', bottleneck: { kind: 'gaussian', latentDim: 32 } },
    batch: images,
  },
];
if (ptb) {
  const sentences = range(1000, BATCH);
  const batch = collateText(ptb.test, sentences, info(sentences));
  specs.push({
    name: 'ptb-text',
    label: `PTB text encoder: emb 100, LSTM 400, vMF 50, vocab ${ptb.vocabulary.size}, ${batch.steps} steps`,
    config: { kind: 'textVae', vocabSize: ptb.vocabulary.size, specialTokens: DEFAULT_SPECIAL_TOKENS, bottleneck: { kind: 'vmf', latentDim: 50, kappa: 80 } },
    batch,
  });
} else {
  process.stderr.write(`no PTB at ${dataDir}/ptb: the text encoder is skipped (set LATENTKIT_DATA_DIR)\n`);
}

// Export each model and record onnxruntime's output on the batch, which PyTorch's must match.
const models = [];
for (const spec of specs) {
  const dir = path.join(workDir, spec.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const model = createModel(spec.config, { seed: 1 });
  saveOnnx(model, dir);
  model.dispose();
  const sessions = new Map();
  for (const threads of threadCounts) {
    sessions.set(threads, await loadOnnxModel(dir, { sessionOptions: { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' } }));
  }
  const { code } = await sessions.get(threadCounts[0]).encode(spec.batch);
  models.push({
    ...spec,
    dir,
    sessions,
    torch: {
      name: spec.name,
      encoder: path.join(dir, 'encoder.onnx'),
      inputs: torchInputs(dir, spec.batch),
      reference: { file: writeArray(path.join(dir, 'ort-code.bin'), code.data), dtype: 'float32', shape: [code.rows, code.cols] },
    },
  });
}

const manifest = path.join(workDir, 'manifest.json');
fs.writeFileSync(manifest, JSON.stringify({ runs, warmup: WARMUP, threads: threadCounts, models: models.map((m) => m.torch) }));
const samples = new Map(); // `${runtime}/${model}/${threads}` → ms per batch
const add = (key, ms) => samples.set(key, [...(samples.get(key) ?? []), ...ms]);
let parity = [];
let torchVersion;
const loadavgStart = os.loadavg().map((x) => Number(x.toFixed(2)));
for (let round = 0; round < rounds; round++) {
  for (const m of models) {
    for (const [threads, session] of m.sessions) {
      const ms = [];
      for (let k = 0; k < WARMUP + runs; k++) {
        const t0 = performance.now();
        await session.encode(m.batch);
        if (k >= WARMUP) ms.push(performance.now() - t0);
      }
      add(`onnxruntime/${m.name}/${threads}`, ms);
      process.stderr.write(`round ${round + 1}/${rounds} onnxruntime ${m.name} ${threads} thread(s): ${median(ms).toFixed(2)} ms\n`);
    }
  }
  const out = JSON.parse(
    execFileSync(PYTHON, [path.join(here, 'onnx_torch.py'), manifest], { encoding: 'utf8', maxBuffer: 1 << 24 })
      .trim()
      .split('\n')
      .at(-1),
  );
  for (const r of out.results) {
    add(`pytorch/${r.name}/${r.threads}`, r.ms);
    process.stderr.write(`round ${round + 1}/${rounds} pytorch ${r.name} ${r.threads} thread(s): ${median(r.ms).toFixed(2)} ms\n`);
  }
  parity = out.parity;
  torchVersion = out.torch;
}
for (const m of models) for (const s of m.sessions.values()) await s.release();

const rows = [];
for (const m of models) {
  for (const threads of threadCounts) {
    const ort = median(samples.get(`onnxruntime/${m.name}/${threads}`));
    const torch = median(samples.get(`pytorch/${m.name}/${threads}`));
    rows.push({
      model: m.name,
      label: m.label,
      threads,
      batch: BATCH,
      onnxruntimeMs: ort,
      pytorchMs: torch,
      onnxruntimeExamplesPerSecond: (BATCH * 1000) / ort,
      pytorchExamplesPerSecond: (BATCH * 1000) / torch,
      // ≥ 1 means onnxruntime encodes at least as fast as PyTorch: the goal.
      throughputRatio: torch / ort,
      maxAbsDiff: parity.find((p) => p.name === m.name)?.maxAbsDiff,
      onnxruntimeSamplesMs: samples.get(`onnxruntime/${m.name}/${threads}`),
      pytorchSamplesMs: samples.get(`pytorch/${m.name}/${threads}`),
    });
  }
}
const table = [
  '| encoder (batch 256) | threads | onnxruntime examples/s | PyTorch examples/s | onnxruntime / PyTorch throughput | max abs diff |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.threads} | ${r.onnxruntimeExamplesPerSecond.toFixed(0)} | ${r.pytorchExamplesPerSecond.toFixed(0)} | ${r.throughputRatio.toFixed(2)}× | ${r.maxAbsDiff?.toExponential(1) ?? '–'} |`,
  ),
];
const loadavg = os.loadavg().map((x) => Number(x.toFixed(2)));
const date = new Date().toISOString();
console.log(table.join('\n'));
console.log(
  `\nmedian over ${rounds} interleaved rounds × ${runs} batches (after ${WARMUP} warm-ups per round); onnxruntime-node 1.30 through loadOnnxModel().encode, PyTorch ${torchVersion} eager on the same ONNX weights; ${date}; load average at the start ${loadavgStart.join(', ')}, at the end ${loadavg.join(', ')}`,
);
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, 'encoding.json');
fs.writeFileSync(
  file,
  `${JSON.stringify({ date, machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), node: process.version }, loadavgStart, loadavg, torch: torchVersion, rounds, runs, rows, table }, null, 2)}\n`,
);
console.log(`written ${path.relative(process.cwd(), file)}`);
