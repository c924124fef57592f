/**
 * vMF at large κ (issue 21, item 9): κ ≥ 1e18 once gave KL 0 for every κ, because κA and log I_v(κ) are both ≈ κ and
 * their difference was lost. Against mpmath at 150 digits (test/fixtures/large_kappa.py), from κ = 1e3 to float32's
 * largest, on both sides of the switch to Hankel's expansion (κ = 50 + 20 v²).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine, tf } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { VonMisesFisher } from '../src/index.js';
import { besselIRatioComplement, inHankelRange, logBesselI } from '../src/special/bessel.js';
import { vmfKlDerivative, vmfKlToUniform, vmfLogNormalizer, vmfMeanCosine, vmfMeanCosineDerivative } from '../src/special/von-mises-fisher.js';
import { relativeError } from './vectors.js';

interface Row {
  kappa: number;
  dim: number;
  log_iv: number;
  mean_cosine: number;
  one_minus_mean_cosine: number;
  mean_cosine_derivative: number;
  log_normalizer: number;
  kl_to_uniform: number;
  dkl_dkappa: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const rows = (JSON.parse(fs.readFileSync(path.join(here, 'fixtures', 'large_kappa.json'), 'utf8')) as { vmf: Row[] }).vmf;

describe('vMF functions at large κ against mpmath', () => {
  it.each(rows)('κ=$kappa d=$dim', (r) => {
    const v = r.dim / 2 - 1;
    // Below the Hankel range the KL is still κA − log I (a few digits lost per decade of κ; a loss needs ~1e-9).
    const klTolerance = inHankelRange(v, r.kappa) ? 1e-12 : 1e-9;
    expect(relativeError(vmfKlToUniform(r.kappa, r.dim), r.kl_to_uniform)).toBeLessThan(klTolerance);
    expect(relativeError(logBesselI(v, r.kappa), r.log_iv)).toBeLessThan(1e-12);
    expect(relativeError(vmfLogNormalizer(r.kappa, r.dim), r.log_normalizer)).toBeLessThan(1e-12);
    expect(relativeError(vmfMeanCosine(r.kappa, r.dim), r.mean_cosine)).toBeLessThan(1e-14);
    expect(relativeError(besselIRatioComplement(v, r.kappa), r.one_minus_mean_cosine)).toBeLessThan(1e-10);
    // dA/dκ ≈ (d−1)/(2κ²) comes from a difference of terms of size (d−1)/κ below the Hankel range: ~1e-16 κ relative.
    const derivativeTolerance = inHankelRange(v, r.kappa) ? 1e-12 : Math.max(1e-9, 4e-16 * r.kappa * r.dim);
    expect(relativeError(vmfMeanCosineDerivative(r.kappa, r.dim), r.mean_cosine_derivative)).toBeLessThan(derivativeTolerance);
    expect(relativeError(vmfKlDerivative(r.kappa, r.dim), r.dkl_dkappa)).toBeLessThan(derivativeTolerance);
  });

  it('the KL keeps growing like (d−1)/2 log κ and its derivative stays positive up to float32’s largest κ', () => {
    for (const dim of [2, 3, 50]) {
      let previous = -1;
      for (let e = 15; e <= 38; e++) {
        const kappa = 10 ** e;
        const kl = vmfKlToUniform(kappa, dim);
        expect(kl).toBeGreaterThan(previous);
        // one decade of κ adds (d−1)/2 · ln 10 to the KL, up to O(1/κ)
        if (previous > 0) expect(kl - previous).toBeCloseTo(((dim - 1) / 2) * Math.log(10), 9);
        expect(vmfKlDerivative(kappa, dim)).toBeGreaterThan(0);
        previous = kl;
      }
    }
  });
});

describe('the VonMisesFisher class at large κ (float32 output)', () => {
  it.each([1e18, 1e30, 3e38])('κ = %s, d = 3: KL, entropy and dKL/dκ match mpmath', async (kappa) => {
    await initEngine({ backend: 'cpu' });
    const row = rows.find((r) => r.dim === 3 && r.kappa === kappa) as Row;
    const mu = tf.tensor2d([[0, 1, 0]]);
    const kl = new VonMisesFisher(mu, kappa).klToPrior().dataSync()[0] as number;
    expect(relativeError(kl, row.kl_to_uniform)).toBeLessThan(1e-6);
    // KL to uniform = log|S²| − entropy
    expect(relativeError(new VonMisesFisher(mu, kappa).entropy().dataSync()[0] as number, Math.log(4 * Math.PI) - row.kl_to_uniform)).toBeLessThan(1e-6);
    const grad = tf
      .grad((k: tf.Tensor) => new VonMisesFisher(mu, k as tf.Tensor1D).klToPrior().sum())(tf.tensor1d([kappa]))
      .dataSync()[0] as number;
    expect(relativeError(grad, row.dkl_dkappa)).toBeLessThan(1e-5);
  });
});
