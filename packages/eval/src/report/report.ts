/**
 * One call from a trained model and a labelled dataset to a plain, JSON-serialisable report with every number of
 * this package: likelihood bounds and latent usage on the test set, probe / kNN / k-means on the codes, and the
 * anomaly AUROC of the model's own −log p(x).
 *
 * The model is anything that can encode a batch and, if it has a density, hand over its likelihood pieces
 * (`EvaluableModel`), so the report works for any architecture; `fromModel` adapts latentkit's models.
 */
import { LatentkitError, type Tensor1D, type Tensor2D, tf } from '@latentkit/core';
import { auroc } from '../metrics/auroc.js';
import { type CodesEvalOptions, type CodesReport, evaluateCodes } from './evaluate-codes.js';
import { type LayerBatch, type LayerReport, evaluateLayers } from './evaluate-layers.js';
import { type LikelihoodBatch, type LikelihoodEvalOptions, type LikelihoodReport, evaluateLikelihood } from './evaluate-likelihood.js';
import type { LabelledBatch } from '@latentkit/data';

export interface EvaluableModel<B> {
  /** Plain JSON that identifies the model in the report (kind, bottleneck, sizes). */
  readonly description?: Readonly<Record<string, unknown>>;
  /** Deterministic codes for downstream tasks, [b, d]; the report disposes them. */
  encode(batch: B): Tensor2D;
  /**
   * Likelihood pieces of a batch; leave out for models without a density (plain or VQ autoencoders). Called inside
   * `tf.tidy`: tensors it creates are freed after the batch.
   */
  likelihood?(batch: B): LikelihoodBatch;
  /**
   * −log p(x | code) per example at the deterministic code, and the units it predicts: the distortion of any
   * autoencoder, with or without a density. Called inside `tf.tidy`.
   */
  reconstruction?(batch: B): { readonly nll: Tensor1D; readonly units: number };
  /** Hierarchical models: each stochastic layer's KL and posterior means (lowest first). Called inside `tf.tidy`. */
  stochasticLayers?(batch: B): LayerBatch[];
}

/** A batch with one integer label per example (without labels the downstream tasks are skipped): the data package's. */
export type { LabelledBatch };

export interface EvalDataset<B> {
  /** Codes to fit the probe and kNN on; without it both are skipped. */
  readonly train?: Iterable<LabelledBatch<B>> | AsyncIterable<LabelledBatch<B>>;
  /** Where everything is measured. */
  readonly test: Iterable<LabelledBatch<B>> | AsyncIterable<LabelledBatch<B>>;
}

export interface ReportOptions extends CodesEvalOptions {
  /** Seeds every random choice that has no seed of its own. Default 0. */
  readonly seed?: number | string;
  /** `false` skips the likelihood section. */
  readonly likelihood?: LikelihoodEvalOptions | false;
  /**
   * Anomaly detection: test examples whose label is not in `normalClasses` are the anomalies. The score is the
   * model's −log p(x) estimate (`likelihood`, the default when it has one) or its reconstruction error.
   */
  readonly anomaly?: { readonly normalClasses: readonly number[]; readonly score?: 'likelihood' | 'reconstruction' };
}

export interface ReconstructionReport {
  /** Mean −log p(x | deterministic code) per example, in nats. */
  readonly nll: number;
  /** Σ nll / Σ units. */
  readonly nllPerUnit: number;
  readonly units: number;
}

export interface AnomalyReport {
  readonly normalClasses: number[];
  readonly anomalies: number;
  readonly score: 'negImportanceWeightedBound' | 'negElbo' | 'reconstruction';
  readonly auroc: number;
}

export interface EvaluationReport extends CodesReport {
  readonly format: 'latentkit.eval-report/1';
  /** The seed every random choice was drawn from: the same model, data and seed give the same report. */
  readonly seed: number | string;
  readonly model: Readonly<Record<string, unknown>> | null;
  readonly data: { readonly trainExamples: number; readonly testExamples: number; readonly classes: number | null; readonly latentDim: number };
  readonly reconstruction: ReconstructionReport | null;
  readonly likelihood: LikelihoodReport | null;
  /** Per-layer KL and active units of a hierarchical model; null for one-layer models. */
  readonly layers: LayerReport[] | null;
  readonly anomaly: AnomalyReport | null;
  readonly seconds: number;
}

interface Encoded<B> {
  readonly batches: LabelledBatch<B>[];
  readonly codes: number[][];
  readonly labels: number[] | undefined;
}

async function encodeAll<B>(model: EvaluableModel<B>, source: Iterable<LabelledBatch<B>> | AsyncIterable<LabelledBatch<B>>, name: string): Promise<Encoded<B>> {
  const batches: LabelledBatch<B>[] = [];
  const codes: number[][] = [];
  let labels: number[] | undefined = [];
  for await (const item of source) {
    batches.push(item);
    const z = model.encode(item.batch);
    let rows: number[][];
    try {
      rows = (await z.array()) as number[][];
    } finally {
      z.dispose();
    }
    if (item.labels && labels) {
      if (item.labels.length !== rows.length) {
        throw new LatentkitError(
          'INVALID_ARGUMENT',
          `${name} batch ${batches.length - 1}: "labels" must have one entry per example (${rows.length}), got ${item.labels.length}`,
        );
      }
      labels.push(...Array.from(item.labels));
    } else labels = undefined;
    codes.push(...rows);
  }
  if (codes.length === 0) throw new LatentkitError('INVALID_ARGUMENT', `argument "dataset.${name}" must yield at least one batch, got none`);
  return { batches, codes, labels };
}

/** Reconstruction error over the batches, with the per-example values. */
function evaluateReconstruction<B>(
  reconstruct: NonNullable<EvaluableModel<B>['reconstruction']>,
  batches: readonly LabelledBatch<B>[],
): { report: ReconstructionReport; perExample: Float64Array } {
  const perExample: number[] = [];
  let units = 0;
  for (const item of batches) {
    tf.tidy(() => {
      const out = reconstruct(item.batch);
      perExample.push(...out.nll.dataSync());
      units += out.units;
    });
  }
  const total = perExample.reduce((s, v) => s + v, 0);
  if (!Number.isFinite(total)) throw new LatentkitError('NUMERIC_ERROR', `reconstruction error is not finite (sum ${total})`);
  return { report: { nll: total / perExample.length, nllPerUnit: total / units, units }, perExample: Float64Array.from(perExample) };
}

/** AUROC of a per-example score with the examples outside `normalClasses` as the positives. */
function anomalyReport(normalClasses: readonly number[], labels: readonly number[], scores: Float64Array, score: AnomalyReport['score']): AnomalyReport {
  const normal = new Set(normalClasses);
  const isAnomaly = labels.map((l) => (normal.has(l) ? 0 : 1));
  const anomalies = isAnomaly.reduce<number>((s, v) => s + v, 0);
  if (anomalies === 0 || anomalies === labels.length) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `option "anomaly.normalClasses" must leave both normal and anomalous test examples, got ${labels.length - anomalies} normal and ${anomalies} anomalous`,
      { argument: 'anomaly.normalClasses', normal: labels.length - anomalies, anomalies },
    );
  }
  return {
    normalClasses: [...normalClasses],
    anomalies,
    score,
    auroc: auroc(isAnomaly, scores),
  };
}

export async function report<B>(model: EvaluableModel<B>, dataset: EvalDataset<B>, options: ReportOptions = {}): Promise<EvaluationReport> {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const test = await encodeAll(model, dataset.test, 'test');
  const train = dataset.train ? await encodeAll(model, dataset.train, 'train') : undefined;

  let likelihood: LikelihoodReport | null = null;
  let negLogLikelihood: Float64Array | undefined;
  if (options.likelihood !== false && model.likelihood) {
    const likelihoodOf = model.likelihood.bind(model);
    const evaluation = evaluateLikelihood(
      test.batches.map((item) => () => likelihoodOf(item.batch)),
      { seed, ...options.likelihood },
    );
    likelihood = evaluation.report;
    negLogLikelihood = evaluation.negLogLikelihood;
  }

  const layers = model.stochasticLayers
    ? evaluateLayers(
        model.stochasticLayers.bind(model),
        test.batches.map((item) => item.batch),
        options.likelihood ? options.likelihood.activeUnitThreshold : undefined,
      )
    : null;

  const reconstruction = model.reconstruction ? evaluateReconstruction(model.reconstruction.bind(model), test.batches) : undefined;

  const testLabels = test.labels;
  const codes: CodesReport = testLabels
    ? evaluateCodes(
        { train: train?.labels && { codes: train.codes, labels: train.labels }, test: { codes: test.codes, labels: testLabels } },
        {
          probe: options.probe === false ? false : { seed, ...options.probe },
          knn: options.knn,
          kmeans: options.kmeans === false ? false : { seed, ...options.kmeans },
        },
      )
    : { probe: null, knn: null, clustering: null };

  let anomaly: AnomalyReport | null = null;
  if (options.anomaly && testLabels) {
    const { normalClasses, score = negLogLikelihood ? 'likelihood' : 'reconstruction' } = options.anomaly;
    if (score === 'likelihood' && negLogLikelihood) {
      const name = likelihood?.importanceWeighted ? 'negImportanceWeightedBound' : 'negElbo';
      anomaly = anomalyReport(normalClasses, testLabels, negLogLikelihood, name);
    } else if (score === 'reconstruction' && reconstruction) {
      anomaly = anomalyReport(normalClasses, testLabels, reconstruction.perExample, 'reconstruction');
    } else {
      throw new LatentkitError('UNSUPPORTED', `option "anomaly.score" is "${score}", but the model gives no ${score} (or it was turned off)`, {
        argument: 'anomaly.score',
      });
    }
  }

  return {
    format: 'latentkit.eval-report/1',
    seed,
    model: model.description ?? null,
    data: {
      trainExamples: train?.codes.length ?? 0,
      testExamples: test.codes.length,
      classes: testLabels ? new Set(testLabels).size : null,
      latentDim: (test.codes[0] as number[]).length,
    },
    reconstruction: reconstruction?.report ?? null,
    likelihood,
    layers,
    ...codes,
    anomaly,
    seconds: (performance.now() - started) / 1000,
  };
}
