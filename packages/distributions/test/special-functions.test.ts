import { describe, expect, it } from 'vitest';
import { besselIRatio, logBesselI, logBesselIScaled } from '../src/special/bessel.js';
import { logGamma } from '../src/special/gamma.js';
import { integrate } from '../src/special/quadrature.js';
import { powerSphericalKlDerivative, powerSphericalKlToUniform, powerSphericalMeanCosine } from '../src/special/power-spherical.js';
import { vmfKlDerivative, vmfKlToUniform, vmfLogNormalizer, vmfMeanCosine, vmfMeanCosineDerivative } from '../src/special/von-mises-fisher.js';
import { type SphericalVectors, readTestVectors, relativeError } from './vectors.js';

const vectors = readTestVectors<SphericalVectors>('spherical.json');

describe.skipIf(!vectors)('shared/test-vectors/spherical.json (mpmath, 40 digits)', () => {
  // The cases are listed while the suite is collected, also when it skips: empty lists then.
  const v: Pick<SphericalVectors, 'bessel_log_iv' | 'vmf' | 'power_spherical'> = vectors ?? { bessel_log_iv: [], vmf: [], power_spherical: [] };
  it.each(v.bessel_log_iv)('log I_$order($x) to 1e-9 relative', ({ order, x, log_iv }) => {
    expect(relativeError(logBesselI(order, x), log_iv)).toBeLessThan(1e-9);
  });
  it.each(v.vmf)('vMF κ=$kappa d=$dim: KL and mean cosine to 1e-7, dKL/dκ to 1e-6', (c) => {
    expect(relativeError(vmfKlToUniform(c.kappa, c.dim), c.kl_to_uniform)).toBeLessThan(1e-7);
    expect(relativeError(vmfMeanCosine(c.kappa, c.dim), c.mean_cosine)).toBeLessThan(1e-7);
    expect(relativeError(vmfKlDerivative(c.kappa, c.dim), c.dkl_dkappa)).toBeLessThan(1e-6);
  });
  it.each(v.power_spherical)('Power Spherical κ=$kappa d=$dim: KL and mean cosine to 1e-7', (c) => {
    expect(relativeError(powerSphericalKlToUniform(c.kappa, c.dim), c.kl_to_uniform)).toBeLessThan(1e-7);
    expect(relativeError(powerSphericalMeanCosine(c.kappa, c.dim), c.mean_cosine)).toBeLessThan(1e-7);
  });
});

// [v, x, log I_v(x), I_{v+1}(x)/I_v(x)]: mpmath 1.2.1 besseli at 40 digits, computed for this test. The points sit
// on both sides of every regime boundary in bessel.ts (series for x² ≤ 4(v+1), expansion from order 20, recurrence).
const GRID: [number, number, number, number][] = [
  [0, 1e-5, 2.4999999999843754e-11, 4.9999999999375e-6],
  [0, 2, 0.8239935414829563, 0.697774657964008],
  [0, 80, 76.8916205447856, 0.9937302197128678],
  [0, 1e5, 99993.32459998432, 0.9999949999874999],
  [0.5, 0.5, -0.531040088311782, 0.16395341373865285],
  [0.5, 9, 6.982449162897238, 0.8888889193488488],
  [1, 10, 7.890203834104212, 0.8541853083236816],
  [1, 1000, 995.62680863964, 0.9985003753754931],
  [2.5, 5, 2.622265862896675, 0.5387973871926658],
  [7, 30, 26.557944498210695, 0.7776250932586671],
  [12.5, 9, -1.0281303593991984, 0.30429081503679356],
  [12.5, 200, 196.04105139677, 0.9369578877633761],
  [19, 10, -7.545207126437292, 0.2366080959166029],
  [19.5, 1000, 995.4370947662385, 0.9801901721665741],
  [20, 9, -11.309816916039882, 0.2056089632888359],
  [20, 10, -8.986557236723435, 0.22639807030301023],
  [24, 5000, 4994.764884222997, 0.9951115172373413],
  [49, 0.5, -212.49291765653766, 0.004999877456871823],
  [49, 30, -7.549994836049637, 0.27731896464439104],
  [99, 1e4, 9993.985833279845, 0.9900990074500049],
  [249, 80, -203.67174163918565, 0.15611528750062484],
  [499, 1e-5, -8695.946100481291, 1e-8],
  [499, 80, -761.1751364822608, 0.07949543457625885],
  [499, 1e5, 99992.07959134268, 0.9950174500844984],
  [999, 200, -1294.7047049428097, 0.09902045549786834],
  [999, 5000, 4895.340697158104, 0.8198685332996718],
  [4999, 1, -41047.669021304515, 9.999999900019998e-5],
  [4999, 1000, -6466.047111412694, 0.09901970211302723],
  [4999, 1e5, 99868.39997236036, 0.9512537328502381],
];

describe('Bessel functions across regimes', () => {
  it.each(GRID)('v=%d x=%d: log I_v and I_{v+1}/I_v to 1e-13 relative', (v, x, logI, ratio) => {
    expect(relativeError(logBesselI(v, x), logI)).toBeLessThan(1e-13);
    expect(relativeError(besselIRatio(v, x), ratio)).toBeLessThan(1e-13);
  });

  it('is continuous across the regime boundaries', () => {
    // Pairs of points a hair apart on either side of x = 2√(v+1) (series ↔ expansion or recurrence) and of
    // v = 20 (recurrence ↔ expansion).
    const pairs: [v1: number, x1: number, v2: number, x2: number][] = [
      [3, 4 * (1 - 1e-12), 3, 4 * (1 + 1e-12)],
      [24, 10 * (1 - 1e-12), 24, 10 * (1 + 1e-12)],
      [0, 2 * (1 - 1e-12), 0, 2 * (1 + 1e-12)],
      [20 - 1e-12, 30, 20, 30],
      [20 - 1e-12, 5000, 20, 5000],
    ];
    for (const [v1, x1, v2, x2] of pairs) {
      expect(relativeError(logBesselI(v1, x1), logBesselI(v2, x2))).toBeLessThan(1e-10);
      expect(relativeError(besselIRatio(v1, x1), besselIRatio(v2, x2))).toBeLessThan(1e-10);
    }
  });

  it('stays finite where exp-scaled Bessel functions overflow or underflow', () => {
    expect(logBesselI(0, 1e6)).toBeCloseTo(1e6 - 0.5 * Math.log(2 * Math.PI * 1e6), 6);
    expect(Number.isFinite(logBesselI(500, 0.1))).toBe(true);
    expect(logBesselI(500, 0.1)).toBeCloseTo(500 * Math.log(0.05) - logGamma(501) + 0.01 / (4 * 501), 8);
    expect(besselIRatio(499, 1e-3)).toBeCloseTo(1e-3 / 1000, 15);
    expect(logBesselI(0, 0)).toBe(0);
    expect(logBesselI(2, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(besselIRatio(3, 0)).toBe(0);
  });

  it('logBesselIScaled keeps relative precision as x → 0', () => {
    // log 0F1(; v+1; x²/4) = x²/(4(v+1)) − x⁴/(32 (v+1)² (v+2)) + …
    const x = 1e-4;
    const v = 24;
    const expected = (x * x) / (4 * (v + 1)) - x ** 4 / (32 * (v + 1) ** 2 * (v + 2));
    expect(relativeError(logBesselIScaled(v, x), expected)).toBeLessThan(1e-14);
  });

  it('rejects negative orders and arguments', () => {
    expect(() => logBesselI(-1, 1)).toThrow(/order v ≥ 0/);
    expect(() => besselIRatio(1, -1)).toThrow(/x ≥ 0/);
    expect(() => logBesselI(1, Number.NaN)).toThrow(/x ≥ 0/);
  });
});

describe('vMF and Power Spherical closed forms', () => {
  it('uses dimension d, not d + 2 as in Xu & Durrett’s public code', () => {
    expect(vmfKlToUniform(80, 50)).toBeCloseTo(19.515, 3);
    expect(vmfKlToUniform(80, 52)).toBeCloseTo(19.585, 3); // the d + 2 value the reference code reports for d = 50
  });

  it('derivatives match central finite differences in float64', () => {
    for (const [kappa, dim] of [
      [0.3, 3],
      [80, 50],
      [2000, 1000],
    ] as const) {
      const h = 1e-5 * kappa;
      const fd = (f: (k: number) => number) => (f(kappa + h) - f(kappa - h)) / (2 * h);
      expect(
        relativeError(
          vmfKlDerivative(kappa, dim),
          fd((k) => vmfKlToUniform(k, dim)),
        ),
      ).toBeLessThan(1e-6);
      expect(
        relativeError(
          vmfMeanCosineDerivative(kappa, dim),
          fd((k) => vmfMeanCosine(k, dim)),
        ),
      ).toBeLessThan(1e-6);
      expect(
        relativeError(
          -vmfMeanCosine(kappa, dim),
          fd((k) => vmfLogNormalizer(k, dim)),
        ),
      ).toBeLessThan(1e-6);
      expect(
        relativeError(
          powerSphericalKlDerivative(kappa, dim),
          fd((k) => powerSphericalKlToUniform(k, dim)),
        ),
      ).toBeLessThan(1e-6);
    }
  });

  it('the vMF log-normaliser integrates to one on S^2: C_3(κ) = κ / (4π sinh κ)', () => {
    for (const kappa of [0.01, 1, 30]) {
      const exact = Math.log(kappa / (4 * Math.PI)) - (kappa + Math.log1p(-Math.exp(-2 * kappa)) - Math.LN2);
      expect(relativeError(vmfLogNormalizer(kappa, 3), exact)).toBeLessThan(1e-12);
    }
  });
});

describe('adaptive Gauss–Kronrod quadrature', () => {
  it('integrates smooth, peaked and endpoint-heavy functions to 1e-10', () => {
    expect(relativeError(integrate(Math.sin, 0, Math.PI), 2)).toBeLessThan(1e-12);
    // A Gaussian bump of width 1e-3 inside [0, 1]: ∫ = σ√(2π) (tails beyond 0 and 1 are below 1e-100).
    const sigma = 1e-3;
    const bump = (x: number) => Math.exp(-0.5 * ((x - 0.7) / sigma) ** 2);
    expect(relativeError(integrate(bump, 0, 1), sigma * Math.sqrt(2 * Math.PI))).toBeLessThan(1e-10);
    expect(
      relativeError(
        integrate((x) => Math.exp(-500 * x), 0, 1),
        -Math.expm1(-500) / 500,
      ),
    ).toBeLessThan(1e-10);
  });
});
