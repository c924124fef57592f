import { describe, expect, it } from 'vitest';
import { LatentkitError, Rng } from '../src/index.js';

describe('Rng', () => {
  it('is reproducible from its seed', () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => Rng.fromSeed(43).uniform())).not.toEqual(xs);
  });

  it('resumes exactly from a saved state, through JSON', () => {
    const a = Rng.fromSeed('run-1');
    for (let i = 0; i < 100; i++) a.normal();
    const saved = JSON.parse(JSON.stringify(a.state()));
    const next = [a.uniform(), a.normal(), a.int(10), a.tfSeed()];
    const b = Rng.fromState(saved);
    expect([b.uniform(), b.normal(), b.int(10), b.tfSeed()]).toEqual(next);
  });

  it('draws standard normals (mean 0, variance 1 within 5 standard errors)', () => {
    const r = Rng.fromSeed(7);
    const n = 20000;
    const xs = Array.from({ length: n }, () => r.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('permutes every index exactly once', () => {
    const p = Array.from(Rng.fromSeed(1).permutation(1000));
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rejects bad arguments with a message that names them', () => {
    expect(() => Rng.fromSeed(Number.NaN)).toThrow(/argument "seed"/);
    expect(() => Rng.fromSeed(1).int(0)).toThrow(LatentkitError);
    expect(() => Rng.fromState({} as never)).toThrow(/argument "state"/);
  });
});
