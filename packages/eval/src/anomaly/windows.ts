/**
 * A series of readings as overlapping windows, and the windows' scores back on the readings. Windows of `window`
 * readings start every `stride` readings; when the last one stops short of the end, one more window ends exactly
 * at the last reading, so every reading is covered. A reading's score is the mean (default) or the maximum of the
 * scores of the windows that cover it. The mean is the default because, in the interior, each reading is covered by
 * about window/stride windows and their mean is a centred moving average of the window scores: one odd window
 * raises its readings a little, a run of odd windows raises them a lot. The maximum marks every reading of an odd
 * window, which widens each flagged region by up to a window on both sides (use it when missing an anomaly costs
 * more than a broad alarm).
 */
import { LatentkitError, checkPositiveInt } from '@latentkit/core';

export type WindowAggregate = 'mean' | 'max';

/** First reading of each window. */
export function windowStarts(length: number, window: number, stride: number): Int32Array {
  checkPositiveInt(window, 'window');
  checkPositiveInt(stride, 'stride');
  if (length < window) {
    throw new LatentkitError('INVALID_ARGUMENT', `a series of ${length} readings is shorter than one window of ${window}; use a smaller --window`, {
      argument: 'window',
    });
  }
  const starts: number[] = [];
  for (let s = 0; s + window <= length; s += stride) starts.push(s);
  if ((starts.at(-1) as number) + window < length) starts.push(length - window);
  return Int32Array.from(starts);
}

/** The windows as rows [starts.length, window], row-major; NaN readings stay NaN (missing cells for the model). */
export function windowRows(values: ArrayLike<number>, starts: Int32Array, window: number): Float64Array {
  const out = new Float64Array(starts.length * window);
  for (let w = 0; w < starts.length; w++) for (let j = 0; j < window; j++) out[w * window + j] = values[(starts[w] as number) + j] as number;
  return out;
}

/** Each reading's score from the windows that cover it. */
export function readingScores(
  windowScores: ArrayLike<number>,
  starts: Int32Array,
  window: number,
  length: number,
  aggregate: WindowAggregate = 'mean',
): Float64Array {
  if (windowScores.length !== starts.length) {
    throw new LatentkitError('INVALID_ARGUMENT', `expected one score per window (${starts.length}), got ${windowScores.length}`, { argument: 'windowScores' });
  }
  const out = new Float64Array(length).fill(aggregate === 'max' ? Number.NEGATIVE_INFINITY : 0);
  const covered = new Int32Array(length);
  for (let w = 0; w < starts.length; w++) {
    const score = windowScores[w] as number;
    const s = starts[w] as number;
    for (let t = s; t < s + window && t < length; t++) {
      covered[t] = (covered[t] as number) + 1;
      out[t] = aggregate === 'max' ? Math.max(out[t] as number, score) : (out[t] as number) + score;
    }
  }
  for (let t = 0; t < length; t++) {
    if (covered[t] === 0) throw new LatentkitError('INVALID_ARGUMENT', `reading ${t} is covered by no window (starts must come from windowStarts)`);
    if (aggregate === 'mean') out[t] = (out[t] as number) / (covered[t] as number);
  }
  return out;
}
