/**
 * Binary attributes of a digit, derived from its class label. MNIST ships no attributes, so these stand in for
 * image + attributes: they are a fixed function of the label and carry no information the label does not (two pairs
 * of digits share a vector: 5 and 7, 6 and 8). Any user-given 0/1 attribute matrix works the same way.
 */
import { LatentkitError } from '@latentkit/core';

export interface DigitAttribute {
  readonly name: string;
  /** The digits that have it. */
  readonly digits: readonly number[];
}

export const DIGIT_ATTRIBUTES: readonly DigitAttribute[] = [
  { name: 'even', digits: [0, 2, 4, 6, 8] },
  { name: 'greaterThan4', digits: [5, 6, 7, 8, 9] },
  // As usually written: 4 is often drawn open at the top, so it is left out.
  { name: 'closedLoop', digits: [0, 6, 8, 9] },
  { name: 'prime', digits: [2, 3, 5, 7] },
];

/** The attributes of each label, row-major [labels.length · DIGIT_ATTRIBUTES.length], 1 where the digit has it. */
export function digitAttributes(labels: ArrayLike<number>): Float32Array {
  const k = DIGIT_ATTRIBUTES.length;
  const out = new Float32Array(labels.length * k);
  for (let i = 0; i < labels.length; i++) {
    const d = labels[i] as number;
    if (!(Number.isInteger(d) && d >= 0 && d <= 9)) throw new LatentkitError('INVALID_ARGUMENT', `labels[${i}]: expected a digit 0..9, got ${d}`);
    DIGIT_ATTRIBUTES.forEach((a, j) => {
      out[i * k + j] = a.digits.includes(d) ? 1 : 0;
    });
  }
  return out;
}
