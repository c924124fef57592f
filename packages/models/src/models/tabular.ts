/**
 * An autoencoder for table rows of mixed columns (HI-VAE, Nazábal et al. 2020; MIWAE, Mattei & Frellsen 2019): an
 * MLP encoder and decoder, and one likelihood per column: a Gaussian with a learned (per-cell) variance for a
 * numeric column, a softmax over the categories plus the unknown slot for a categorical one, a Bernoulli for a
 * binary one. Missing cells are zero in the encoder's input, flagged in its mask half, and left out of the loss, so
 * a model never learns to predict the fill value.
 *
 * Encoder input (`tabularEncoderInput`, what the ONNX encoder's `x` is), per row: for each column in order, its
 * value (numeric: the standardised number; binary: 0/1) or its one-hot over K + 1 slots (categorical, K training
 * categories + unknown), all zero when the cell is missing; then one observed-flag (1 observed, 0 missing) per column.
 *
 * Decoder output (the ONNX decoder's `logits`), per row: each column's parameters in column order, contiguous:
 * numeric → [mean, log-variance] (standardised units; the loss clips the log-variance to [−10, 10]);
 * binary → [logit of 1]; categorical → K + 1 logits (index K is the unknown slot). `tabularLayout` gives the offsets.
 */
import { LatentkitError, type Rng, tf } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import type { ExportPlan } from '../export-plan.js';
import { defineModel } from '../kind.js';
import type { Networks } from '../network.js';
import type { ForwardContext, TableBatch, TabularColumn, TabularConfig } from '../types.js';
import { BaseModel, type MlpStacks, type Reconstruction, checkLength } from './base.js';

const INFER: ForwardContext = { mode: 'infer' };
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** The loss clips a numeric cell's log-variance to ±this; sampling and imputation clip it the same way. */
export const TABULAR_LOG_VAR_LIMIT = 10;
const LOG_VAR_LIMIT = TABULAR_LOG_VAR_LIMIT;

/** Where each column sits in the encoder input and in the decoder output. */
export interface TabularLayout {
  /** Per column: offset and width of its value (or one-hot) in the encoder input. */
  readonly input: readonly { readonly offset: number; readonly width: number }[];
  /** Encoder input width: the values plus one observed-flag per column. */
  readonly inputWidth: number;
  /** Per column: offset and width of its parameters in the decoder output. */
  readonly output: readonly { readonly offset: number; readonly width: number }[];
  readonly outputWidth: number;
}

/** Slots of a categorical column: its training categories and the unknown slot. */
function slots(column: TabularColumn): number {
  return (column.categories?.length ?? 0) + 1;
}

export function tabularLayout(columns: readonly TabularColumn[]): TabularLayout {
  let inAt = 0;
  let outAt = 0;
  const input = columns.map((c) => {
    const width = c.type === 'categorical' ? slots(c) : 1;
    const entry = { offset: inAt, width };
    inAt += width;
    return entry;
  });
  const output = columns.map((c) => {
    const width = c.type === 'numeric' ? 2 : c.type === 'binary' ? 1 : slots(c);
    const entry = { offset: outAt, width };
    outAt += width;
    return entry;
  });
  return { input, inputWidth: inAt + columns.length, output, outputWidth: outAt };
}

function checkBatch(batch: TableBatch, columns: readonly TabularColumn[]): void {
  const n = columns.length;
  if (batch.width !== undefined && batch.width !== n) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `batch.width must be the model's ${n} columns (${columns.map((c) => c.name).join(', ')}), got ${batch.width}`,
      { argument: 'batch.width' },
    );
  }
  checkLength(batch.values, batch.size * n, 'values', `size × ${n} columns`);
  checkLength(batch.missing, batch.size * n, 'missing', `size × ${n} columns`);
}

/** The encoder's input matrix [size, inputWidth] for a batch (see the layout above). */
export function tabularEncoderInput(columns: readonly TabularColumn[], batch: TableBatch): Float32Array {
  checkBatch(batch, columns);
  const layout = tabularLayout(columns);
  const n = columns.length;
  const w = layout.inputWidth;
  const out = new Float32Array(batch.size * w);
  for (let r = 0; r < batch.size; r++) {
    for (let j = 0; j < n; j++) {
      if (batch.missing[r * n + j] === 1) continue;
      const v = batch.values[r * n + j] as number;
      const { offset, width } = layout.input[j] as { offset: number; width: number };
      if ((columns[j] as TabularColumn).type === 'categorical') {
        if (!(Number.isInteger(v) && v >= 0 && v < width)) {
          throw new LatentkitError(
            'INVALID_ARGUMENT',
            `batch.values: column "${(columns[j] as TabularColumn).name}" is categorical with ${width} slots, got ${v} in row ${r}`,
            {
              argument: 'batch.values',
            },
          );
        }
        out[r * w + offset + v] = 1;
      } else out[r * w + offset] = v;
      out[r * w + layout.inputWidth - n + j] = 1;
    }
  }
  return out;
}

/**
 * −log p(x | params) per row over its observed cells: [size]. `params` is the decoder output [size, outputWidth];
 * missing cells add exactly nothing (their values are never read into the loss).
 */
export function tabularNll(columns: readonly TabularColumn[], params: tf.Tensor2D, batch: TableBatch): tf.Tensor1D {
  checkBatch(batch, columns);
  const layout = tabularLayout(columns);
  const n = columns.length;
  return tf.tidy(() => {
    const values = tf.tensor2d(batch.values, [batch.size, n]);
    const observed = tf.scalar(1).sub(tf.tensor2d(batch.missing, [batch.size, n], 'float32'));
    const pick = (idx: number[]) => tf.gather(params, tf.tensor1d(idx, 'int32'), 1) as tf.Tensor2D;
    const cols = (type: TabularColumn['type']) => columns.flatMap((c, j) => (c.type === type ? [j] : []));
    const at = (j: number) => layout.output[j] as { offset: number; width: number };
    let nll: tf.Tensor1D = tf.zeros([batch.size]);
    const num = cols('numeric');
    if (num.length > 0) {
      const x = tf.gather(values, tf.tensor1d(num, 'int32'), 1);
      const mean = pick(num.map((j) => at(j).offset));
      const logVar = pick(num.map((j) => at(j).offset + 1)).clipByValue(-LOG_VAR_LIMIT, LOG_VAR_LIMIT);
      const m = tf.gather(observed, tf.tensor1d(num, 'int32'), 1);
      // Where the cell is missing, x is replaced by the mean so no stray value can make an inf · 0 = NaN.
      const safeX = tf.where(m.greater(0), x, mean);
      const cell = safeX.sub(mean).square().mul(tf.exp(logVar.neg())).add(logVar).mul(0.5).add(HALF_LOG_2PI);
      nll = nll.add(cell.mul(m).sum(1));
    }
    const bin = cols('binary');
    if (bin.length > 0) {
      const logits = pick(bin.map((j) => at(j).offset));
      const x = tf.gather(values, tf.tensor1d(bin, 'int32'), 1);
      const m = tf.gather(observed, tf.tensor1d(bin, 'int32'), 1);
      const cell = tf
        .relu(logits)
        .sub(logits.mul(x))
        .add(tf.log1p(tf.exp(logits.abs().neg())));
      nll = nll.add(cell.mul(m).sum(1));
    }
    for (const j of cols('categorical')) {
      const { offset, width } = at(j);
      const logits = params.slice([0, offset], [batch.size, width]);
      const target = tf.tensor1d(
        Int32Array.from({ length: batch.size }, (_, r) => (batch.missing[r * n + j] === 1 ? 0 : (batch.values[r * n + j] as number))),
        'int32',
      );
      const picked = tf.logSoftmax(logits).mul(tf.oneHot(target, width)).sum(1);
      nll = nll.sub(picked.mul(observed.slice([0, j], [batch.size, 1]).reshape([batch.size])));
    }
    return nll;
  });
}

export class Tabular extends BaseModel<TabularConfig> {
  private readonly stacks: MlpStacks;
  readonly layout: TabularLayout;

  constructor(config: TabularConfig, rng: Rng, networks: Networks = {}) {
    super(config, rng);
    this.layout = tabularLayout(config.columns);
    this.stacks = this.mlpStacks(this.layout.inputWidth, config.hiddenDims, this.layout.outputWidth, rng, networks);
  }

  features(batch: TableBatch, ctx: ForwardContext): tf.Tensor2D {
    const x = tf.tensor2d(tabularEncoderInput(this.config.columns, batch), [batch.size, this.layout.inputWidth]);
    return this.mlpFeatures(this.stacks, x, batch, ctx);
  }

  /** The per-column likelihood parameters [batch, outputWidth] (layout above). */
  decode(code: tf.Tensor2D, _inputs?: tf.Tensor2D, ctx: ForwardContext = INFER): tf.Tensor2D {
    return this.throughStack(this.stacks, 'decoder', code, ctx);
  }

  reconstruction(batch: TableBatch, code: tf.Tensor2D, ctx: ForwardContext = INFER): Reconstruction {
    return { nll: tabularNll(this.config.columns, this.decode(this.withCondition(code, batch), undefined, ctx), batch), units: this.units(batch) };
  }

  exportPlan(): ExportPlan {
    return {
      kind: 'feedForward',
      input: { field: 'encoderInput', width: this.layout.inputWidth },
      ...this.mlpPlanSteps(this.stacks),
      outputWidth: this.layout.outputWidth,
    };
  }

  /** Observed cells: what the likelihood scores. */
  units(batch: TableBatch): number {
    let observed = 0;
    for (let i = 0; i < batch.size * this.config.columns.length; i++) if (batch.missing[i] === 0) observed++;
    return observed;
  }

  protected batchSize(batch: TableBatch): number {
    return batch.size;
  }
}

const columnSchema = z
  .strictObject({
    name: z.string().min(1),
    type: z.enum(['numeric', 'categorical', 'binary']),
    categories: z.array(z.string()).optional(),
  })
  .refine((c) => c.type !== 'binary' || c.categories === undefined || c.categories.length === 2, { message: 'a binary column has exactly two categories' });

export const tabular = defineModel<TabularConfig>({
  kind: 'tabular',
  summary: 'MLP autoencoder for table rows: a likelihood per column, missing cells masked out (HI-VAE / MIWAE)',
  reads: 'table',
  schema: z.strictObject({
    kind: z.literal('tabular'),
    columns: z.array(columnSchema).min(1),
    hiddenDims: z.array(schemas.positiveInt()).min(1).default([128, 128]),
    bottleneck: z.looseObject({ kind: z.string() }),
  }),
  encoderWidth: (config, networks) => networks?.encoder?.outputWidth ?? (config.hiddenDims.at(-1) as number),
  fromData: (shape) => {
    if (shape.kind !== 'table') throw new LatentkitError('UNSUPPORTED', `tabular reads table rows; this data has ${shape.kind}`);
    return { columns: shape.columns.map((c) => ({ name: c.name, type: c.type, ...(c.categories && { categories: [...c.categories] }) })) };
  },
  defaults: { latentDim: 8, batchSize: 128 },
  create: (config, rng, networks) => new Tabular(config, rng, networks),
});
