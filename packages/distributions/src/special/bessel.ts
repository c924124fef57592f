/**
 * The modified Bessel function of the first kind in float64, in log form: log I_v(x) and the ratio
 * R_v(x) = I_{v+1}(x) / I_v(x), for every order v ≥ 0 and argument x ≥ 0 without overflow or underflow.
 *
 * Three regimes, each used only where it is accurate to ~1e-14 relative:
 *  - small argument (x² ≤ 4(v+1)): the power series I_v(x) = (x/2)^v / Γ(v+1) · Σ_k (x²/4)^k / (k! (v+1)_k), whose
 *    terms fall at least as fast as 1/k!, summed in log form (this is where order 500 and κ = 0.1 lives);
 *  - large order (v ≥ 20): the uniform asymptotic expansion of Debye and Olver (DLMF 10.41.3), uniform in x/v, so
 *    κ in the thousands and beyond only grows the exponent it returns in log form;
 *  - small order, larger argument: anchor at order v + n ≥ 20 with the expansion, then the backward recurrence of the
 *    ratio R_{μ-1} = 1 / (2μ/x + R_μ) down to v (stable: it damps errors), which also gives log I_v as the anchor
 *    minus the sum of the log-ratios;
 *  - large argument (x ≥ 50 + 20 v²): Hankel's expansion (DLMF 10.40.1), I_v(x) ≈ e^x / √(2πx) Σ_k (−1)^k a_k(v) / x^k.
 *    Past this point x − log I_v(x), 1 − R_v(x) and R_v'(x) are the quantities that matter (the vMF KL and its
 *    gradient), and each is a small difference of two numbers near x or near 1: the expansion gives them directly,
 *    term by term, where subtracting would leave nothing (at x = 1e18, R_v rounds to 1 and the KL came out 0).
 */
import { logGamma } from './gamma.js';

/** From this order on, twelve terms of the uniform expansion leave an error below 1e-16 for every x/v. */
const DEBYE_MIN_ORDER = 20;
const DEBYE_TERMS = 12;
const SERIES_MAX_TERMS = 60;
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Coefficients (in powers of p) of Olver's polynomials U_0..U_K: U_0 = 1,
 * U_{k+1}(p) = ½ p² (1 − p²) U_k'(p) + ⅛ ∫_0^p (1 − 5t²) U_k(t) dt (DLMF 10.41.9).
 */
function olverPolynomials(count: number): Float64Array[] {
  const polys: number[][] = [[1]];
  for (let k = 0; k + 1 < count; k++) {
    const u = polys[k] as number[];
    const next = new Array<number>(u.length + 3).fill(0);
    for (let j = 1; j < u.length; j++) {
      const derivative = j * (u[j] as number); // coefficient of p^{j-1} in U_k'
      next[j + 1] = (next[j + 1] as number) + 0.5 * derivative;
      next[j + 3] = (next[j + 3] as number) - 0.5 * derivative;
    }
    for (let j = 0; j < u.length; j++) {
      const c = (u[j] as number) / 8;
      next[j + 1] = (next[j + 1] as number) + c / (j + 1);
      next[j + 3] = (next[j + 3] as number) - (5 * c) / (j + 3);
    }
    polys.push(next);
  }
  return polys.map((p) => Float64Array.from(p));
}

const OLVER = olverPolynomials(DEBYE_TERMS + 1);

function horner(coefficients: Float64Array, p: number): number {
  let acc = 0;
  for (let j = coefficients.length - 1; j >= 0; j--) acc = acc * p + (coefficients[j] as number);
  return acc;
}

/** Σ_k U_k(p) / v^k, the correction factor of the uniform expansion. */
function olverSeries(v: number, p: number): number {
  let series = 0;
  let inversePower = 1;
  for (const u of OLVER) {
    series += horner(u, p) * inversePower;
    inversePower /= v;
  }
  return series;
}

/**
 * log I_v(x) by the uniform asymptotic expansion (DLMF 10.41.3), accurate for v ≥ DEBYE_MIN_ORDER and any x > 0:
 * I_v(vz) ≈ e^{vη} / (√(2πv) (1+z²)^{1/4}) Σ_k U_k(p) / v^k, with p = 1/√(1+z²) and η = √(1+z²) − asinh(1/z).
 */
function logBesselIDebye(v: number, x: number): number {
  const h = Math.hypot(v, x); // v √(1+z²)
  const vEta = h - v * Math.asinh(v / x);
  return vEta - 0.5 * (LOG_2PI + Math.log(h)) + Math.log(olverSeries(v, v / h));
}

/**
 * log R_v(x) = log I_{v+1}(x) − log I_v(x) from the same expansion, with the difference of the two exponents taken
 * analytically: subtracting two values of size x would lose log10(x) digits at large κ.
 */
function logRatioDebye(v: number, x: number): number {
  const h0 = Math.hypot(v, x);
  const h1 = Math.hypot(v + 1, x);
  const w = 2 * v + 1; // (v+1)² − v²
  const exponent =
    w / (h1 + h0) - // h1 − h0
    Math.asinh((v + 1) / x) -
    v * Math.asinh(w / ((v + 1) * h0 + v * h1)); // v (asinh((v+1)/x) − asinh(v/x))
  const prefactor = -0.25 * Math.log1p(w / (h0 * h0)); // −½ log(h1/h0)
  return exponent + prefactor + Math.log(olverSeries(v + 1, (v + 1) / h1) / olverSeries(v, v / h0));
}

/**
 * Hankel's terms behave like (v²/2x)^k / k! times Π (1 − (2j−1)²/4v²): from x ≥ 50 + 20 v² the first factor stays
 * below 0.025^k / k! (the alternating sum loses no digit) and the (2j−1)² growth, like k!/(2x)^k, is below 1e-17
 * by k = 14 (at x = 50).
 */
const HANKEL_MIN_ARGUMENT = 50;
const HANKEL_ORDER_SCALE = 20;
const HANKEL_MAX_TERMS = 40;

export function inHankelRange(v: number, x: number): boolean {
  return x >= HANKEL_MIN_ARGUMENT + HANKEL_ORDER_SCALE * v * v;
}

/** What Hankel's expansion gives at large x, each without cancellation. */
export interface LargeArgumentBessel {
  /** x − log I_v(x) = ½ log(2πx) − log S_v(x). */
  readonly deficit: number;
  /** 1 − R_v(x) = (S_v − S_{v+1}) / S_v. */
  readonly ratioComplement: number;
  /** dR_v/dx. */
  readonly ratioDerivative: number;
}

/**
 * Hankel's expansion for `inHankelRange(v, x)`: S_v(x) = Σ_k (−1)^k a_k(v) x^{−k}, a_0 = 1,
 * a_k = a_{k−1} (4v² − (2k−1)²) / (8k), and the differences b_k = a_k(v) − a_k(v+1) by their own recurrence
 * (b_k = b_{k−1} p_k(v) − a_{k−1}(v+1) (2v+1)/(2k)), so S_v − S_{v+1} never subtracts two numbers near 1.
 */
export function largeArgumentBessel(v: number, x: number): LargeArgumentBessel {
  const u = 1 / x;
  let a = 1; // a_k(v)
  let a1 = 1; // a_k(v+1)
  let b = 0; // a_k(v) − a_k(v+1)
  let sign = 1;
  let power = 1; // x^{−k}
  let s = 1; // S_v
  let ds = 0; // dS_v/dx
  let d = 0; // S_v − S_{v+1}
  let dd = 0; // d(S_v − S_{v+1})/dx
  const v2 = 4 * v * v;
  const w2 = 4 * (v + 1) * (v + 1);
  for (let k = 1; k <= HANKEL_MAX_TERMS; k++) {
    const odd = (2 * k - 1) * (2 * k - 1);
    b = b * ((v2 - odd) / (8 * k)) - (a1 * (2 * v + 1)) / (2 * k);
    a *= (v2 - odd) / (8 * k);
    a1 *= (w2 - odd) / (8 * k);
    sign = -sign;
    power *= u;
    const termS = sign * a * power;
    const termD = sign * b * power;
    s += termS;
    d += termD;
    ds -= k * termS * u;
    dd -= k * termD * u;
    if (Math.abs(termS) < 1e-17 * Math.abs(s) && Math.abs(termD) < 1e-17 * Math.abs(d)) break;
  }
  return {
    deficit: 0.5 * (LOG_2PI + Math.log(x)) - Math.log(s),
    ratioComplement: d / s,
    ratioDerivative: -(dd * s - d * ds) / (s * s),
  };
}

/** Σ_{k≥1} y^k / (k! (v+1)_k): the power series of Γ(v+1) (2/x)^v I_v(x) minus its leading 1, with y = x²/4. */
function seriesTail(v: number, y: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 1; k <= SERIES_MAX_TERMS; k++) {
    term *= y / (k * (v + k));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

function inSeriesRange(v: number, x: number): boolean {
  return x * x <= 4 * (v + 1);
}

/** log I_v(x) and R_v(x) for v < DEBYE_MIN_ORDER outside the series range, by backward recurrence of the ratio. */
function smallOrder(v: number, x: number): { logI: number; ratio: number } {
  const top = v + Math.ceil(DEBYE_MIN_ORDER - v);
  const logTop = logBesselIDebye(top, x);
  let ratio = Math.exp(logRatioDebye(top, x));
  let product = 1; // Π R_μ for μ from v to top − 1; at most 20 factors, each ≥ x/(2μ + x) with x > 2: no underflow
  for (let mu = top; mu > v; mu--) {
    ratio = 1 / ((2 * mu) / x + ratio);
    product *= ratio;
  }
  return { logI: logTop - Math.log(product), ratio };
}

function checkArguments(v: number, x: number, fn: string): void {
  if (!(v >= 0 && Number.isFinite(v))) throw new RangeError(`${fn}(v, x) needs a finite order v ≥ 0, got ${v}`);
  if (!(x >= 0)) throw new RangeError(`${fn}(v, x) needs x ≥ 0, got ${x}`);
}

/** log I_v(x) for v ≥ 0, x ≥ 0 (−∞ at x = 0 for v > 0). */
export function logBesselI(v: number, x: number): number {
  checkArguments(v, x, 'logBesselI');
  if (x === 0) return v === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (inHankelRange(v, x)) return x - largeArgumentBessel(v, x).deficit;
  if (inSeriesRange(v, x)) {
    const leading = v === 0 ? 0 : v * Math.log(x / 2) - logGamma(v + 1);
    return leading + Math.log1p(seriesTail(v, (x * x) / 4));
  }
  if (v >= DEBYE_MIN_ORDER) return logBesselIDebye(v, x);
  return smallOrder(v, x).logI;
}

/**
 * log(Γ(v+1) (2/x)^v I_v(x)): log I_v minus its small-argument leading term, ≥ 0 and ≈ x²/(4(v+1)) as x → 0.
 * Computed directly from the series there, so quantities like the vMF KL at tiny κ keep full relative precision.
 */
export function logBesselIScaled(v: number, x: number): number {
  checkArguments(v, x, 'logBesselIScaled');
  if (x === 0) return 0;
  if (inSeriesRange(v, x)) return Math.log1p(seriesTail(v, (x * x) / 4));
  return logBesselI(v, x) - v * Math.log(x / 2) + logGamma(v + 1);
}

/** 1 − R_v(x), accurate where R_v(x) is near 1 (large x) and rounds to it. */
export function besselIRatioComplement(v: number, x: number): number {
  checkArguments(v, x, 'besselIRatioComplement');
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (inHankelRange(v, x)) return largeArgumentBessel(v, x).ratioComplement;
  return 1 - besselIRatio(v, x);
}

/** R_v(x) = I_{v+1}(x) / I_v(x) ∈ [0, 1) for v ≥ 0, x ≥ 0. For the vMF on S^{d-1} it is the mean cosine A_d(κ) with v = d/2 − 1. */
export function besselIRatio(v: number, x: number): number {
  checkArguments(v, x, 'besselIRatio');
  if (x === 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (inHankelRange(v, x)) return 1 - largeArgumentBessel(v, x).ratioComplement;
  if (inSeriesRange(v, x)) {
    const y = (x * x) / 4;
    return ((x / (2 * (v + 1))) * (1 + seriesTail(v + 1, y))) / (1 + seriesTail(v, y));
  }
  if (v >= DEBYE_MIN_ORDER) return Math.exp(logRatioDebye(v, x));
  return smallOrder(v, x).ratio;
}
