/**
 * Property heads on the latent code, trained on frozen codes of a trained SMILES VAE: a regression of ESOL's
 * measured logS (standardised targets, squared error) and a multi-task Tox21 classifier (12 sigmoid outputs, binary
 * cross-entropy averaged over measured labels only: a missing label contributes nothing, not a guessed 0).
 */
import { LatentkitError, Rng, tf, writeFileAtomic } from '@latentkit/core';
import fs from 'node:fs';

export type PropertyName = 'solubility' | 'toxicity';

export const HEAD_FORMAT = 'latentkit-property-head@1';

export interface HeadJSON {
  readonly format: typeof HEAD_FORMAT;
  readonly property: PropertyName;
  readonly codeDim: number;
  readonly hidden: number;
  readonly outputs: number;
  /** Task names: ['logS'] or the 12 Tox21 assays. */
  readonly tasks: readonly string[];
  /** Regression: the training targets' mean and standard deviation (predictions are in logS units). */
  readonly targetMean: number;
  readonly targetStd: number;
  readonly weights: { readonly w1: number[]; readonly b1: number[]; readonly w2: number[]; readonly b2: number[] };
  /** Held-out fit: RMSE in logS, or mean ROC AUC over assays. */
  readonly validation: Readonly<Record<string, number>>;
}

/** A two-layer MLP from codes to a property: tanh hidden units, so its gradient in the code is smooth for design. */
export class PropertyHead {
  readonly property: PropertyName;
  readonly tasks: readonly string[];
  readonly codeDim: number;
  readonly hidden: number;
  targetMean: number;
  targetStd: number;
  validation: Record<string, number> = {};
  readonly w1: tf.Variable;
  readonly b1: tf.Variable;
  readonly w2: tf.Variable;
  readonly b2: tf.Variable;

  constructor(
    property: PropertyName,
    codeDim: number,
    tasks: readonly string[],
    options: { hidden?: number; seed?: number | string; targetMean?: number; targetStd?: number } = {},
  ) {
    this.property = property;
    this.tasks = tasks;
    this.codeDim = codeDim;
    this.hidden = options.hidden ?? 64;
    this.targetMean = options.targetMean ?? 0;
    this.targetStd = options.targetStd ?? 1;
    const rng = Rng.fromSeed(`latentkit-head:${property}:${options.seed ?? 0}`);
    const glorot = (rows: number, cols: number) =>
      tf.randomUniform([rows, cols], -Math.sqrt(6 / (rows + cols)), Math.sqrt(6 / (rows + cols)), 'float32', rng.tfSeed());
    this.w1 = tf.variable(glorot(codeDim, this.hidden));
    this.b1 = tf.variable(tf.zeros([this.hidden]));
    this.w2 = tf.variable(glorot(this.hidden, tasks.length));
    this.b2 = tf.variable(tf.zeros([tasks.length]));
  }

  /** Raw outputs [n, tasks]: standardised logS, or logits. */
  raw(codes: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.tanh(codes.matMul(this.w1).add(this.b1)).matMul(this.w2).add(this.b2) as tf.Tensor2D);
  }

  /**
   * The property per code [n]: predicted logS (higher is more soluble), or the mean predicted probability of a
   * positive assay (higher is more toxic).
   */
  predict(codes: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const raw = this.raw(codes);
      if (this.property === 'solubility') return raw.squeeze([1]).mul(this.targetStd).add(this.targetMean) as tf.Tensor1D;
      return tf.sigmoid(raw).mean(1) as tf.Tensor1D;
    });
  }

  /** What design maximises: logS for solubility, minus the toxicity probability for toxicity. */
  objective(codes: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => (this.property === 'solubility' ? this.predict(codes) : this.predict(codes).neg()) as tf.Tensor1D);
  }

  toJSON(): HeadJSON {
    return {
      format: HEAD_FORMAT,
      property: this.property,
      codeDim: this.codeDim,
      hidden: this.hidden,
      outputs: this.tasks.length,
      tasks: this.tasks,
      targetMean: this.targetMean,
      targetStd: this.targetStd,
      weights: {
        w1: Array.from(this.w1.dataSync()),
        b1: Array.from(this.b1.dataSync()),
        w2: Array.from(this.w2.dataSync()),
        b2: Array.from(this.b2.dataSync()),
      },
      validation: this.validation,
    };
  }

  static fromJSON(json: HeadJSON, where = 'head'): PropertyHead {
    if (json?.format !== HEAD_FORMAT)
      throw new LatentkitError('CHECKPOINT_ERROR', `${where}: expected a ${HEAD_FORMAT} file, got format ${JSON.stringify(json?.format)}`);
    const head = new PropertyHead(json.property, json.codeDim, json.tasks, { hidden: json.hidden, targetMean: json.targetMean, targetStd: json.targetStd });
    const sizes = { w1: json.codeDim * json.hidden, b1: json.hidden, w2: json.hidden * json.outputs, b2: json.outputs };
    for (const [key, size] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      const values = json.weights?.[key];
      if (!Array.isArray(values) || values.length !== size || !values.every(Number.isFinite)) {
        head.dispose();
        throw new LatentkitError(
          'CHECKPOINT_ERROR',
          `${where}: weights.${key} must be ${size} finite numbers, got ${Array.isArray(values) ? values.length : typeof values}`,
        );
      }
      head[key].assign(tf.tensor(values, head[key].shape));
    }
    head.validation = { ...json.validation };
    return head;
  }

  save(file: string): void {
    writeFileAtomic(file, `${JSON.stringify(this.toJSON())}\n`);
  }

  static load(file: string): PropertyHead {
    let json: HeadJSON;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new LatentkitError(
        (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'CHECKPOINT_ERROR',
        `${file}: cannot read a property head: ${(e as Error).message}`,
        { file },
        { cause: e },
      );
    }
    return PropertyHead.fromJSON(json, file);
  }

  get variables(): tf.Variable[] {
    return [this.w1, this.b1, this.w2, this.b2];
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/**
 * Binary cross-entropy of logits [n, tasks] against labels, averaged over the entries where `mask` is 1. Entries with
 * mask 0 (unmeasured assays) do not enter the loss or its gradient, whatever their label holds (NaN included).
 */
export function maskedBinaryCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.where(mask.greater(0), labels, tf.zerosLike(labels));
    // log(1 + e^x) − x·y, written stably: max(x, 0) − x·y + log(1 + e^−|x|)
    const bce = tf
      .relu(logits)
      .sub(logits.mul(y))
      .add(tf.log1p(tf.exp(logits.abs().neg())));
    return bce.mul(mask).sum().div(tf.maximum(mask.sum(), 1)) as tf.Scalar;
  });
}

/** Area under the ROC curve (ties count one half); NaN when a class is missing. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 1 ? pos : neg).push(scores[i] as number);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  const all = [...pos.map((s) => ({ s, p: 1 })), ...neg.map((s) => ({ s, p: 0 }))].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]?.s === all[i]?.s) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k]?.p === 1) rankSum += rank;
    i = j;
  }
  return (rankSum - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

export interface FitOptions {
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly hidden?: number;
  /** Share of the molecules held out to report the fit. Default 0.1. */
  readonly validFraction?: number;
  readonly seed?: number | string;
  /** L2 penalty on the weights: the heads see ~1,000 codes, so they are kept smooth. Default 1e-4. */
  readonly weightDecay?: number;
}

function splitRows(n: number, validFraction: number, seed: number | string): { train: number[]; valid: number[] } {
  const order = Array.from(Rng.fromSeed(`latentkit-head-split:${seed}`).permutation(n));
  const nValid = Math.round(n * validFraction);
  return { valid: order.slice(0, nValid), train: order.slice(nValid) };
}

function fit(head: PropertyHead, loss: (rows: tf.Tensor1D) => tf.Scalar, rows: number[], options: FitOptions): void {
  const optimizer = tf.train.adam(options.learningRate ?? 3e-3);
  const decay = options.weightDecay ?? 1e-4;
  const index = tf.tensor1d(rows, 'int32');
  for (let epoch = 0; epoch < (options.epochs ?? 300); epoch++) {
    const value = optimizer.minimize(
      () => loss(index).add(tf.addN([head.w1, head.w2].map((w) => w.square().sum())).mul(decay)) as tf.Scalar,
      true,
      head.variables,
    );
    const v = value?.dataSync()[0];
    value?.dispose();
    if (v === undefined || !Number.isFinite(v))
      throw new LatentkitError('NUMERIC_ERROR', `${head.property} head: the training loss became ${v} at epoch ${epoch}`);
  }
  index.dispose();
  optimizer.dispose();
}

/** A logS regression head fitted to codes [n, d] of molecules with measured logS. */
export function fitSolubilityHead(codes: tf.Tensor2D, logS: ArrayLike<number>, options: FitOptions = {}): PropertyHead {
  const n = codes.shape[0];
  if (n !== logS.length || n < 10)
    throw new LatentkitError('INVALID_ARGUMENT', `fitSolubilityHead: expected ≥ 10 codes with one logS each, got ${n} codes and ${logS.length} values`);
  const { train, valid } = splitRows(n, options.validFraction ?? 0.1, options.seed ?? 0);
  const values = Array.from(logS);
  const mean = train.reduce((a, i) => a + (values[i] as number), 0) / train.length;
  const std = Math.sqrt(train.reduce((a, i) => a + ((values[i] as number) - mean) ** 2, 0) / train.length) || 1;
  const head = new PropertyHead('solubility', codes.shape[1], ['logS'], { hidden: options.hidden, seed: options.seed, targetMean: mean, targetStd: std });
  const y = tf.tensor1d(values.map((v) => (v - mean) / std));
  fit(
    head,
    (rows) =>
      tf.tidy(
        () =>
          head
            .raw(tf.gather(codes, rows) as tf.Tensor2D)
            .squeeze([1])
            .sub(tf.gather(y, rows))
            .square()
            .mean() as tf.Scalar,
      ),
    train,
    options,
  );
  if (valid.length > 0) {
    const predicted = tf.tidy(() => head.predict(tf.gather(codes, valid) as tf.Tensor2D).dataSync());
    const se = valid.reduce((a, i, k) => a + ((predicted[k] as number) - (values[i] as number)) ** 2, 0) / valid.length;
    const baseline = valid.reduce((a, i) => a + ((values[i] as number) - mean) ** 2, 0) / valid.length;
    head.validation = { rmse: Math.sqrt(se), rmseOfMean: Math.sqrt(baseline), molecules: valid.length };
  }
  y.dispose();
  return head;
}

/** A Tox21 head: labels and mask [n × tasks] row-major, mask 0 where an assay was not measured. */
export function fitToxicityHead(codes: tf.Tensor2D, labels: Float32Array, mask: Uint8Array, tasks: readonly string[], options: FitOptions = {}): PropertyHead {
  const n = codes.shape[0];
  const t = tasks.length;
  if (labels.length !== n * t || mask.length !== n * t)
    throw new LatentkitError('INVALID_ARGUMENT', `fitToxicityHead: expected ${n} × ${t} labels and mask entries, got ${labels.length} and ${mask.length}`);
  const { train, valid } = splitRows(n, options.validFraction ?? 0.1, options.seed ?? 0);
  const head = new PropertyHead('toxicity', codes.shape[1], tasks, { hidden: options.hidden, seed: options.seed });
  const y = tf.tensor2d(
    labels.map((v) => (Number.isNaN(v) ? 0 : v)),
    [n, t],
  );
  const m = tf.tensor2d(Float32Array.from(mask), [n, t]);
  fit(
    head,
    (rows) =>
      tf.tidy(() =>
        maskedBinaryCrossEntropy(head.raw(tf.gather(codes, rows) as tf.Tensor2D), tf.gather(y, rows) as tf.Tensor2D, tf.gather(m, rows) as tf.Tensor2D),
      ),
    train,
    options,
  );
  if (valid.length > 0) {
    const scores = tf.tidy(() => tf.sigmoid(head.raw(tf.gather(codes, valid) as tf.Tensor2D)).dataSync());
    const aucs: number[] = [];
    for (let task = 0; task < t; task++) {
      const s: number[] = [];
      const l: number[] = [];
      valid.forEach((row, k) => {
        if (mask[row * t + task]) {
          s.push(scores[k * t + task] as number);
          l.push(labels[row * t + task] as number);
        }
      });
      const auc = rocAuc(s, l);
      if (!Number.isNaN(auc)) aucs.push(auc);
    }
    head.validation = {
      meanAuc: aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : Number.NaN,
      assaysWithBothClasses: aucs.length,
      molecules: valid.length,
    };
  }
  tf.dispose([y, m]);
  return head;
}
