import { describe, expect, it } from 'vitest';
import { type EvaluationReport, formatNumber, formatReport, reportEntries } from '../src/index.js';

describe('formatNumber', () => {
  it('writes numbers as people read them', () => {
    expect(formatNumber(1e-6)).toBe('1.0e-6');
    expect(formatNumber(0.000001234, 4)).toBe('1.2e-6');
    expect(formatNumber(0.12345678901234566)).toBe('0.1235');
    expect(formatNumber(-87.654321)).toBe('-87.65');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(25_012_345.6)).toBe('2.5e7');
    expect(formatNumber(25_000_000)).toBe('25,000,000');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});

const base: EvaluationReport = {
  format: 'latentkit.eval-report/1',
  seed: 1,
  model: { kind: 'imageMlp' },
  data: { trainExamples: 300, testExamples: 2000, classes: 10, latentDim: 4 },
  reconstruction: { nll: 101.23456789, nllPerUnit: 0.1291, units: 784 * 2000 },
  likelihood: null,
  layers: null,
  probe: { testAccuracy: 0.8123456, trainAccuracy: 0.9, strength: 1e-6, validationAccuracy: 0.8, path: [] },
  knn: { k: 5, metric: 'cosine', testAccuracy: 0.85 },
  clustering: { k: 10, restarts: 2, inertia: 12.5, accuracy: 0.61, nmi: 0.55, ari: 0.4 },
  anomaly: null,
  seconds: 3.21,
};

describe('reportEntries', () => {
  it('labels each number with its unit and leaves out what a model without a density does not have', () => {
    const entries = reportEntries(base);
    const keys = entries.map((e) => e.key);
    expect(keys).not.toContain('likelihood.elbo');
    expect(keys).toEqual(expect.arrayContaining(['reconstruction.nll', 'probe.testAccuracy', 'clustering.nmi']));
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey['reconstruction.nll']?.text).toBe('101.2 nats/example');
    expect(byKey['probe.strength']?.text).toBe('1.0e-6');
    expect(byKey['probe.testAccuracy']?.text).toBe('0.8123');
    expect(byKey['probe.testAccuracy']?.better).toBe('higher');
    expect(byKey['reconstruction.nll']?.better).toBe('lower');
    expect(byKey['probe.strength']?.better).toBeUndefined();
    for (const e of entries) {
      expect(e.text).not.toMatch(/null|undefined|NaN|\d{9,}/);
      expect(e.note.length).toBeGreaterThan(10);
    }
  });

  it('shows the likelihood section of a VAE, with K in the bound label', () => {
    const entries = reportEntries({
      ...base,
      likelihood: {
        examples: 2000,
        units: 784 * 2000,
        reconstruction: 90,
        kl: 12,
        elbo: -102,
        perplexity: 1.14,
        importanceWeighted: { samples: 100, logLikelihood: -98.5, perplexity: 1.13 },
        activeUnits: 3,
        activeUnitThreshold: 0.01,
        posteriorMeanVariance: [0.5, 0.2, 0.1, 0.001],
        klPerDimension: null,
        mutualInformation: 2.1,
        aggregateKl: 0.3,
      },
    });
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey['likelihood.elbo']?.text).toBe('-102 nats/example');
    expect(byKey['likelihood.importanceWeighted.logLikelihood']?.label).toBe('log-likelihood bound, K = 100');
    expect(byKey['likelihood.activeUnits']?.text).toBe('3 of 4');
  });

  it('shows each stochastic layer of a hierarchical model', () => {
    const entries = reportEntries({
      ...base,
      layers: [
        { name: 'z1', dim: 32, kl: 12.345678, activeUnits: 7, activeUnitThreshold: 0.01 },
        { name: 'z2', dim: 8, kl: 3.2, activeUnits: 8, activeUnitThreshold: 0.01 },
      ],
    });
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey['layers.z1.kl']?.text).toBe('12.35 nats/example');
    expect(byKey['layers.z1.activeUnits']?.text).toBe('7 of 32');
    expect(byKey['layers.z2.activeUnits']?.text).toBe('8 of 8');
    expect(formatReport({ ...base, layers: [{ name: 'z1', dim: 32, kl: 1.5, activeUnits: 2, activeUnitThreshold: 0.01 }] })).toContain(
      'layer z1: KL 1.500 nats/example, active units 2/32',
    );
  });
});
