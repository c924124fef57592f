/**
 * Splits for anomaly detection (`data.normal`): the model trains and validates on normal records only, and the test
 * split is the normal records it never saw plus every other record, so the test split measures detection on data
 * the model was not fitted to, and the validation split is held-out normal data to calibrate a threshold on.
 * Records with a missing label are not known to be normal, so they go to the test split too.
 */
import { LatentkitError } from '@latentkit/core/base';
import type { TableColumn } from '../tabular/types.js';
import type { DataSpec } from './loaded.js';
import { threeWaySplit } from './table-data.js';

export interface IndexSplit {
  readonly train: Int32Array;
  readonly valid: Int32Array;
  readonly test: Int32Array;
}

/** The seeded three-way split of the normal records, with every other record added to the test part. */
export function normalSplit(isNormal: Uint8Array, spec: DataSpec): IndexSplit {
  const pool = Int32Array.from({ length: isNormal.length }, (_, i) => i).filter((i) => isNormal[i] === 1);
  if (pool.length === 0)
    throw new LatentkitError('INVALID_CONFIG', `data.normal: no record has a label in ${JSON.stringify(spec.normal)}`, { path: 'data.normal' });
  const inner = threeWaySplit(pool.length, spec);
  const at = (part: Int32Array) => part.map((i) => pool[i] as number);
  const test = new Uint8Array(isNormal.length);
  for (const i of at(inner.test)) test[i] = 1;
  for (let i = 0; i < isNormal.length; i++) if (isNormal[i] === 0) test[i] = 1;
  return { train: at(inner.train), valid: at(inner.valid), test: Int32Array.from({ length: isNormal.length }, (_, i) => i).filter((i) => test[i] === 1) };
}

/** The label codes (category indices, or the numbers of a numeric label) that `data.normal` names. */
export function normalLabelCodes(label: TableColumn | undefined, normal: readonly (string | number)[], source: string): number[] {
  if (!label)
    throw new LatentkitError('INVALID_CONFIG', `data.normal needs a label column to pick normal rows by; ${source} has none (name it with --label-column)`, {
      path: 'data.normal',
    });
  const { categories } = label.schema;
  return normal.map((v) => {
    if (categories) {
      const at = categories.indexOf(String(v));
      if (at >= 0) return at;
    } else if (Number.isFinite(Number(v))) return Number(v);
    throw new LatentkitError(
      'INVALID_CONFIG',
      `data.normal: ${JSON.stringify(v)} is not a value of the label column "${label.schema.name}" of ${source}${categories ? ` (its values: ${categories.slice(0, 20).join(', ')})` : ' (a numeric column)'}`,
      { path: 'data.normal' },
    );
  });
}

/** 1 for the records whose (present) label is one of `codes`. */
export function normalMask(labels: ArrayLike<number>, missing: ArrayLike<number> | undefined, codes: readonly number[]): Uint8Array {
  const set = new Set(codes);
  return Uint8Array.from({ length: labels.length }, (_, i) => (missing?.[i] !== 1 && set.has(labels[i] as number) ? 1 : 0));
}
