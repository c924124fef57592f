import { loadChemistry } from '@latentkit/chem';
import { Rng, initEngine, tf } from '@latentkit/core';
import { resolveDataSpec } from '@latentkit/data';
import { createModel } from '@latentkit/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SmilesVae, ascend, fitSolubilityHead, fitToxicityHead, formatOptimizeReport, optimizeMolecules, smilesData, smilesVae } from '../src/index.js';
import { MOLECULES } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'auto' });
});

const D = 6;

/** A head fitted to a smooth function of the code, so its gradient carries signal. */
function syntheticSolubility(seed: number) {
  const rng = Rng.fromSeed(seed);
  const values = Array.from({ length: 400 }, () => Array.from({ length: D }, () => rng.normal()));
  const codes = tf.tensor2d(values);
  const head = fitSolubilityHead(
    codes,
    values.map((z) => -3 + Math.tanh(z[0] as number) + 0.5 * (z[2] as number)),
    { epochs: 200, seed },
  );
  codes.dispose();
  return head;
}

/** Paired mean difference and its standard error. */
function paired(after: ArrayLike<number>, before: ArrayLike<number>): { mean: number; se: number } {
  const d = Array.from(after, (a, i) => a - (before[i] as number));
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
  return { mean, se: sd / Math.sqrt(d.length) };
}

describe('property-guided design', () => {
  it('projected gradient ascent raises the objective and stays in the trust region', () => {
    const head = syntheticSolubility(1);
    const start = tf.randomNormal([128, D], 0, 1, 'float32', 7) as tf.Tensor2D;
    const region = { mu: tf.zeros([D]) as tf.Tensor1D, sigma: tf.ones([D]) as tf.Tensor1D };
    const z = ascend(head, start, region, { steps: 50, learningRate: 0.05, trustRadius: 1.5 });
    const before = head.predict(start).dataSync();
    const after = head.predict(z).dataSync();
    const { mean, se } = paired(after, before);
    // Tolerance: the mean gain must exceed 5 standard errors (a one-sided test far beyond chance).
    expect(mean).toBeGreaterThan(5 * se);
    const values = z.dataSync();
    for (const v of values) expect(Math.abs(v)).toBeLessThanOrEqual(1.5 + 1e-5);
    tf.dispose([start, z, region.mu, region.sigma]);
    head.dispose();
  });

  it('optimizeMolecules raises the predicted solubility (and lowers the predicted toxicity) of decoded designs vs prior samples', async () => {
    const chem = await loadChemistry();
    const data = smilesData(resolveDataSpec({ name: 'smiles', path: 'x.smi', seed: 1 }), MOLECULES);
    const model = createModel(
      {
        kind: 'smilesVae',
        ...smilesVae.fromData(data.shape),
        hiddenDim: 32,
        embeddingDim: 8,
        maxLength: 40,
        bottleneck: { kind: 'gaussian', latentDim: D },
      } as never,
      { seed: 2 },
    ) as unknown as SmilesVae;
    const solubility = syntheticSolubility(3);
    const result = optimizeMolecules(chem, model, { solubility }, { property: 'solubility', n: 64, steps: 40, trustRadius: 2, seed: 4, train: MOLECULES });
    expect(result.designed).toHaveLength(64);
    expect(result.prior).toHaveLength(64);
    const gain = paired(result.designedPredicted, result.priorPredicted);
    expect(gain.mean).toBeGreaterThan(5 * gain.se);
    expect(result.summary.designed.predictedAtCode).toBeGreaterThan(result.summary.prior.predictedAtCode);
    expect(formatOptimizeReport(result)).toContain('| valid |');

    const rng = Rng.fromSeed(6);
    const values = Array.from({ length: 400 }, () => Array.from({ length: D }, () => rng.normal()));
    const codes = tf.tensor2d(values);
    const labels = Float32Array.from(values.flatMap((z) => [(z[1] as number) > 0 ? 1 : 0, (z[3] as number) > 0.5 ? 1 : 0]));
    const toxicity = fitToxicityHead(codes, labels, new Uint8Array(labels.length).fill(1), ['a', 'b'], { epochs: 200 });
    codes.dispose();
    const tox = optimizeMolecules(chem, model, { toxicity }, { property: 'toxicity', n: 64, steps: 40, trustRadius: 2, seed: 4 });
    const drop = paired(tox.priorPredicted, tox.designedPredicted);
    expect(drop.mean).toBeGreaterThan(5 * drop.se);
    expect(() => optimizeMolecules(chem, model, { toxicity }, { property: 'solubility' })).toThrow(/no solubility head/);
    model.dispose();
    solubility.dispose();
    toxicity.dispose();
  });
});
