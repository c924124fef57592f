/**
 * Parity between a model's tfjs inference and its ONNX export on the same batch, as maximum absolute differences.
 * The decoders are fed the tfjs code, so a decoder difference is the decoder's own. Text is decoded step by step
 * from `decoder-init`, teacher-forced on the batch's tokens, and compared at every position inside each sentence.
 */
import path from 'node:path';
import { tf } from '@latentkit/core';
import type { Batch, Model } from '@latentkit/models';
import type { OnnxFiles } from './export.js';
import { type Encoding, type Matrix, OnnxModel } from './runtime.js';

export interface ParityReport {
  /** Encoder output `code` (what the decoder sees). */
  readonly code: number;
  /** Encoder output `latent` (pre-quantization). */
  readonly latent: number;
  /** Decoder logits (text: every step inside each sentence, run through decoder-init and the step decoder). */
  readonly logits: number;
  /** The largest of the three. */
  readonly max: number;
  readonly examples: number;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    // NaN on either side is a total mismatch, never silently "0".
    if (!(d <= m)) m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return m;
}

function toMatrix(t: tf.Tensor): Matrix {
  return { data: t.dataSync() as Float32Array, rows: t.shape[0] as number, cols: t.shape[1] as number };
}

async function open(onnx: string | OnnxFiles | OnnxModel): Promise<{ model: OnnxModel; owned: boolean }> {
  if (onnx instanceof OnnxModel) return { model: onnx, owned: false };
  const dir = typeof onnx === 'string' ? onnx : path.dirname(onnx.encoder);
  return { model: await OnnxModel.load(dir), owned: true };
}

/** Text: ONNX step decoding over `tokens` from `code`, compared with tfjs's teacher-forced logits [batch, T, vocab]. */
async function textLogitsDiff(runtime: OnnxModel, code: Matrix, tokens: Int32Array, lengths: Int32Array, reference: Float32Array): Promise<number> {
  const rows = code.rows;
  const time = tokens.length / rows;
  const vocab = reference.length / (rows * time);
  let state = await runtime.initialState(code);
  let worst = 0;
  for (let t = 0; t < time; t++) {
    const step = await runtime.decodeStep(
      Int32Array.from({ length: rows }, (_, r) => tokens[r * time + t] as number),
      code,
      state,
    );
    state = step.state;
    for (let r = 0; r < rows; r++) {
      if (t >= (lengths[r] as number)) continue;
      const start = (r * time + t) * vocab;
      worst = Math.max(worst, maxAbsDiff(step.logits.data.subarray(r * vocab, (r + 1) * vocab), reference.subarray(start, start + vocab)));
    }
  }
  return worst;
}

/** Runs `batch` through the tfjs model (inference mode) and through its ONNX export, and reports the differences. */
export async function checkParity(model: Model, onnx: string | OnnxFiles | OnnxModel, batch: Batch): Promise<ParityReport> {
  const { model: runtime, owned } = await open(onnx);
  try {
    const encoded = model.encode(batch as never, { mode: 'infer' });
    const code = toMatrix(encoded.code);
    const latent = toMatrix(encoded.latent);
    tf.dispose([encoded.code, encoded.latent, encoded.regularizer, ...Object.values(encoded.terms)]);

    let logits: number;
    let got: Encoding;
    if (batch.kind === 'text') {
      const tokens = batch.tokens.dataSync() as Int32Array;
      got = await runtime.encode({ data: tokens, rows: batch.tokens.shape[0], cols: batch.tokens.shape[1], lengths: batch.lengths });
      const codeTensor = tf.tensor2d(code.data, [code.rows, code.cols]);
      const reference = model.decode(codeTensor, batch.tokens, { mode: 'infer' });
      const refData = reference.dataSync() as Float32Array;
      tf.dispose([codeTensor, reference]);
      logits = await textLogitsDiff(runtime, code, tokens, batch.lengths, refData);
    } else {
      got = await runtime.encode(toMatrix(batch.kind === 'bow' ? batch.counts : batch.pixels));
      const codeTensor = tf.tensor2d(code.data, [code.rows, code.cols]);
      const reference = model.decode(codeTensor, undefined, { mode: 'infer' });
      const refData = reference.dataSync();
      tf.dispose([codeTensor, reference]);
      logits = maxAbsDiff((await runtime.decode(code)).data, refData);
    }
    const report = { code: maxAbsDiff(got.code.data, code.data), latent: maxAbsDiff(got.latent.data, latent.data), logits };
    return { ...report, max: Math.max(report.code, report.latent, report.logits), examples: code.rows };
  } finally {
    if (owned) await runtime.release();
  }
}
