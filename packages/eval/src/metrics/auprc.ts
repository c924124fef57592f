import { LatentkitError, invalidArgument } from '@latentkit/core';
import { type Labels, checkFiniteArray, checkSameLength } from '../validate.js';

/** 0/1 flags of the positives, checked: the labels AUROC and AUPRC take. */
export function positiveFlags(binaryLabels: Labels | ArrayLike<boolean>, scores: ArrayLike<number>, metric: string): Uint8Array {
  if (binaryLabels == null || typeof binaryLabels.length !== 'number') throw invalidArgument('binaryLabels', 'an array of 0/1 labels', binaryLabels);
  checkSameLength(binaryLabels, 'binaryLabels', scores, 'scores');
  checkFiniteArray(scores, 'scores');
  const positive = new Uint8Array(scores.length);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const v = binaryLabels[i];
    if (v !== 0 && v !== 1 && v !== true && v !== false) throw invalidArgument(`binaryLabels[${i}]`, '0, 1, true or false', v);
    positive[i] = v === 1 || v === true ? 1 : 0;
    positives += positive[i] as number;
  }
  if (positives === 0 || positives === scores.length) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `argument "binaryLabels" must contain both classes (0 and 1) for ${metric}, got only ${positives === 0 ? 0 : 1}s (${scores.length} examples)`,
      { argument: 'binaryLabels', positives, negatives: scores.length - positives },
    );
  }
  return positive;
}

/** The distinct thresholds from the highest score down, with the true and false positives at or above each. */
function cumulativeCounts(positive: Uint8Array, scores: ArrayLike<number>): { tp: number[]; fp: number[]; thresholds: number[] } {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const tp: number[] = [];
  const fp: number[] = [];
  const thresholds: number[] = [];
  let t = 0;
  let f = 0;
  for (let start = 0; start < n; ) {
    const score = scores[order[start] as number] as number;
    let end = start;
    for (; end < n && scores[order[end] as number] === score; end++) {
      if (positive[order[end] as number]) t++;
      else f++;
    }
    tp.push(t);
    fp.push(f);
    thresholds.push(score);
    start = end;
  }
  return { tp, fp, thresholds };
}

/**
 * Area under the precision-recall curve as average precision, Σ_k (R_k − R_{k−1}) P_k over the distinct thresholds
 * (scikit-learn's `average_precision_score`: a step function, no interpolation, since a linear one overstates it).
 * Higher score = more likely positive.
 */
export function auprc(binaryLabels: Labels | ArrayLike<boolean>, scores: ArrayLike<number>): number {
  const positive = positiveFlags(binaryLabels, scores, 'AUPRC');
  const { tp, fp } = cumulativeCounts(positive, scores);
  const positives = tp.at(-1) as number;
  let ap = 0;
  let previousRecall = 0;
  for (let k = 0; k < tp.length; k++) {
    const recall = (tp[k] as number) / positives;
    ap += (recall - previousRecall) * ((tp[k] as number) / ((tp[k] as number) + (fp[k] as number)));
    previousRecall = recall;
  }
  return ap;
}

export interface RocCurve {
  /** From (0, 0) to (1, 1), one point per distinct score (the first point has threshold +∞). */
  readonly fpr: Float64Array;
  readonly tpr: Float64Array;
  readonly thresholds: Float64Array;
}

/** The ROC curve's corners (scikit-learn's `roc_curve` with `drop_intermediate=False`), for plots. */
export function rocCurve(binaryLabels: Labels | ArrayLike<boolean>, scores: ArrayLike<number>): RocCurve {
  const positive = positiveFlags(binaryLabels, scores, 'the ROC curve');
  const { tp, fp, thresholds } = cumulativeCounts(positive, scores);
  const positives = tp.at(-1) as number;
  const negatives = fp.at(-1) as number;
  return {
    fpr: Float64Array.from([0, ...fp.map((f) => f / negatives)]),
    tpr: Float64Array.from([0, ...tp.map((t) => t / positives)]),
    thresholds: Float64Array.from([Number.POSITIVE_INFINITY, ...thresholds]),
  };
}
