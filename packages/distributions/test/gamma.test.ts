import { describe, expect, it } from 'vitest';
import { digamma, logGamma, trigamma } from '../src/special/gamma.js';

// Reference values: mpmath 1.2.1 at 30 digits (loggamma, digamma, psi(1, x)), computed for this test.
const REFERENCE: [x: number, lgamma: number, digamma: number, trigamma: number][] = [
  [1e-3, 6.907178885383853, -1000.5755719318103, 1000001.6425331958],
  [0.5, 0.5723649429247001, -1.9635100260214235, 4.934802200544679],
  [1, 0, -0.5772156649015329, 1.6449340668482264],
  [2.5, 0.2846828704729192, 0.7031566406452432, 0.49035775610023485],
  [7, 6.579251212010101, 1.8727843350984672, 0.15354517795933756],
  [24.5, 53.19049452616927, 3.1781261463533075, 0.04166064216101648],
  [100, 359.1342053695754, 4.600161852738087, 0.010050166663333571],
  [1e4, 82099.71749644238, 9.210290371142849, 0.00010000500016666666],
];

function close(actual: number, expected: number, rel: number, abs = 0): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}

describe('gamma family in float64', () => {
  it.each(REFERENCE)('x = %d matches mpmath', (x, lg, dg, tg) => {
    close(logGamma(x), lg, 1e-14, 1e-14);
    close(digamma(x), dg, 1e-14);
    close(trigamma(x), tg, 1e-14);
  });

  it('rejects x ≤ 0', () => {
    expect(() => logGamma(0)).toThrow(/x > 0/);
    expect(() => digamma(-1)).toThrow(/x > 0/);
    expect(() => trigamma(Number.NaN)).toThrow(/x > 0/);
  });
});
