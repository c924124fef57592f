import { LatentkitError, invalidArgument } from '@latentkit/core';
import { type Labels, checkFiniteArray, checkSameLength } from '../validate.js';

/**
 * Area under the ROC curve for per-example scores (higher = more likely positive) against binary labels (1 =
 * positive, e.g. anomaly; 0 = negative). Tied scores form one step of the curve and contribute the trapezoid
 * between its ends, i.e. half credit, exactly as scikit-learn's `roc_auc_score`.
 *
 * Counts stay integers until the last division, so the result is exact up to one rounding.
 */
export function auroc(binaryLabels: Labels | ArrayLike<boolean>, scores: ArrayLike<number>): number {
  if (binaryLabels == null || typeof binaryLabels.length !== 'number') {
    throw invalidArgument('binaryLabels', 'an array of 0/1 labels', binaryLabels);
  }
  checkSameLength(binaryLabels, 'binaryLabels', scores, 'scores');
  checkFiniteArray(scores, 'scores');
  const n = scores.length;
  const positive = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = binaryLabels[i];
    if (v !== 0 && v !== 1 && v !== true && v !== false) throw invalidArgument(`binaryLabels[${i}]`, '0, 1, true or false', v);
    positive[i] = v === 1 || v === true ? 1 : 0;
    positives += positive[i] as number;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `argument "binaryLabels" must contain both classes (0 and 1) for AUROC, got only ${positives === 0 ? 0 : 1}s (${n} examples)`,
      { argument: 'binaryLabels', positives, negatives },
    );
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  // Twice the area in units of (1 negative × 1 positive): each block of tied scores adds a trapezoid.
  let twiceArea = 0;
  let truePositives = 0;
  for (let start = 0; start < n; ) {
    const score = scores[order[start] as number] as number;
    let blockPositives = 0;
    let blockNegatives = 0;
    let end = start;
    for (; end < n && scores[order[end] as number] === score; end++) {
      if (positive[order[end] as number]) blockPositives++;
      else blockNegatives++;
    }
    twiceArea += blockNegatives * (2 * truePositives + blockPositives);
    truePositives += blockPositives;
    start = end;
  }
  return twiceArea / (2 * positives * negatives);
}
