/**
 * `impute`: fills the missing cells of rows with one of four methods, in chunks of rows (each chunk with its own
 * child stream of the seeded Rng, so a seed reproduces the result). Observed cells are copied from the input, never
 * recomputed, so they come back bit for bit. With `draws` > 1 each missing numeric cell also gets the standard
 * deviation of its multiple imputations.
 */
import { LatentkitError, Rng } from '@latentkit/core';
import { parseConfig, schemas, z } from '@latentkit/core/schema';
import type { Model } from '@latentkit/models';
import { gibbs } from './gibbs.js';
import { imageImputable } from './image-target.js';
import { miwae } from './miwae.js';
import { mwg } from './mwg.js';
import { single } from './single.js';
import { tabularImputable } from './tabular-target.js';
import type { ImputableModel, ImputationMethod, MaskedRows } from './types.js';

/** The methods by name. */
export const IMPUTATION_METHODS: Readonly<Record<'single' | 'gibbs' | 'mwg' | 'miwae', ImputationMethod>> = { single, gibbs, mwg, miwae };
export type ImputationMethodName = keyof typeof IMPUTATION_METHODS;

export const imputeOptionsSchema = z.strictObject({
  method: z.enum(Object.keys(IMPUTATION_METHODS) as [ImputationMethodName, ...ImputationMethodName[]]).default('miwae'),
  /** Pseudo-Gibbs and Metropolis-within-Gibbs iterations; the first half is burn-in. */
  iterations: schemas.positiveInt().default(20),
  /** Multiple imputations per row; 1 gives none (and no standard deviations). */
  draws: schemas.positiveInt().default(1),
  /** MIWAE's importance samples S. */
  importanceSamples: schemas.positiveInt().default(100),
  seed: z.union([z.number(), z.string()]).default(0),
  /** Rows per chunk. */
  batchSize: schemas.positiveInt().default(256),
});
export type ImputeOptions = z.input<typeof imputeOptionsSchema> & {
  /** Called after each chunk with the rows done so far. */
  readonly onProgress?: (done: number, total: number) => void;
};

export interface Imputation {
  /** The rows with their missing cells filled [size, width]; observed cells are the input's values, bit for bit. */
  readonly values: Float32Array;
  /** With draws > 1: per cell, the standard deviation of its imputations (0 on observed and non-numeric cells). */
  readonly sd?: Float32Array;
  /** Metropolis-within-Gibbs: the share of proposals accepted. */
  readonly acceptance?: number;
}

/** Sample standard deviation over draws [draws, size·width] of each missing numeric cell. */
function drawSd(model: ImputableModel, rows: MaskedRows, draws: Float32Array, k: number): Float32Array {
  const n = rows.size * rows.width;
  const sd = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (rows.missing[i] === 0 || !model.numeric[i % rows.width]) continue;
    let mean = 0;
    for (let d = 0; d < k; d++) mean += (draws[d * n + i] as number) / k;
    let ss = 0;
    for (let d = 0; d < k; d++) ss += ((draws[d * n + i] as number) - mean) ** 2;
    sd[i] = Math.sqrt(ss / (k - 1));
  }
  return sd;
}

function checkRows(model: ImputableModel, rows: MaskedRows): void {
  if (rows.width !== model.width) {
    throw new LatentkitError('INVALID_ARGUMENT', `rows.width: expected the model's ${model.width} cells per row, got ${rows.width}`, {
      argument: 'rows.width',
    });
  }
  const n = rows.size * rows.width;
  if (rows.values.length !== n || rows.missing.length !== n) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `rows: expected ${n} values and mask entries (size ${rows.size} × width ${rows.width}), got ${rows.values.length} and ${rows.missing.length}`,
      {
        argument: 'rows',
      },
    );
  }
  for (let i = 0; i < n; i++) {
    if (rows.missing[i] === 0 && !Number.isFinite(rows.values[i] as number)) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `rows.values: row ${Math.floor(i / rows.width)}, cell ${i % rows.width} is observed but ${rows.values[i]}; mark it missing`,
        {
          argument: 'rows.values',
        },
      );
    }
  }
}

/** Fills the missing cells of `rows` (model units: standardised numbers, category slots, 0/1, pixels). */
export function impute(model: ImputableModel, rows: MaskedRows, options: ImputeOptions = {}): Imputation {
  const { onProgress, ...rest } = options;
  const o = parseConfig(imputeOptionsSchema, rest, 'impute');
  checkRows(model, rows);
  const method = IMPUTATION_METHODS[o.method];
  const rng = Rng.fromSeed(o.seed);
  const values = Float32Array.from(rows.values);
  const sd = o.draws > 1 ? new Float32Array(values.length) : undefined;
  const w = rows.width;
  let accepted = 0;
  for (let start = 0; start < rows.size; start += o.batchSize) {
    const size = Math.min(o.batchSize, rows.size - start);
    const chunk: MaskedRows = {
      size,
      width: w,
      values: rows.values.subarray(start * w, (start + size) * w),
      missing: rows.missing.subarray(start * w, (start + size) * w),
    };
    const out = method(model, chunk, { rng: rng.fork(`rows${start}`), draws: o.draws, iterations: o.iterations, importanceSamples: o.importanceSamples });
    for (let i = 0; i < size * w; i++) {
      if (chunk.missing[i] !== 1) continue;
      const v = out.points[i] as number;
      if (!Number.isFinite(v)) {
        throw new LatentkitError('NUMERIC_ERROR', `impute (${o.method}): row ${start + Math.floor(i / w)}, cell ${i % w} came out ${v}`, {
          row: start + Math.floor(i / w),
        });
      }
      values[start * w + i] = v;
    }
    if (sd && out.draws) sd.set(drawSd(model, chunk, out.draws, o.draws), start * w);
    accepted += (out.acceptance ?? 0) * size;
    onProgress?.(start + size, rows.size);
  }
  return { values, ...(sd && { sd }), ...(o.method === 'mwg' && { acceptance: accepted / Math.max(1, rows.size) }) };
}

/** The imputation view of a trained latentkit model: tabular rows, or image pixels (inpainting). */
export function imputableModel(model: Model): ImputableModel {
  const kind = model.config.kind;
  if (kind === 'tabular') return tabularImputable(model as unknown as Parameters<typeof tabularImputable>[0]);
  if (kind === 'imageMlp' || kind === 'imageConv') return imageImputable(model as unknown as Parameters<typeof imageImputable>[0]);
  throw new LatentkitError('UNSUPPORTED', `imputation reads table rows or images; a ${kind} model has neither`);
}
