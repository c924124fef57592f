/**
 * Linear probe: how much of the label is linearly readable from the codes. Standardise the codes, fit L2
 * softmax regression for each candidate strength on a stratified fitting split, keep the strength with the best
 * validation accuracy (ties: lower validation loss), refit on all training codes, and score held-out codes.
 */
import { LatentkitError, Rng, check, invalidArgument } from '@latentkit/core';
import { type Codes, encodeLabels, toDense } from '../validate.js';
import { type LabelledCodes, accuracyOf, checkWidth, denseLabelled } from './labelled.js';
import { type SoftmaxRegressionModel, fitSoftmaxRegression, mostProbable, softmaxPredict, softmaxProbabilities } from './softmax-regression.js';
import { type Standardizer, fitStandardizer, selectRows, standardize } from './standardize.js';
import { stratifiedSplit } from './split.js';

export interface LinearProbeOptions {
  /** Candidate L2 strengths (mean-loss units on standardised codes). Default 1e-6, 1e-5, …, 1. */
  readonly strengths?: readonly number[];
  /** Share of each class held out to choose the strength. Default 0.2. */
  readonly validationFraction?: number;
  /** Seed of the validation split. Default 0. */
  readonly seed?: number | string;
  /** Standardise each feature with training mean and deviation first. Default true. */
  readonly standardize?: boolean;
  /** L-BFGS iterations per fit. Default 300. */
  readonly maxIterations?: number;
  /** Gradient tolerance per fit. Default 1e-5. */
  readonly tolerance?: number;
}

export interface ProbeSelectionStep {
  readonly strength: number;
  readonly validationAccuracy: number;
  /** Mean cross-entropy on the validation split (nats). */
  readonly validationLoss: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** A fitted probe; `predictLinearProbe` applies it to new codes. */
export interface LinearProbe {
  /** Original label of each class index. */
  readonly classes: readonly number[];
  readonly standardizer: Standardizer | undefined;
  readonly model: SoftmaxRegressionModel;
  readonly strength: number;
  readonly validationAccuracy: number;
  readonly trainAccuracy: number;
  readonly path: readonly ProbeSelectionStep[];
}

export interface LinearProbeReport {
  readonly testAccuracy: number;
  readonly trainAccuracy: number;
  readonly strength: number;
  readonly validationAccuracy: number;
  readonly path: readonly ProbeSelectionStep[];
}

export const DEFAULT_PROBE_STRENGTHS: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

export function fitLinearProbe(train: LabelledCodes, options: LinearProbeOptions = {}): LinearProbe {
  const { x: raw, labels } = denseLabelled(train, 'train');
  const strengths = [...(options.strengths ?? DEFAULT_PROBE_STRENGTHS)].sort((a, b) => b - a);
  check(strengths.length > 0, 'strengths', 'a non-empty list of L2 strengths', options.strengths);
  for (const s of strengths) check(Number.isFinite(s) && s >= 0, 'strengths', 'non-negative finite numbers', options.strengths);
  const validationFraction = options.validationFraction ?? 0.2;
  check(validationFraction > 0 && validationFraction < 1, 'validationFraction', 'a number in (0, 1)', validationFraction);
  const { index: y, values: classes } = encodeLabels(labels);
  if (classes.length < 2) {
    throw new LatentkitError('INVALID_ARGUMENT', `argument "train.labels" must contain at least 2 classes for a probe, got only ${classes[0]}`, {
      argument: 'train.labels',
    });
  }
  const standardizer = options.standardize === false ? undefined : fitStandardizer(raw);
  const x = standardizer ? standardize(raw, standardizer) : raw;
  const k = classes.length;
  const fitOptions = { maxIterations: options.maxIterations ?? 300, tolerance: options.tolerance ?? 1e-5 };

  const split = stratifiedSplit(y, validationFraction, Rng.fromSeed(options.seed ?? 0));
  if (split.validation.length === 0) throw invalidArgument('train.labels', 'at least 2 examples of some class', labels.length);
  const xFit = selectRows(x, split.fit);
  const yFit = Int32Array.from(split.fit, (i) => y[i] as number);
  const xVal = selectRows(x, split.validation);
  const yVal = Int32Array.from(split.validation, (i) => y[i] as number);

  // Strongest penalty first: each fit warm-starts the next, weaker one.
  const path: ProbeSelectionStep[] = [];
  const solutions: SoftmaxRegressionModel[] = [];
  let warmStart: Float64Array | undefined;
  for (const strength of strengths) {
    const model = fitSoftmaxRegression(xFit, yFit, k, { ...fitOptions, l2: strength, warmStart });
    warmStart = model.parameters;
    const p = softmaxProbabilities(model, xVal);
    let loss = 0;
    for (let i = 0; i < yVal.length; i++) loss -= Math.log(Math.max(p[i * k + (yVal[i] as number)] as number, Number.MIN_VALUE));
    path.push({
      strength,
      validationAccuracy: accuracyOf(mostProbable(p, k), yVal),
      validationLoss: loss / yVal.length,
      iterations: model.iterations,
      converged: model.converged,
    });
    solutions.push(model);
  }
  let best = 0;
  for (let i = 1; i < path.length; i++) {
    const a = path[i] as ProbeSelectionStep;
    const b = path[best] as ProbeSelectionStep;
    if (a.validationAccuracy > b.validationAccuracy || (a.validationAccuracy === b.validationAccuracy && a.validationLoss < b.validationLoss)) best = i;
  }
  const chosen = path[best] as ProbeSelectionStep;
  const model = fitSoftmaxRegression(x, y, k, { ...fitOptions, l2: chosen.strength, warmStart: solutions[best]?.parameters });
  return {
    classes,
    standardizer,
    model,
    strength: chosen.strength,
    validationAccuracy: chosen.validationAccuracy,
    trainAccuracy: accuracyOf(softmaxPredict(model, x), y),
    path,
  };
}

/** Predicted labels (original label values) for new codes. */
export function predictLinearProbe(probe: LinearProbe, codes: Codes): number[] {
  const raw = toDense(codes, 'codes');
  checkWidth(raw, probe.model.numFeatures, 'codes');
  const x = probe.standardizer ? standardize(raw, probe.standardizer) : raw;
  return Array.from(softmaxPredict(probe.model, x), (c) => probe.classes[c] as number);
}

/** Fits a probe on `train` and reports its accuracy on `test`. */
export function linearProbe(train: LabelledCodes, test: LabelledCodes, options: LinearProbeOptions = {}): LinearProbeReport {
  const probe = fitLinearProbe(train, options);
  const { labels } = denseLabelled(test, 'test');
  const predicted = predictLinearProbe(probe, test.codes);
  return {
    testAccuracy: accuracyOf(predicted, labels),
    trainAccuracy: probe.trainAccuracy,
    strength: probe.strength,
    validationAccuracy: probe.validationAccuracy,
    path: probe.path,
  };
}
