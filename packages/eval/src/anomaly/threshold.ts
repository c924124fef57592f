/**
 * A flag threshold calibrated on held-out normal data at a target false-positive rate. The threshold is the
 * ⌈(n + 1)(1 − α)⌉-th smallest of the n held-out normal scores (the split-conformal quantile): for a new normal
 * record exchangeable with them, P(score > threshold) ≤ α, and it is ≥ α − 1/(n + 1), so the FPR on fresh normal
 * data is α up to the binomial noise of the n calibration scores. With n < 1/α − 1 no order statistic is high
 * enough; the largest score is used and `achievableFpr` says what the guarantee then is.
 */
import { LatentkitError, invalidArgument } from '@latentkit/core';
import { checkFiniteArray } from '../validate.js';

export const CALIBRATION_FORMAT = 'latentkit.anomaly-calibration/1';

export interface ThresholdCalibration {
  readonly format: typeof CALIBRATION_FORMAT;
  /** Which score the threshold applies to (`reconstruction`, `negElbo`, `negImportanceWeighted`, or a caller's name). */
  readonly scoreKind: string;
  /** The target false-positive rate α. */
  readonly fpr: number;
  /** A record is flagged when its score is strictly above this. */
  readonly threshold: number;
  /** Held-out normal records it was calibrated on. */
  readonly n: number;
  /** Share of the calibration scores above the threshold. */
  readonly calibrationFpr: number;
  /** The smallest α the guarantee holds for with this n: 1/(n + 1). */
  readonly achievableFpr: number;
  /** Anything that must match for the threshold to apply (e.g. importance samples K). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export function checkFpr(fpr: number, name = 'fpr'): void {
  if (typeof fpr !== 'number' || !(fpr > 0 && fpr < 1)) throw invalidArgument(name, 'a false-positive rate strictly between 0 and 1', fpr);
}

export function calibrateThreshold(
  normalScores: ArrayLike<number>,
  fpr: number,
  scoreKind: string,
  settings?: Readonly<Record<string, unknown>>,
): ThresholdCalibration {
  checkFpr(fpr);
  checkFiniteArray(normalScores, 'normalScores');
  const n = normalScores.length;
  if (n === 0) throw new LatentkitError('INVALID_ARGUMENT', 'argument "normalScores" must hold at least one held-out normal score to calibrate on, got none');
  const sorted = Float64Array.from(normalScores).sort();
  const rank = Math.min(n, Math.ceil((n + 1) * (1 - fpr)));
  const threshold = sorted[rank - 1] as number;
  let above = 0;
  for (let i = 0; i < n; i++) if ((sorted[i] as number) > threshold) above++;
  return {
    format: CALIBRATION_FORMAT,
    scoreKind,
    fpr,
    threshold,
    n,
    calibrationFpr: above / n,
    achievableFpr: 1 / (n + 1),
    ...(settings && { settings }),
  };
}

/** 1 where the score is above the calibrated threshold. */
export function flagScores(scores: ArrayLike<number>, calibration: Pick<ThresholdCalibration, 'threshold'>): Uint8Array {
  return Uint8Array.from({ length: scores.length }, (_, i) => ((scores[i] as number) > calibration.threshold ? 1 : 0));
}
