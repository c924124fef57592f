import { LatentkitError } from '@latentkit/core';
import { type Codes, type DenseMatrix, type Labels, checkLabels, checkSameLength, toDense } from '../validate.js';

/** Codes with one integer label per row. */
export interface LabelledCodes {
  readonly codes: Codes;
  readonly labels: Labels;
}

/** Checks a labelled set and copies it into a dense matrix; `name` prefixes argument names in errors. */
export function denseLabelled(set: LabelledCodes, name: string): { x: DenseMatrix; labels: Labels } {
  checkLabels(set?.labels, `${name}.labels`);
  const x = toDense(set.codes, `${name}.codes`);
  checkSameLength(set.codes, `${name}.codes`, set.labels, `${name}.labels`);
  return { x, labels: set.labels };
}

export function checkWidth(x: DenseMatrix, expected: number, name: string): void {
  if (x.cols !== expected) {
    throw new LatentkitError('INVALID_ARGUMENT', `argument "${name}" must have ${expected} features like the training codes, got ${x.cols}`, {
      argument: name,
      expected,
      got: x.cols,
    });
  }
}

export function accuracyOf(predicted: ArrayLike<number>, labels: Labels): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}
