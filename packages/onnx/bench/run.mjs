/**
 * onnxruntime-node inference vs the tfjs forward pass (wasm backend) for each model's encoder and decoder, at batch
 * 128 and 32, on real inputs (PTB test sentences, 20 Newsgroups test documents, MNIST digits). Default model sizes,
 * random weights (timing does not depend on training). Medians over repeated runs after a warm-up; ratio = tfjs / onnx.
 *
 *   pnpm --filter @latentkit/onnx bench          (builds first; LATENTKIT_DATA_DIR selects the data folder)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine, tf } from '@latentkit/core';
import { collateBow, collateImages, collateText, loadBundledMnist, loadMnist, loadNewsgroups, loadPtb } from '@latentkit/data';
import { DEFAULT_SPECIAL_TOKENS, createModel } from '@latentkit/models';
import { loadOnnxModel, saveOnnx } from '../dist/index.js';

const REPS = Number(process.env.BENCH_REPS ?? 7);
const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.LATENTKIT_DATA_DIR || path.resolve(here, '../../../../shared/data');
const hasData = fs.existsSync(dataDir);

async function median(fn) {
  for (let i = 0; i < 2; i++) await fn();
  const times = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const info = (indices) => ({ indices, position: { epoch: 0, offset: 1 }, batchesInEpoch: 1 });
const first = (n) => Int32Array.from({ length: n }, (_, i) => i);

/** tfjs side: encode (and decode) in inference mode, read back to JS as onnxruntime's results are. */
function tfjsEncode(model, batch) {
  const out = model.encode(batch, { mode: 'infer' });
  out.code.dataSync();
  out.latent.dataSync();
  return out;
}

function tfjsDecode(model, code, batch) {
  const inputs = batch.inputs ? tf.tensor2d(batch.inputs, [batch.size, batch.steps], 'int32') : undefined;
  const logits = model.decode(code, inputs, { mode: 'infer' });
  logits.dataSync();
  tf.dispose([logits, ...(inputs ? [inputs] : [])]);
}

async function onnxDecode(onnx, code, batch) {
  if (!batch.inputs) return onnx.decode(code);
  let state = await onnx.initialState(code);
  for (let t = 0; t < batch.steps; t++) {
    const tokens = Int32Array.from({ length: batch.size }, (_, r) => batch.inputs[r * batch.steps + t]);
    state = (await onnx.decodeStep(tokens, code, state)).state;
  }
}

function printRow(model, part, batch, t, o1, o) {
  console.log(`| ${model} | ${part} | ${batch} | ${t.toFixed(1)} | ${o1.toFixed(1)} | ${o.toFixed(1)} | ${(t / o1).toFixed(1)}× | ${(t / o).toFixed(1)}× |`);
}

async function benchModel(name, config, makeBatch) {
  const model = createModel(config, { seed: 1 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-bench-'));
  saveOnnx(model, dir);
  // One thread, like tfjs's wasm backend here, and onnxruntime's default (all cores).
  const single = await loadOnnxModel(dir, { sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
  const multi = await loadOnnxModel(dir);
  for (const size of [128, 32]) {
    const batch = makeBatch(size);
    const enc = tfjsEncode(model, batch);
    const code = { data: enc.code.dataSync(), rows: size, cols: enc.code.shape[1] };
    tf.dispose([enc.code, enc.latent, enc.regularizer, ...Object.values(enc.terms)]);
    const codeTensor = tf.tensor2d(code.data, [size, code.cols]);
    const encT = await median(() => {
      const out = tfjsEncode(model, batch);
      tf.dispose([out.code, out.latent, out.regularizer, ...Object.values(out.terms)]);
    });
    printRow(name, 'encoder', size, encT, await median(() => single.encode(batch)), await median(() => multi.encode(batch)));
    const decT = await median(() => tfjsDecode(model, codeTensor, batch));
    const what = batch.inputs ? `decoder (${batch.steps} steps)` : 'decoder';
    printRow(name, what, size, decT, await median(() => onnxDecode(single, code, batch)), await median(() => onnxDecode(multi, code, batch)));
    codeTensor.dispose();
  }
  await single.release();
  await multi.release();
  model.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}

const engine = await initEngine({ backend: 'wasm' });
console.log(
  `tfjs ${engine.tfjsVersion} on ${engine.backend} (${engine.threads} thread(s)) vs onnxruntime-node 1.30 cpu (1 thread, and default); ${os.availableParallelism()} cores; median of ${REPS} after 2 warm-ups; ms`,
);
console.log('\n| model | part | batch | tfjs wasm | ort 1 thread | ort default | tfjs / ort 1t | tfjs / ort |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');

const mnist = hasData && fs.existsSync(path.join(dataDir, 'mnist')) ? await loadMnist(dataDir, 'test') : await loadBundledMnist();
const images = (n) => collateImages(mnist, first(n), info(first(n)));
await benchModel('imageMlp (784-500-500-2000, gaussian 32)', { kind: 'imageMlp', bottleneck: { kind: 'gaussian', latentDim: 32 } }, images);
await benchModel('imageConv (32/64 filters, dense 256, gaussian 32)', { kind: 'imageConv', bottleneck: { kind: 'gaussian', latentDim: 32 } }, images);
if (hasData) {
  const ng = await loadNewsgroups(dataDir);
  const docs = (n) => collateBow(ng.test, first(n), info(first(n)));
  await benchModel(
    'bowVae (2000-400, gaussian 50)',
    { kind: 'bowVae', vocabSize: ng.vocabulary.words.length, bottleneck: { kind: 'gaussian', latentDim: 50 } },
    docs,
  );
  const ptb = await loadPtb(dataDir);
  // Sentences 1000.. of the test set in stored order: typical lengths, not the shortest.
  const sentences = (n) => {
    const idx = Int32Array.from({ length: n }, (_, i) => 1000 + i);
    return collateText(ptb.test, idx, info(idx));
  };
  const textConfig = {
    kind: 'textVae',
    vocabSize: ptb.vocabulary.size,
    specialTokens: DEFAULT_SPECIAL_TOKENS,
    bottleneck: { kind: 'gaussian', latentDim: 32 },
  };
  await benchModel('textVae (emb 100, LSTM 400, vocab 10k, gaussian 32)', textConfig, sentences);
} else {
  console.log(`no shared data at ${dataDir}: bowVae and textVae skipped`);
}
