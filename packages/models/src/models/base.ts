/**
 * What every model shares: one bottleneck, named tf.layers layers, the encode → bottleneck → reconstruct loss, and
 * the model folder. A subclass builds its layers and writes `features`, `decode` and `reconstruction`.
 */
import { type Bottleneck, type BottleneckOutput, createBottleneck } from '@latentkit/bottlenecks';
import { LatentkitError, type Rng } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import {
  type ConditionConfig,
  type ConditionFields,
  batchCondition,
  conditionRows,
  conditionWidth,
  describeCondition,
  isNumericCondition,
} from '../condition.js';
import type { ExportPlan, PlanStep } from '../export-plan.js';
import { build, dense, namedWeights } from '../layers.js';
import { type Network, type Networks, buildNetwork } from '../network.js';
import { saveModel } from '../save.js';
import type { BatchOf, ForwardContext, LossOutput, Model, ModelConfigBase, Reconstruction } from '../types.js';

const INFER: ForwardContext = { mode: 'infer' };

export type { Reconstruction };

/** The layers `mlpStacks` built, in call order, and the user networks in front of them. */
export interface MlpStacks {
  /** The hidden layers; the condition (if any) is appended after them, before `proj`. */
  readonly encoder: tf.layers.Layer[];
  readonly proj?: tf.layers.Layer;
  readonly decoder: tf.layers.Layer[];
  readonly networks: Networks;
}

export abstract class BaseModel<C extends ModelConfigBase> implements Model<C> {
  readonly config: C;
  readonly bottleneck: Bottleneck;
  readonly layers: Record<string, tf.layers.Layer> = {};
  private named?: { trainable: Record<string, tf.Variable>; state: Record<string, tf.Variable> };

  protected constructor(config: C, rng: Rng) {
    this.config = config;
    this.bottleneck = createBottleneck(config.bottleneck, { rng: rng.fork('bottleneck') });
  }

  /** Width of the condition appended to the features and to the decoder's code: 0 when the model is unconditioned. */
  get conditionWidth(): number {
    return conditionWidth(this.config as { condition?: ConditionConfig });
  }

  /** The config's condition, when the model is conditional. */
  get condition(): ConditionConfig | undefined {
    return (this.config as { condition?: ConditionConfig }).condition;
  }

  /** What the decoder reads: the code, and the condition after it. */
  get decoderInputWidth(): number {
    return this.bottleneck.codeDim + this.conditionWidth;
  }

  /** `t` [size, w] with the batch's condition appended [size, w + conditionWidth]; `t` itself when unconditioned. */
  protected withCondition(t: tf.Tensor2D, batch: ConditionFields & { readonly size: number }): tf.Tensor2D {
    const condition = this.condition;
    if (!condition) return t;
    return tf.concat([t, batchCondition(condition, batch)], 1) as tf.Tensor2D;
  }

  /**
   * The decoder's input for codes [n, codeDim] and a class label each (a conditional model), or the codes
   * themselves (an unconditioned one): what `decode` and the text decoders take.
   */
  conditionedCode(code: tf.Tensor2D, labels?: ArrayLike<number>): tf.Tensor2D {
    const condition = this.condition;
    if (!condition) {
      if (labels !== undefined) throw new LatentkitError('UNSUPPORTED', `this ${this.config.kind} model was trained without a condition; it takes no class`);
      return code;
    }
    if (labels === undefined) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `this ${this.config.kind} model is conditioned on ${describeCondition(condition)}: give a ${isNumericCondition(condition) ? 'value' : 'class'} for each code`,
        {
          argument: 'labels',
        },
      );
    }
    const width = this.conditionWidth;
    return tf.tidy(() => tf.concat([code, tf.tensor2d(conditionRows(condition, labels), [labels.length, width])], 1) as tf.Tensor2D);
  }

  /**
   * A linear `enc.proj` from the encoder's `width` (plus the condition) when the bottleneck wants features of
   * another width (a VQ codeword); none when they already match.
   */
  protected encoderProjection(width: number, rng: Rng): tf.layers.Layer | undefined {
    const from = width + this.conditionWidth;
    return this.bottleneck.inputDim === from ? undefined : this.add(build(dense('enc.proj', this.bottleneck.inputDim, 'linear', rng), [from]));
  }

  /** The encoder's last hidden output → the features: the condition appended, then `proj` when there is one. */
  protected featuresFrom(h: tf.Tensor2D, batch: ConditionFields & { readonly size: number }, proj?: tf.layers.Layer): tf.Tensor2D {
    const withCondition = this.withCondition(h, batch);
    return proj ? (proj.apply(withCondition) as tf.Tensor2D) : withCondition;
  }

  /** Registers a layer under its stable name (which is also its tf.layers name). */
  protected add<L extends tf.layers.Layer>(layer: L): L {
    this.layers[layer.name] = layer;
    return layer;
  }

  private variables() {
    this.named ??= {
      trainable: sortKeys({ ...namedWeights(this.layers), ...this.bottleneck.trainableVariables }),
      state: sortKeys({ ...this.bottleneck.stateVariables }),
    };
    return this.named;
  }

  get trainableVariables(): Readonly<Record<string, tf.Variable>> {
    return this.variables().trainable;
  }

  get stateVariables(): Readonly<Record<string, tf.Variable>> {
    return this.variables().state;
  }

  abstract features(batch: BatchOf[C['kind']], ctx: ForwardContext): tf.Tensor2D;
  abstract decode(code: tf.Tensor2D, inputs?: tf.Tensor2D, ctx?: ForwardContext): tf.Tensor;
  abstract reconstruction(batch: BatchOf[C['kind']], code: tf.Tensor2D, ctx?: ForwardContext): Reconstruction;
  abstract exportPlan(): ExportPlan;
  abstract units(batch: BatchOf[C['kind']]): number;
  protected abstract batchSize(batch: BatchOf[C['kind']]): number;

  /** Registers a user network's layers under `<prefix><i>`, the stable names its weights are saved under. */
  protected addNetwork(net: Network, prefix: 'enc.net' | 'dec.net'): Network {
    net.layers.forEach((layer, i) => {
      this.layers[`${prefix}${i}`] = layer;
    });
    return net;
  }

  /**
   * The mirrored MLP autoencoder the MLP kinds share: `hiddenDims` relu layers (or the user's encoder) from
   * `inputWidth`, a linear `enc.proj` when the bottleneck wants another width, the hidden widths reversed (or the
   * user's decoder body) from the code, and a linear `dec.out` of `outputWidth`. Layers are built in that order, so
   * a seed gives the same weights as before the kinds shared it.
   */
  protected mlpStacks(inputWidth: number, hiddenDims: readonly number[], outputWidth: number, rng: Rng, networks: Networks): MlpStacks {
    const encoder: tf.layers.Layer[] = [];
    const decoder: tf.layers.Layer[] = [];
    let width = inputWidth;
    if (networks.encoder) {
      buildNetwork(this.addNetwork(networks.encoder, 'enc.net'), [width], INFER);
      width = networks.encoder.outputWidth;
    } else {
      hiddenDims.forEach((units, i) => {
        encoder.push(this.add(build(dense(`enc.dense${i}`, units, 'relu', rng), [width])));
        width = units;
      });
    }
    const proj = this.encoderProjection(width, rng);
    width = this.decoderInputWidth;
    if (networks.decoder) {
      buildNetwork(this.addNetwork(networks.decoder, 'dec.net'), [width], INFER);
      width = networks.decoder.outputWidth;
    } else {
      [...hiddenDims].reverse().forEach((units, i) => {
        decoder.push(this.add(build(dense(`dec.dense${i}`, units, 'relu', rng), [width])));
        width = units;
      });
    }
    decoder.push(this.add(build(dense('dec.out', outputWidth, 'linear', rng), [width])));
    return { encoder, decoder, networks, ...(proj && { proj }) };
  }

  /** Runs one side of `mlpStacks`: the user's network, if any, then the kind's own layers (the encoder up to `proj`). */
  protected throughStack(stacks: MlpStacks, side: 'encoder' | 'decoder', x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const net = stacks.networks[side];
    const h = net ? (net.apply(x, ctx) as tf.Tensor2D) : x;
    return stacks[side].reduce((t, layer) => layer.apply(t) as tf.Tensor2D, h);
  }

  /** The features of `mlpStacks`' encoder: hidden layers, the batch's condition, `proj`. */
  protected mlpFeatures(stacks: MlpStacks, x: tf.Tensor2D, batch: ConditionFields & { readonly size: number }, ctx: ForwardContext): tf.Tensor2D {
    return this.featuresFrom(this.throughStack(stacks, 'encoder', x, ctx), batch, stacks.proj);
  }

  /** The export plan's encoder and decoder steps of `mlpStacks`. */
  protected mlpPlanSteps(stacks: MlpStacks): { encoder: PlanStep[]; decoder: PlanStep[] } {
    const named = (layers: tf.layers.Layer[]) => layers.map((l) => ({ op: 'layer', layer: l.name }) as const);
    const { encoder, decoder } = stacks.networks;
    return {
      encoder: [...(encoder ? this.networkSteps(encoder, 'enc.net') : []), ...named(stacks.encoder), ...named(stacks.proj ? [stacks.proj] : [])],
      decoder: [...(decoder ? this.networkSteps(decoder, 'dec.net') : []), ...named(stacks.decoder)],
    };
  }

  /** The plan steps of a user network, or UNSUPPORTED when it is a function the exporter cannot follow. */
  protected networkSteps(net: Network, prefix: 'enc.net' | 'dec.net'): PlanStep[] {
    if (!net.sequential) {
      throw new LatentkitError(
        'UNSUPPORTED',
        `this ${this.config.kind} model's custom ${prefix === 'enc.net' ? 'encoder' : 'decoder'} is a function; only a sequential() stack of layers exports to ONNX`,
      );
    }
    return net.layers.map((_, i) => ({ op: 'layer', layer: `${prefix}${i}` }) as const);
  }

  encode(batch: BatchOf[C['kind']], ctx: ForwardContext = INFER): BottleneckOutput {
    return keptScope(() => this.bottleneck.apply(this.features(batch, ctx), ctx));
  }

  loss(batch: BatchOf[C['kind']], ctx: ForwardContext): LossOutput {
    return keptScope(() => {
      const features = this.features(batch, ctx);
      const out = this.bottleneck.apply(features, ctx);
      const { nll, units } = this.reconstruction(batch, out.code, ctx);
      return {
        features,
        reconstruction: nll,
        terms: out.terms,
        regularizer: out.regularizer,
        total: nll.mean().add(out.regularizer) as tf.Scalar,
        units,
        examples: this.batchSize(batch),
      };
    });
  }

  save(dir: string): Promise<void> {
    return saveModel(this as unknown as Model, dir);
  }

  dispose(): void {
    for (const layer of Object.values(this.layers)) layer.dispose();
    this.bottleneck.dispose();
  }
}

/** tf.tidy for functions returning a plain object of tensors and numbers (which tfjs's typings do not admit). */
function keptScope<T extends object>(fn: () => T): T {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Throws when a typed array of a batch does not have the length its shape promises. */
export function checkLength(array: ArrayLike<number> | undefined, expected: number, field: string, shape: string): void {
  if (array?.length !== expected) {
    throw new LatentkitError('INVALID_ARGUMENT', `batch.${field} must hold ${shape} = ${expected} values, got ${array?.length ?? 'none'}`, {
      argument: `batch.${field}`,
    });
  }
}
