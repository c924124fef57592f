import { LatentkitError, Rng, tf } from '@latentkit/core';
import { z } from '@latentkit/core/schema';
import { describe, expect, it } from 'vitest';
import {
  type Bottleneck,
  IdentityBottleneck,
  bottleneckKind,
  bottleneckKindByCliName,
  bottleneckKinds,
  createBottleneck,
  defineBottleneck,
  registerBottleneck,
  resolveBottleneckConfig,
  sizes,
} from '../src/index.js';

interface ScaledConfig {
  readonly kind: 'scaled';
  readonly inputDim: number;
  readonly scale: number;
}

/** A user's kind: the identity times a constant, built from a built-in class. */
class ScaledBottleneck extends IdentityBottleneck {
  constructor(readonly scaled: ScaledConfig) {
    super({ kind: 'identity', inputDim: scaled.inputDim });
  }
  override apply(h: tf.Tensor2D, ctx: { mode: 'train' | 'infer' }) {
    const out = super.apply(h, ctx);
    return { ...out, code: tf.mul(out.code, this.scaled.scale) as tf.Tensor2D };
  }
}

const scaled = defineBottleneck<ScaledConfig>({
  kind: 'scaled',
  summary: 'the features times a constant',
  schema: z.strictObject({ kind: z.literal('scaled'), inputDim: sizes.inputDim(), scale: z.number().default(2) }),
  latentField: 'inputDim',
  create: (config) => new ScaledBottleneck(config) as unknown as Bottleneck<ScaledConfig>,
});

describe('the bottleneck registry', () => {
  it('lists the seven built-in kinds with kebab-case CLI names', () => {
    expect(
      bottleneckKinds()
        .slice(0, 7)
        .map((k) => k.cliName),
    ).toEqual(['identity', 'denoising', 'gaussian', 'vmf', 'power-spherical', 'vq', 'soft-vq']);
    expect(bottleneckKindByCliName('soft-vq').kind).toBe('softVq');
    expect(() => bottleneckKindByCliName('softvq')).toThrow(/--bottleneck: expected one of .*got "softvq"; did you mean "soft-vq"\?/);
  });

  it('accepts a user kind: its schema fills defaults and createBottleneck builds it', () => {
    registerBottleneck(scaled);
    expect(resolveBottleneckConfig({ kind: 'scaled', inputDim: 3 })).toEqual({ kind: 'scaled', inputDim: 3, scale: 2 });
    const b = createBottleneck({ kind: 'scaled', inputDim: 3, scale: 3 } as never);
    const code = tf.tidy(() => b.apply(tf.tensor2d([[1, 2, 3]]), { mode: 'infer' }).code.arraySync());
    expect(code).toEqual([[3, 6, 9]]);
    expect(() => resolveBottleneckConfig({ kind: 'scaled', inputDim: 3, scal: 1 } as never)).toThrow('scal: unknown key; did you mean scale?');
    // Taken names are refused, so a plugin cannot replace a built-in or another plugin.
    expect(() => registerBottleneck(scaled)).toThrow(LatentkitError);
    expect(() => registerBottleneck({ ...scaled, kind: 'vq' } as never)).toThrow(/already registered/);
    expect(bottleneckKind('scaled').cliName).toBe('scaled');
  });

  it('samples codewords from VQ kinds and prior draws from density kinds', () => {
    const rng = Rng.fromSeed(1);
    const vq = createBottleneck({ kind: 'vq', inputDim: 4, codebookSize: 5 });
    const codebook = (vq as unknown as { codebook: tf.Tensor2D }).codebook.arraySync();
    const drawn = vq.sampleCodes!(20, rng).arraySync();
    for (const row of drawn) expect(codebook.some((c) => c.every((v, j) => v === row[j]))).toBe(true);
    const vmf = createBottleneck({ kind: 'vmf', inputDim: 4, latentDim: 3 });
    const norms = tf.tidy(() => tf.norm(vmf.sampleCodes!(50, rng), 'euclidean', 1).arraySync() as number[]);
    for (const n of norms) expect(n).toBeCloseTo(1, 5);
    expect(createBottleneck({ kind: 'identity', inputDim: 2 }).sampleCodes).toBeUndefined();
    vq.dispose();
    vmf.dispose();
  });
});
