/**
 * What every model shares: one bottleneck, named tf.layers layers, the encode → bottleneck → reconstruct loss, and
 * the model folder. A subclass builds its layers and writes `features`, `decode` and `reconstruction`.
 */
import { type Bottleneck, type BottleneckOutput, createBottleneck } from '@latentkit/bottlenecks';
import { LatentkitError, type Rng, tf } from '@latentkit/core';
import { namedWeights } from '../layers.js';
import { saveModel } from '../save.js';
import type { BatchOf, ForwardContext, LossOutput, Model, ModelConfig } from '../types.js';

const INFER: ForwardContext = { mode: 'infer' };

export interface Reconstruction {
  /** −log p(x | code) per example: [batch]. */
  readonly nll: tf.Tensor1D;
  /** Predicted units (tokens, words, pixels). */
  readonly units: number;
}

export abstract class BaseModel<C extends ModelConfig> implements Model<C> {
  readonly config: C;
  readonly bottleneck: Bottleneck;
  readonly layers: Record<string, tf.layers.Layer> = {};
  private named?: { trainable: Record<string, tf.Variable>; state: Record<string, tf.Variable> };

  protected constructor(config: C, rng: Rng) {
    this.config = config;
    this.bottleneck = createBottleneck(config.bottleneck, { rng: rng.fork('bottleneck') });
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
  protected abstract reconstruction(batch: BatchOf[C['kind']], code: tf.Tensor2D, ctx: ForwardContext): Reconstruction;
  protected abstract batchSize(batch: BatchOf[C['kind']]): number;

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
    return saveModel(this, dir);
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
