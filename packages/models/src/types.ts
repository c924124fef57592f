/**
 * The model contract. A model is a plain JSON config (`kind` + sizes + its bottleneck's config) and a class built
 * from it. The class owns tf.layers layers, called functionally, and one bottleneck; the trainer, the eval package
 * and the ONNX exporter use models only through the names below.
 *
 *   x ──encoder──▶ h [batch, bottleneck.inputDim] ──bottleneck──▶ code [batch, codeDim] ──decoder──▶ logits
 *                                                    └─ latent [batch, latentDim] (what downstream tasks use)
 *
 * Layers per kind, in call order (every weight is named `<layer>/<weight>`, e.g. `enc.dense0/kernel`; bottleneck
 * weights are `bottleneck/<name>`):
 * - `imageMlp`:  encoder `enc.dense{i}` (relu) … → h;  decoder `dec.dense{i}` (relu) … → `dec.out` (linear, 784).
 * - `imageConv`: encoder `enc.conv0` (f0), `enc.conv1` (f1) (conv2d 3×3 stride 2, same, relu) → `enc.flatten` →
 *                `enc.dense` (relu) → h;  decoder `dec.dense` (relu) → reshape [side/4, side/4, f1] → `dec.deconv0`
 *                (f1), `dec.deconv1` (f0) (conv2dTranspose 3×3 stride 2, same, relu) → `dec.out` (conv2d 3×3 same,
 *                linear, 1 channel) → reshape to [batch, side²]. Images enter as [batch, side, side, 1] (NHWC).
 * - `bowVae`:    encoder `enc.dense{i}` (tanh) on the count vector → h;  decoder `dec.out` (linear, vocab) on the code.
 * - `textVae`:   encoder `emb` (shared embedding) → `enc.lstm` → final h;  decoder: `dec.initH` (tanh) and `dec.initC`
 *                (linear) map the code to the LSTM's initial state; each step's input is [emb(token); code];
 *                `dec.lstm` → `dec.out` (linear, vocab).
 * When the bottleneck's `inputDim` differs from the encoder's last width, a linear `enc.proj` maps one to the other
 * (a VQ bottleneck needs features of codeword width; a Gaussian one has its own heads and needs none).
 * Dropout (train mode only) is applied outside the layers, from the model's own seeded Rng, so runs reproduce.
 */
import type { tf } from '@latentkit/core/layers';
import type { Bottleneck, BottleneckConfig, BottleneckConfigInput, BottleneckContext, BottleneckOutput } from '@latentkit/bottlenecks';
import type { ConditionConfig, ConditionFields, ConditionInput } from './condition.js';
import type { ExportPlan } from './export-plan.js';
import type { Networks } from './network.js';

/** The built-in model kinds. */
export type ModelKindName = 'textVae' | 'bowVae' | 'imageMlp' | 'imageConv' | 'tabular';

/** Special token ids of the vocabulary the text model was trained with. */
export interface SpecialTokens {
  readonly bos: number;
  readonly eos: number;
  readonly pad: number;
  readonly unk: number;
}

/** LSTM-VAE language model (Bowman et al. 2016; defaults of Xu & Durrett 2018 for PTB). */
export interface TextVaeConfig {
  readonly kind: 'textVae';
  readonly vocabSize: number;
  readonly specialTokens: SpecialTokens;
  /** Default 100. */
  readonly embeddingDim: number;
  /** LSTM units in encoder and decoder. Default 400. */
  readonly hiddenDim: number;
  /** Dropout on embeddings and LSTM outputs. Default 0.5. */
  readonly dropout: number;
  /** Probability of replacing a decoder input token by `unk` (Bowman et al.). Default 0. */
  readonly wordDropout: number;
  readonly bottleneck: BottleneckConfig /** A conditional VAE's class label, fed to encoder and decoder (see condition.ts). */;
  readonly condition?: ConditionConfig;
}

/** NVDM bag-of-words document VAE (Miao et al. 2016; Xu & Durrett's 20NG settings). */
export interface BowVaeConfig {
  readonly kind: 'bowVae';
  readonly vocabSize: number;
  /** Encoder MLP widths. Default [400]. */
  readonly hiddenDims: readonly number[];
  /** Default 'tanh'. */
  readonly activation: 'tanh' | 'relu';
  /**
   * Hidden layers (same activation) between the code and the softmax. Default [] (NVDM's single softmax layer);
   * Xu & Durrett's NVDM code has [400].
   */
  readonly decoderHiddenDims: readonly number[];
  /**
   * Dropout in training on the first encoder layer's output and on the word logits, as in Xu & Durrett's NVDM code
   * (0.1 there). Default 0 (NVDM has none).
   */
  readonly dropout: number;
  readonly bottleneck: BottleneckConfig /** A conditional VAE's class label, fed to encoder and decoder (see condition.ts). */;
  readonly condition?: ConditionConfig;
}

export type ImageLikelihood = 'bernoulli' | 'gaussian';

interface ImageConfigBase {
  /** Side of square images, as older configs give it; `height` and `width` are what the models read. */
  readonly size?: number;
  /** Image height and width in pixels. Default 28 (or `size`). */
  readonly height: number;
  readonly width: number;
  /** 1 (grey) or 3 (RGB); pixels are [height, width, channels] row-major. Default 1. */
  readonly channels: number;
  /** `bernoulli`: logits, pixels in [0,1] as targets. `gaussian`: mean with unit variance (squared error / 2). */
  readonly likelihood: ImageLikelihood;
  readonly bottleneck: BottleneckConfig /** A conditional VAE's class label, fed to encoder and decoder (see condition.ts). */;
  readonly condition?: ConditionConfig;
}

/** MLP autoencoder; default encoder 784-500-500-2000 (Wu & Flierl), decoder mirrored. */
export interface ImageMlpConfig extends ImageConfigBase {
  readonly kind: 'imageMlp';
  readonly hiddenDims: readonly number[];
}

/** Small conv autoencoder: two stride-2 convs down to 7×7, a dense layer, mirrored decoder. */
export interface ImageConvConfig extends ImageConfigBase {
  readonly kind: 'imageConv';
  /** Channels of the two stride-2 convs. Default [32, 64]. */
  readonly filters: readonly [number, number];
  /** Width of the dense layer before the bottleneck. Default 256. */
  readonly denseDim: number;
}

/** A table column as the tabular model reads it (the data's preprocessed schema). */
export interface TabularColumn {
  readonly name: string;
  readonly type: 'numeric' | 'categorical' | 'binary';
  /** Categorical: the training categories (the model adds an unknown slot); binary: the two values. */
  readonly categories?: readonly string[];
}

/** MLP autoencoder on table rows with one likelihood per column (HI-VAE / MIWAE style masking). */
export interface TabularConfig {
  readonly kind: 'tabular';
  readonly columns: readonly TabularColumn[];
  /** Encoder MLP widths, mirrored in the decoder. Default [128, 128]. */
  readonly hiddenDims: readonly number[];
  readonly bottleneck: BottleneckConfig /** A conditional VAE's class label, fed to encoder and decoder (see condition.ts). */;
  readonly condition?: ConditionConfig;
}

export type ModelConfig = TextVaeConfig | BowVaeConfig | ImageMlpConfig | ImageConvConfig | TabularConfig;

/*
 * Batches are plain typed arrays, as the @latentkit/data iterators yield them (`textBatches`, `bowBatches`,
 * `imageBatches`); a model turns them into tensors itself. Only the fields a model reads are listed, so a batch can
 * also be written by hand.
 */

/** Sentences, row-major [size, steps], padded with `specialTokens.pad`. */
export interface TextBatch extends ConditionFields {
  readonly size: number;
  readonly steps: number;
  /** Decoder inputs `<bos> w1 … wn <pad> …`. */
  readonly inputs: Int32Array;
  /** Targets `w1 … wn <eos> <pad> …`; the encoder reads these too. */
  readonly targets: Int32Array;
  /** 1 where `targets` is a word or `<eos>`, 0 on padding. */
  readonly mask: Float32Array;
}

/** Word counts, row-major [size, vocabSize]. */
export interface BowBatch extends ConditionFields {
  readonly size: number;
  readonly counts: Float32Array;
}

/** Images, row-major [size, side, side] (or [size, side²]), in [0, 1] for the Bernoulli likelihood. */
export interface ImageBatch extends ConditionFields {
  readonly size: number;
  readonly pixels: Float32Array;
}

/**
 * Table rows, row-major [size, columns]: a standardised number, a category index (the unknown slot is
 * categories.length) or 0/1 per cell, 0 where missing; `missing` is 1 where the cell is missing.
 */
export interface TableBatch extends ConditionFields {
  readonly size: number;
  readonly width?: number;
  readonly values: Float32Array;
  readonly missing: Uint8Array;
}

export type Batch = TextBatch | BowBatch | ImageBatch | TableBatch;

/** The batch type each model kind takes. */
export interface BatchOf {
  textVae: TextBatch;
  bowVae: BowBatch;
  imageMlp: ImageBatch;
  imageConv: ImageBatch;
  tabular: TableBatch;
  [kind: string]: Batch;
}

/**
 * `train` turns on dropout, word dropout and bottleneck sampling, all drawn from `rng`. `dropout: false` keeps the
 * sampling but turns (word) dropout off: a one-sample ELBO estimate.
 */
export interface ForwardContext extends BottleneckContext {
  readonly dropout?: boolean;
}

export interface LossOutput {
  /** The encoder features the bottleneck saw (the trainer hands them to `bottleneck.afterStep`). */
  readonly features: tf.Tensor2D;
  /** −log p(x | code) per example, summed over its tokens / words / pixels: [batch]. */
  readonly reconstruction: tf.Tensor1D;
  /** The bottleneck's named per-example terms (kl, commitment, …), unweighted: each [batch]. */
  readonly terms: Readonly<Record<string, tf.Tensor1D>>;
  /** The bottleneck's weighted batch-mean regularizer. */
  readonly regularizer: tf.Scalar;
  /** What the trainer minimizes: mean(reconstruction) + regularizer. */
  readonly total: tf.Scalar;
  /** Predicted units in the batch: tokens incl. eos (text), total word count (bow), pixels (image). For perplexity. */
  readonly units: number;
  readonly examples: number;
}

/** What every model config has: its kind and its bottleneck's config. */
export interface ModelConfigBase {
  readonly kind: string;
  readonly bottleneck: BottleneckConfig;
  readonly condition?: ConditionConfig;
}

export interface Model<C extends ModelConfigBase = ModelConfig> {
  readonly config: C;
  readonly bottleneck: Bottleneck;
  /** The tf.layers layers, by stable name (see the table above), in call order. */
  readonly layers: Readonly<Record<string, tf.layers.Layer>>;
  /** All trainable variables by stable name: layer weights, then `bottleneck/…`. Sorted order is the optimizer's order. */
  readonly trainableVariables: Readonly<Record<string, tf.Variable>>;
  /** Non-trainable state (bottleneck EMA statistics, …), checkpointed with the weights. */
  readonly stateVariables: Readonly<Record<string, tf.Variable>>;
  /** Encoder features h: [batch, bottleneck.inputDim]. */
  features(batch: BatchOf[C['kind']], ctx: ForwardContext): tf.Tensor2D;
  /** features → bottleneck. In `infer` mode deterministic: `latent` is what downstream tasks and ONNX use. */
  encode(batch: BatchOf[C['kind']], ctx?: ForwardContext): BottleneckOutput;
  /**
   * code → logits; a conditional model's code has the condition appended (`conditionedCode`). Text: teacher-forced over `inputs` [batch, time] → [batch, time, vocab]. Bag of words:
   * [batch, vocab] logits of the word softmax. Image: [batch, size²] Bernoulli logits or Gaussian means.
   */
  decode(code: tf.Tensor2D, inputs?: tf.Tensor2D, ctx?: ForwardContext): tf.Tensor;
  /**
   * −log p(x | code) per example for the batch's own examples, and the units it predicts (tokens incl. `<eos>`, word
   * occurrences, pixels): what `loss` adds to the regularizer, and what eval's likelihood bounds score for any code.
   */
  reconstruction(batch: BatchOf[C['kind']], code: tf.Tensor2D, ctx?: ForwardContext): Reconstruction;
  /** The units `reconstruction` predicts for this batch, without running the model (perplexity's denominator). */
  units(batch: BatchOf[C['kind']]): number;
  loss(batch: BatchOf[C['kind']], ctx: ForwardContext): LossOutput;
  /** The inference graph as data, for the ONNX exporter. Throws UNSUPPORTED for a custom network it cannot follow. */
  exportPlan(): ExportPlan;
  /** Writes the model folder (config.json + weights) atomically; `loadModel(dir)` reads it in any process. */
  save(dir: string): Promise<void>;
  /**
   * Models with more than one stochastic layer (the Ladder VAE): each layer's KL per example and posterior means at
   * the deterministic code, lowest layer first, so eval reports KL and active units per layer. One-layer models leave
   * it out: their bottleneck's terms are the whole story.
   */
  stochasticLayers?(batch: BatchOf[C['kind']]): StochasticLayer[];
  dispose(): void;
}

/** One stochastic layer of a hierarchical model, for one batch. */
export interface StochasticLayer {
  /** `z1`, `z2`, …: the layer's index from the data up. */
  readonly name: string;
  /** KL(q(z_l | ·) ‖ p(z_l | ·)) per example: [batch]. */
  readonly kl: tf.Tensor1D;
  /** Posterior means: [batch, dim]. */
  readonly means: tf.Tensor2D;
}

export interface Reconstruction {
  /** −log p(x | code) per example: [batch]. */
  readonly nll: tf.Tensor1D;
  /** Predicted units (tokens, words, pixels). */
  readonly units: number;
}

export interface CreateModelOptions {
  /** Seed for the initial weights. Default 0. */
  readonly seed?: number | string;
  /** Your own encoder and/or decoder in place of the kind's (see `Network`). */
  readonly networks?: Networks;
}

/** A bottleneck config as a user writes it inside a model config: `inputDim` defaults to the encoder's last width. */
export type BottleneckInput = BottleneckConfigInput extends infer C
  ? C extends { readonly inputDim: number }
    ? Omit<C, 'inputDim'> & { readonly inputDim?: number }
    : never
  : never;

type Input<C extends ModelConfig, Required extends keyof C> = Pick<C, Required> &
  Partial<Omit<C, Required | 'bottleneck' | 'condition'>> & { readonly bottleneck: BottleneckInput; readonly condition?: ConditionInput };

/** What a user writes: `kind`, the vocabulary (text, bow) and the bottleneck; `resolveModelConfig` fills the rest. */
export type ModelConfigInput =
  | Input<TextVaeConfig, 'kind' | 'vocabSize'>
  | Input<BowVaeConfig, 'kind' | 'vocabSize'>
  | Input<ImageMlpConfig, 'kind'>
  | Input<ImageConvConfig, 'kind'>
  | Input<TabularConfig, 'kind' | 'columns'>;
