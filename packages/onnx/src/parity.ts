/**
 * Parity between a model's tfjs inference and its ONNX export on the same batch, as maximum absolute differences.
 * The decoders are fed the tfjs code, so a decoder difference is the decoder's own. Text is decoded step by step
 * from `decoder-init`, teacher-forced on the batch's `inputs`, and compared at every unmasked position.
 */
import path from 'node:path';
import { tf } from '@latentkit/core';
import type { Batch, Model, TextBatch } from '@latentkit/models';
import type { OnnxFiles } from './export.js';
import { type Matrix, OnnxModel } from './runtime.js';

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

/** max |a_i − b_i|; infinite when the lengths differ or either side has a NaN. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
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

/** Text: ONNX step decoding over `inputs` from `code`, against tfjs's teacher-forced logits [size, steps, vocab] where `mask` is 1. */
async function textLogitsDiff(runtime: OnnxModel, code: Matrix, batch: TextBatch, reference: Float32Array): Promise<number> {
  const { size, steps, inputs, mask } = batch;
  const vocab = reference.length / (size * steps);
  let state = await runtime.initialState(code);
  let worst = 0;
  for (let t = 0; t < steps; t++) {
    const step = await runtime.decodeStep(
      Int32Array.from({ length: size }, (_, r) => inputs[r * steps + t] as number),
      code,
      state,
    );
    state = step.state;
    for (let r = 0; r < size; r++) {
      if (mask[r * steps + t] === 0) continue;
      const start = (r * steps + t) * vocab;
      worst = Math.max(worst, maxAbsDiff(step.logits.data.subarray(r * vocab, (r + 1) * vocab), reference.subarray(start, start + vocab)));
    }
  }
  return worst;
}

/** tfjs's decoder output for `code`: text teacher-forced on the batch's `inputs`. */
function referenceLogits(model: Model, code: Matrix, batch: Batch): Float32Array {
  const codeTensor = tf.tensor2d(code.data, [code.rows, code.cols]);
  const text = model.exportPlan().kind === 'recurrent' ? (batch as TextBatch) : undefined;
  const inputs = text ? tf.tensor2d(text.inputs, [text.size, text.steps], 'int32') : undefined;
  const logits = model.decode(codeTensor, inputs, { mode: 'infer' });
  try {
    return logits.dataSync() as Float32Array;
  } finally {
    tf.dispose([codeTensor, logits, ...(inputs ? [inputs] : [])]);
  }
}

/** Runs `batch` through the tfjs model (inference mode) and through its ONNX export, and reports the differences. */
export async function checkParity(model: Model, onnx: string | OnnxFiles | OnnxModel, batch: Batch): Promise<ParityReport> {
  const { model: runtime, owned } = await open(onnx);
  try {
    const encoded = model.encode(batch as never, { mode: 'infer' });
    const code = toMatrix(encoded.code);
    const latent = toMatrix(encoded.latent);
    tf.dispose([encoded.code, encoded.latent, encoded.regularizer, ...Object.values(encoded.terms)]);

    const got = await runtime.encode(batch);
    const reference = referenceLogits(model, code, batch);
    const logits = runtime.recurrent
      ? await textLogitsDiff(runtime, code, batch as TextBatch, reference)
      : maxAbsDiff((await runtime.decode(code)).data, reference);
    const report = { code: maxAbsDiff(got.code.data, code.data), latent: maxAbsDiff(got.latent.data, latent.data), logits };
    return { ...report, max: Math.max(report.code, report.latent, report.logits), examples: code.rows };
  } finally {
    if (owned) await runtime.release();
  }
}
