/** Special functions as differentiable tfjs ops (float64 inside, float32 out): see float64-op.ts for why. */
import { type Tensor, check } from '@latentkit/core';
import { besselIRatio as ratio64, logBesselI as logBesselI64 } from '../special/bessel.js';
import { digamma as digamma64, logGamma as logGamma64, trigamma as trigamma64 } from '../special/gamma.js';
import { type Float64Elementwise, applyFloat64, isPositiveFinite } from './float64-op.js';

function checkOrder(v: number): void {
  check(Number.isFinite(v) && v >= 0, 'v', 'a finite order ≥ 0', v);
}

const nonNegative = (x: number) => x >= 0 && Number.isFinite(x);

/** log I_v(x) elementwise for a fixed order v ≥ 0 and x ≥ 0; d/dx = I_{v+1}(x)/I_v(x) + v/x. */
export function logBesselIv<T extends Tensor>(v: number, x: T): T {
  checkOrder(v);
  const op: Float64Elementwise = {
    argument: 'x',
    expected: 'a finite number ≥ 0',
    valid: nonNegative,
    evaluate: (xi) => [logBesselI64(v, xi), ratio64(v, xi) + (v === 0 ? 0 : v / xi)],
  };
  return applyFloat64(op, x);
}

/** I_{v+1}(x)/I_v(x) elementwise; d/dx = 1 − R² − (2v+1) R / x, with the limit 1/(2(v+1)) at x = 0. */
export function besselIvRatio<T extends Tensor>(v: number, x: T): T {
  checkOrder(v);
  const op: Float64Elementwise = {
    argument: 'x',
    expected: 'a finite number ≥ 0',
    valid: nonNegative,
    evaluate: (xi) => {
      const r = ratio64(v, xi);
      return [r, xi === 0 ? 1 / (2 * (v + 1)) : 1 - r * r - ((2 * v + 1) * r) / xi];
    },
  };
  return applyFloat64(op, x);
}

/** log Γ(x) elementwise for x > 0; d/dx = ψ(x). */
export function lgamma<T extends Tensor>(x: T): T {
  const op: Float64Elementwise = {
    argument: 'x',
    expected: 'a positive finite number',
    valid: isPositiveFinite,
    evaluate: (xi) => [logGamma64(xi), digamma64(xi)],
  };
  return applyFloat64(op, x);
}

/** ψ(x) elementwise for x > 0; d/dx = ψ'(x). */
export function digamma<T extends Tensor>(x: T): T {
  const op: Float64Elementwise = {
    argument: 'x',
    expected: 'a positive finite number',
    valid: isPositiveFinite,
    evaluate: (xi) => [digamma64(xi), trigamma64(xi)],
  };
  return applyFloat64(op, x);
}
