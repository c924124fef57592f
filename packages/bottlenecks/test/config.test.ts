import { LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { BOTTLENECK_KINDS, type BottleneckConfigInput, resolveBottleneckConfig } from '../src/index.js';

const MINIMAL: Record<(typeof BOTTLENECK_KINDS)[number], BottleneckConfigInput> = {
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
    expect(resolveBottleneckConfig(MINIMAL.vq)).toEqual({ kind: 'vq', inputDim: 4, codebookSize: 8, beta: 0.25, ema: null, restart: null });
    expect(resolveBottleneckConfig({ ...MINIMAL.vq, ema: {}, restart: { threshold: 0.1 } } as BottleneckConfigInput)).toMatchObject({
      ema: { decay: 0.99, epsilon: 1e-5 },
      restart: { threshold: 0.1, decay: 0.99 },
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

  it('names the bad field and what it expected', () => {
    expect(configError(() => resolveBottleneckConfig({ kind: 'nope', inputDim: 2 } as unknown as BottleneckConfigInput)).message).toMatch(/"kind" must be one of "identity"/);
    expect(configError(() => resolveBottleneckConfig({ kind: 'identity', inputDim: 0 })).message).toMatch(/"inputDim" must be a positive integer, got 0/);
    expect(configError(() => resolveBottleneckConfig({ kind: 'gaussian', inputDim: 4 } as BottleneckConfigInput)).message).toMatch(/"latentDim" must be a positive integer/);
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.gaussian, beta: -1 } as BottleneckConfigInput)).message).toMatch(/"beta" must be a finite number ≥ 0, got -1/);
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.vmf, kappa: 0 } as BottleneckConfigInput)).message).toMatch(/"kappa"/);
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.vmf, latentDim: 1 } as BottleneckConfigInput)).message).toMatch(/at least 2/);
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.vq, ema: { decay: 1 } } as BottleneckConfigInput)).message).toMatch(/"ema.decay" must be a number in \(0, 1\)/);
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.softVq, variant: 'x' } as unknown as BottleneckConfigInput)).message).toMatch(/"variant"/);
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.softVq, sigma: 0 } as BottleneckConfigInput)).message).toMatch(/"sigma" must be a number in \[1e-6, 1e6\], got 0/);
    expect(
      configError(() => resolveBottleneckConfig({ ...MINIMAL.gaussian, klSchedule: { kind: 'linear', warmupSteps: 0 } } as BottleneckConfigInput)).message,
    ).toMatch(/klSchedule"\.warmupSteps must be a positive integer/);
  });

  it('rejects unknown fields, nested ones too, so a typo never passes silently', () => {
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.vq, ema: { decai: 0.9 } } as unknown as BottleneckConfigInput)).message).toMatch(
      /"ema.decai" must be absent: the fields are decay, epsilon/,
    );
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.vq, restart: true } as unknown as BottleneckConfigInput)).message).toMatch(
      /"restart" must be an object \(fields may be omitted\) or null, got true/,
    );
    expect(
      configError(() => resolveBottleneckConfig({ ...MINIMAL.gaussian, klSchedule: { kind: 'linear', warmupSteps: 5, ramp: 1 } } as unknown as BottleneckConfigInput))
        .message,
    ).toMatch(/klSchedule"\.ramp must be absent: a "linear" schedule has fields kind, warmupSteps, start/);
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.vmf, kappa: 'fixed' } as unknown as BottleneckConfigInput)).message).toMatch(
      /"kappa" must be a finite number > 0 or "learned", got "fixed"/,
    );
    expect(configError(() => resolveBottleneckConfig({ ...MINIMAL.vq, betta: 0.5 } as unknown as BottleneckConfigInput)).message).toMatch(
      /"betta" must be absent: the fields are kind, inputDim, codebookSize, beta, ema, restart/,
    );
  });
});
