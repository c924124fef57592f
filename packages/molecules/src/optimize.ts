/**
 * Property-guided design: gradient ascent on a property head's prediction, starting from prior samples and kept in
 * a trust region (each coordinate within `trustRadius` standard deviations of the prior's mean, estimated from prior
 * draws, or of the training codes for a bottleneck without a prior), then decoded. Designed and prior molecules are
 * decoded the same way and scored the same way, including with RDKit's own logP and QED, which the heads never saw.
 */
import type { Chemistry } from '@latentkit/chem';
import { LatentkitError, Rng, tf } from '@latentkit/core';
import { sampleCodes } from '@latentkit/models';
import type { PropertyHead, PropertyName } from './heads.js';
import { encodableMolecules } from './property-heads.js';
import { decodeSmiles, encodeSmiles } from './sample.js';
import type { SmilesVae } from './smiles-vae.js';

export interface OptimizeOptions {
  readonly property: PropertyName;
  /** Molecules to design. Default 100. */
  readonly n?: number;
  /** Gradient steps. Default 100. */
  readonly steps?: number;
  /** Step size in code units. Default 0.05. */
  readonly learningRate?: number;
  /** k: each code coordinate stays within μ ± k·σ of the prior (or the training codes). Default 2. */
  readonly trustRadius?: number;
  readonly seed?: number | string;
  /** Decoding temperature; default 0 (greedy), so a code decodes to one molecule. */
  readonly temperature?: number;
  /** Training SMILES for novelty. */
  readonly train?: Iterable<string>;
  /** Codes of training molecules: the trust region's centre and scale when the bottleneck has no prior. */
  readonly trainCodes?: tf.Tensor2D;
  /** Called after each gradient step (1-based) with the total: a progress bar's tick. */
  readonly onStep?: (step: number, steps: number) => void;
}

export interface MoleculeSetSummary {
  readonly count: number;
  readonly valid: number;
  readonly unique: number;
  readonly novelty?: number;
  /** The head's mean prediction at the codes the molecules were decoded from. */
  readonly predictedAtCode: number;
  /** The head's mean prediction for the decoded valid molecules, re-encoded (what the molecule, not the code, scores). */
  readonly predictedDecoded?: number;
  /** RDKit Crippen logP and QED, means over the valid molecules. */
  readonly logP?: number;
  readonly qed?: number;
}

export interface OptimizeResult {
  readonly property: PropertyName;
  /** What the head predicts: "logS" or "mean P(toxic) over the Tox21 assays". */
  readonly unit: string;
  readonly steps: number;
  readonly trustRadius: number;
  readonly designed: readonly string[];
  readonly prior: readonly string[];
  /** Per-molecule predictions at the codes, for paired comparisons. */
  readonly designedPredicted: Float32Array;
  readonly priorPredicted: Float32Array;
  readonly summary: { readonly designed: MoleculeSetSummary; readonly prior: MoleculeSetSummary };
}

const mean = (xs: ArrayLike<number>): number => (xs.length ? Array.from(xs).reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** The trust region's centre and scale per coordinate. */
function regionOf(model: SmilesVae, rng: Rng, trainCodes?: tf.Tensor2D): { mu: tf.Tensor1D; sigma: tf.Tensor1D } {
  return tf.tidy(() => {
    const codes = model.bottleneck.sampleCodes ? model.bottleneck.sampleCodes(2000, rng.fork('region')) : trainCodes;
    if (!codes) throw new LatentkitError('UNSUPPORTED', `a ${model.bottleneck.config.kind} bottleneck has no prior; give trainCodes to set the trust region`);
    const { mean: mu, variance } = tf.moments(codes, 0);
    return { mu: mu as tf.Tensor1D, sigma: tf.sqrt(variance).add(1e-6) as tf.Tensor1D };
  });
}

/** Moves `start` codes up the head's objective by projected gradient ascent in the box μ ± k·σ. */
export function ascend(
  head: PropertyHead,
  start: tf.Tensor2D,
  region: { mu: tf.Tensor1D; sigma: tf.Tensor1D },
  options: { steps: number; learningRate: number; trustRadius: number; onStep?: (step: number, steps: number) => void },
): tf.Tensor2D {
  const lo = tf.tidy(() => region.mu.sub(region.sigma.mul(options.trustRadius)));
  const hi = tf.tidy(() => region.mu.add(region.sigma.mul(options.trustRadius)));
  let z = tf.tidy(() => tf.minimum(tf.maximum(start, lo), hi)) as tf.Tensor2D;
  const grad = tf.grad((codes: tf.Tensor) => head.objective(codes as tf.Tensor2D).sum());
  for (let step = 0; step < options.steps; step++) {
    const next = tf.tidy(() => {
      // Steps scaled by σ per coordinate, so the region's shape, not the code's units, sets how far a step goes.
      const g = grad(z);
      return tf.minimum(tf.maximum(z.add(g.mul(region.sigma).mul(options.learningRate)), lo), hi) as tf.Tensor2D;
    });
    z.dispose();
    z = next;
    options.onStep?.(step + 1, options.steps);
  }
  tf.dispose([lo, hi]);
  return z;
}

function summarize(
  chem: Chemistry,
  model: SmilesVae,
  head: PropertyHead,
  smiles: readonly string[],
  predictedAtCode: Float32Array,
  train?: ReadonlySet<string>,
): MoleculeSetSummary {
  const canonical: string[] = [];
  const logP: number[] = [];
  const qed: number[] = [];
  for (const s of smiles) {
    const c = s ? chem.canonicalSmiles(s) : null;
    if (c === null) continue;
    canonical.push(c);
    const d = chem.descriptors(c);
    if (d) {
      logP.push(d.logP);
      qed.push(d.qed);
    }
  }
  const distinct = new Set(canonical);
  let predictedDecoded: number | undefined;
  const enc = encodableMolecules(model, canonical);
  if (enc.kept.length > 0) {
    const codes = encodeSmiles(
      model,
      enc.kept.map((k) => canonical[k] as string),
      (() => {
        let j = 0;
        return () => enc.ids[j++] as Int32Array;
      })(),
    );
    predictedDecoded = mean(tf.tidy(() => head.predict(codes).dataSync()));
    codes.dispose();
  }
  return {
    count: smiles.length,
    valid: canonical.length / smiles.length,
    unique: canonical.length ? distinct.size / canonical.length : 0,
    ...(train && { novelty: distinct.size ? [...distinct].filter((c) => !train.has(c)).length / distinct.size : 0 }),
    predictedAtCode: mean(predictedAtCode),
    ...(predictedDecoded !== undefined && { predictedDecoded }),
    ...(logP.length > 0 && { logP: mean(logP), qed: mean(qed) }),
  };
}

/** Designs `n` molecules for `property` and scores them against `n` prior samples decoded the same way. */
export function optimizeMolecules(
  chem: Chemistry,
  model: SmilesVae,
  heads: Partial<Record<PropertyName, PropertyHead>>,
  options: OptimizeOptions,
): OptimizeResult {
  const head = heads[options.property];
  if (!head)
    throw new LatentkitError('INVALID_ARGUMENT', `optimizeMolecules: no ${options.property} head given (have: ${Object.keys(heads).join(', ') || 'none'})`);
  if (head.codeDim !== model.bottleneck.codeDim)
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `the ${options.property} head reads ${head.codeDim}-dimensional codes; this model's are ${model.bottleneck.codeDim}`,
    );
  const n = options.n ?? 100;
  const steps = options.steps ?? 100;
  const trustRadius = options.trustRadius ?? 2;
  const learningRate = options.learningRate ?? 0.05;
  if (!Number.isInteger(n) || n <= 0) throw new LatentkitError('INVALID_ARGUMENT', `optimizeMolecules: n must be a positive integer, got ${n}`);
  if (!(trustRadius > 0)) throw new LatentkitError('INVALID_ARGUMENT', `optimizeMolecules: trustRadius must be > 0, got ${trustRadius}`);
  const rng = Rng.fromSeed(`latentkit-optimize:${options.seed ?? 1}`);
  const region = regionOf(model, rng, options.trainCodes);
  const start = model.bottleneck.sampleCodes
    ? sampleCodes(model, n, rng.fork('start'))
    : tf.tidy(() => tf.randomNormal([n, model.bottleneck.codeDim], 0, 1, 'float32', rng.tfSeed()).mul(region.sigma).add(region.mu) as tf.Tensor2D);
  const designedCodes = ascend(head, start, region, { steps, learningRate, trustRadius, ...(options.onStep && { onStep: options.onStep }) });
  try {
    const priorPredicted = tf.tidy(() => head.predict(start).dataSync() as Float32Array);
    const designedPredicted = tf.tidy(() => head.predict(designedCodes).dataSync() as Float32Array);
    const decode = { temperature: options.temperature ?? 0 };
    const prior = decodeSmiles(model, start, rng.fork('decode-prior'), decode);
    const designed = decodeSmiles(model, designedCodes, rng.fork('decode-designed'), decode);
    const train = options.train ? new Set(options.train) : undefined;
    return {
      property: options.property,
      unit: options.property === 'solubility' ? 'logS' : 'mean P(toxic) over the Tox21 assays',
      steps,
      trustRadius,
      designed,
      prior,
      designedPredicted,
      priorPredicted,
      summary: {
        designed: summarize(chem, model, head, designed, designedPredicted, train),
        prior: summarize(chem, model, head, prior, priorPredicted, train),
      },
    };
  } finally {
    tf.dispose([start, designedCodes, region.mu, region.sigma]);
  }
}

/** The design report as a Markdown table. */
export function formatOptimizeReport(result: OptimizeResult): string {
  const f = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
  const { designed: d, prior: p } = result.summary;
  const rows: [string, string, string][] = [
    ['molecules', String(d.count), String(p.count)],
    ['valid', f(d.valid), f(p.valid)],
    ['unique (of valid)', f(d.unique), f(p.unique)],
    ['novelty', f(d.novelty), f(p.novelty)],
    [`predicted ${result.unit} at the code`, f(d.predictedAtCode), f(p.predictedAtCode)],
    [`predicted ${result.unit}, decoded molecule re-encoded`, f(d.predictedDecoded), f(p.predictedDecoded)],
    ['RDKit logP (mean)', f(d.logP), f(p.logP)],
    ['RDKit QED (mean)', f(d.qed), f(p.qed)],
  ];
  return [
    `design for ${result.property}: ${result.steps} gradient steps, trust region ±${result.trustRadius}σ`,
    '',
    '| | designed | prior |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}
