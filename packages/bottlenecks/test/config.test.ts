import { LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { type BottleneckConfigInput, type BottleneckKindName, bottleneckKinds, resolveBottleneckConfig } from '../src/index.js';

const BOTTLENECK_KINDS = bottleneckKinds().map((k) => k.kind as BottleneckKindName);

const MINIMAL: Record<BottleneckKindName, BottleneckConfigInput> = {
  identity: { kind: 'identity', inputDim: 4 },
  denoising: { kind: 'denoising', inputDim: 4 },
  gaussian: { kind: 'gaussian', inputDim: 4, latentDim: 2 },
  vmf: { kind: 'vmf', inputDim: 4, latentDim: 3 },
  powerSpherical: { kind: 'powerSpherical', inputDim: 4, latentDim: 3 },
  vq: { kind: 'vq', inputDim: 4, codebookSize: 8 },
  softVq: { kind: 'softVq', inputDim: 4, codebookSize: 8 },
};

function configError(f: () => unknown): LatentkitError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentkitError);
    expect((e as LatentkitError).code).toBe('INVALID_CONFIG');
    return e as LatentkitError;
  }
  throw new Error('expected an INVALID_CONFIG error');
}

describe('resolveBottleneckConfig', () => {
  it('fills the documented defaults', () => {
    expect(resolveBottleneckConfig(MINIMAL.denoising)).toEqual({ kind: 'denoising', inputDim: 4, sigma: 0.1 });
    expect(resolveBottleneckConfig(MINIMAL.gaussian)).toEqual({
      kind: 'gaussian',
      inputDim: 4,
      latentDim: 2,
      beta: 1,
      klSchedule: { kind: 'constant' },
      freeBits: 0,
    });
    expect(resolveBottleneckConfig(MINIMAL.vmf)).toMatchObject({ kappa: 'learned', beta: 1 });
    expect(resolveBottleneckConfig(MINIMAL.vq)).toEqual({
      kind: 'vq',
      inputDim: 4,
      codebookSize: 8,
      beta: 0.25,
      ema: { decay: 0.99, epsilon: 1e-5 },
      restart: { threshold: 0.5, decay: 0.95 },
      init: 'kmeans++',
    });
    expect(resolveBottleneckConfig({ ...MINIMAL.vq, ema: null, restart: null } as BottleneckConfigInput)).toMatchObject({ ema: null, restart: null });
    expect(resolveBottleneckConfig({ ...MINIMAL.vq, ema: {}, restart: { threshold: 0.1 } } as BottleneckConfigInput)).toMatchObject({
      ema: { decay: 0.99, epsilon: 1e-5 },
      restart: { threshold: 0.1, decay: 0.95 },
    });
    expect(resolveBottleneckConfig(MINIMAL.softVq)).toEqual({
      kind: 'softVq',
      inputDim: 4,
      codebookSize: 8,
      latentDim: null,
      variant: 'noise',
      sigma: 1,
      beta: 0.25,
      straightThrough: false,
    });
    // Each soft-VQ variant defaults to its source's decoder path: the paper's soft output, the authors' straight-through.
    expect(resolveBottleneckConfig({ ...MINIMAL.softVq, variant: 'predictedVariance' } as BottleneckConfigInput)).toMatchObject({ straightThrough: true });
    expect(resolveBottleneckConfig({ ...MINIMAL.gaussian, klSchedule: { kind: 'cyclical', period: 100 } } as BottleneckConfigInput)).toMatchObject({
      klSchedule: { kind: 'cyclical', period: 100, rampFraction: 0.5 },
    });
  });

  it('round-trips every kind through JSON unchanged, and resolving twice changes nothing', () => {
    for (const kind of BOTTLENECK_KINDS) {
      const resolved = resolveBottleneckConfig(MINIMAL[kind]);
      const again = JSON.parse(JSON.stringify(resolved));
      expect(again).toEqual(resolved);
      expect(resolveBottleneckConfig(again)).toEqual(resolved);
    }
  });

  it('does not change its input', () => {
    const input = { kind: 'vq', inputDim: 4, codebookSize: 8, ema: { decay: 0.9 } } as const;
    const copy = structuredClone(input);
    resolveBottleneckConfig(input);
    expect(input).toEqual(copy);
  });

  it('names the bad field, what it expected and what it got', () => {
    const message = (input: unknown) => configError(() => resolveBottleneckConfig(input as BottleneckConfigInput)).message;
    expect(message({ kind: 'nope', inputDim: 2 })).toBe(
      'kind: expected one of "identity", "denoising", "gaussian", "vmf", "powerSpherical", "vq", "softVq", got "nope"',
    );
    expect(message({ kind: 'softvq', inputDim: 2 })).toMatch(/got "softvq"; did you mean "softVq"\?$/);
    expect(message({ kind: 'identity', inputDim: 0 })).toBe('inputDim: expected a number > 0, got 0');
    expect(message({ kind: 'gaussian', inputDim: 4 })).toBe('latentDim: expected a finite number, got nothing');
    expect(message({ ...MINIMAL.gaussian, beta: -1 })).toBe('beta: expected a number ≥ 0, got -1');
    expect(message({ ...MINIMAL.vmf, kappa: 0 })).toBe('kappa: expected a number > 0, got 0');
    expect(message({ ...MINIMAL.vmf, latentDim: 1 })).toBe('latentDim: expected a number ≥ 2, got 1');
    expect(message({ ...MINIMAL.vq, ema: { decay: 1 } })).toBe('ema.decay: expected a number < 1, got 1');
    expect(message({ ...MINIMAL.softVq, variant: 'x' })).toBe('variant: expected one of "noise", "predictedVariance", got "x"');
    expect(message({ ...MINIMAL.softVq, sigma: 0 })).toBe('sigma: expected a number ≥ 0.000001, got 0');
    expect(message({ ...MINIMAL.gaussian, klSchedule: { kind: 'linear', warmupSteps: 0 } })).toBe('klSchedule.warmupSteps: expected a number > 0, got 0');
    // The prefix places a bottleneck config inside a larger one.
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.gaussian, beta: -1 } as BottleneckConfigInput, 'model.bottleneck')).message).toBe(
      'model.bottleneck.beta: expected a number ≥ 0, got -1',
    );
  });

  it('rejects unknown fields, nested ones too, so a typo never passes silently', () => {
    const message = (input: unknown) => configError(() => resolveBottleneckConfig(input as BottleneckConfigInput)).message;
    expect(message({ ...MINIMAL.vq, ema: { decai: 0.9 } })).toBe('ema.decai: unknown key; did you mean ema.decay?');
    expect(message({ ...MINIMAL.vq, restart: true })).toBe('restart: expected an object, got true');
    expect(message({ ...MINIMAL.gaussian, klSchedule: { kind: 'linear', warmupSteps: 5, ramp: 1 } })).toBe(
      'klSchedule.ramp: unknown key; the keys here are kind, warmupSteps, start',
    );
    expect(message({ ...MINIMAL.vmf, kappa: 'fixed' })).toBe('kappa: expected a finite number > 0 or "learned", got "fixed"');
    expect(message({ ...MINIMAL.vq, betta: 0.5 })).toBe('betta: unknown key; did you mean beta?');
  });
});
