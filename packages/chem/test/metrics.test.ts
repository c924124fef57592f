import { Rng } from '@latentkit/core/base';
import { describe, expect, it } from 'vitest';
import {
  fingerprintFromOnBits,
  fingerprintMatrix,
  fractionUnique,
  internalDiversity,
  loadChemistry,
  mosesFingerprints,
  mosesMetrics,
  nearestNeighbourSimilarity,
  novelty,
  tanimoto,
} from '../src/index.js';
import { reference } from './helpers.js';

const chem = await loadChemistry();
const fixture = reference.mosesMetrics;

describe('MOSES metrics against Python RDKit + the MOSES formulas', () => {
  it('valid, unique@k, novelty, IntDiv1, IntDiv2 and SNN of the fixture set match to 1e-12', () => {
    const m = mosesMetrics(chem, fixture.generated, { ks: fixture.ks, train: fixture.train, reference: fixture.reference });
    const e = fixture.expected;
    expect(m.generated).toBe(fixture.generated.length);
    expect(m.valid).toBeCloseTo(e.valid, 12);
    for (const k of fixture.ks) expect(m.unique[String(k)], `unique@${k}`).toBeCloseTo(e.unique[String(k)] as number, 12);
    expect(m.novelty).toBeCloseTo(e.novelty, 12);
    expect(m.intDiv1).toBeCloseTo(e.intDiv1, 12);
    expect(m.intDiv2).toBeCloseTo(e.intDiv2, 12);
    expect(m.snn).toBeCloseTo(e.snn, 12);
    // The fixture has invalid strings, repeats and non-canonical spellings, so every metric is away from its bound.
    expect(e.valid).toBeLessThan(1);
    expect(e.unique['50']).toBeLessThan(1);
    expect(e.novelty).toBeLessThan(1);
    expect(m.warnings).toEqual([`unique@1000: only ${m.validCount} valid molecules, computed over all of them`]);
  });

  it('canonicalizeTrain finds training molecules written in another atom order', () => {
    const rng = Rng.fromSeed(4);
    const gen = fixture.train.slice(0, 10);
    const shuffledTrain = fixture.train.map((s) => chem.randomSmiles(s, rng) as string);
    expect(mosesMetrics(chem, gen, { train: shuffledTrain, canonicalizeTrain: true }).novelty).toBe(0);
    expect(mosesMetrics(chem, gen, { train: shuffledTrain }).novelty).toBeGreaterThan(0.5);
  });

  it('leaves novelty and SNN out without a training or reference set, and rejects a sample with no valid molecule', () => {
    const m = mosesMetrics(chem, ['CCO', 'OCC', 'c1ccccc1'], { ks: [2, 3] });
    expect(m.novelty).toBeUndefined();
    expect(m.snn).toBeUndefined();
    expect(m.unique['2']).toBe(0.5); // CCO and OCC are one molecule
    expect(m.unique['3']).toBeCloseTo(2 / 3, 12);
    expect(() => mosesMetrics(chem, ['C1CC', ''])).toThrow(/at least one valid SMILES/);
  });
});

describe('metric definitions', () => {
  it('IntDiv averages over all ordered pairs, self pairs included (the pairwise definition, computed naively)', () => {
    const rng = Rng.fromSeed(9);
    const fps = Array.from({ length: 40 }, () => {
      const bits: number[] = [];
      for (let b = 0; b < 1024; b++) if (rng.uniform() < 0.05) bits.push(b);
      return fingerprintFromOnBits(bits, 1024);
    });
    fps.push(fingerprintFromOnBits([], 1024), fps[0] as (typeof fps)[number]);
    let sum1 = 0;
    let sum2 = 0;
    for (const a of fps) {
      let row1 = 0;
      let row2 = 0;
      for (const b of fps) {
        row1 += tanimoto(a, b);
        row2 += tanimoto(a, b) ** 2;
      }
      sum1 += row1 / fps.length;
      sum2 += Math.sqrt(row2 / fps.length);
    }
    const d = internalDiversity(fingerprintMatrix(fps));
    expect(d.intDiv1).toBeCloseTo(1 - sum1 / fps.length, 12);
    expect(d.intDiv2).toBeCloseTo(1 - sum2 / fps.length, 12);
    // One molecule: its only pair is itself, so no diversity.
    expect(internalDiversity(fingerprintMatrix([fps[3] as (typeof fps)[number]])).intDiv1).toBe(0);
  });

  it('SNN is 1 against a reference that contains every generated molecule, and the mean best match otherwise', () => {
    const smiles = fixture.reference.slice(0, 30);
    const ref = mosesFingerprints(chem, fixture.reference);
    expect(nearestNeighbourSimilarity(mosesFingerprints(chem, smiles), ref)).toBe(1);
    const gen = mosesFingerprints(chem, fixture.train.slice(0, 20));
    const naive =
      fixture.train.slice(0, 20).reduce((acc, s) => {
        const fp = chem.morganFingerprint(s) as NonNullable<ReturnType<typeof chem.morganFingerprint>>;
        return acc + Math.max(...fixture.reference.map((r) => tanimoto(fp, chem.morganFingerprint(r) as typeof fp)));
      }, 0) / 20;
    expect(nearestNeighbourSimilarity(gen, ref)).toBeCloseTo(naive, 12);
  });

  it('unique@k and novelty on canonical strings', () => {
    expect(fractionUnique(['a', 'b', 'a', 'c'], 3)).toBeCloseTo(2 / 3, 12);
    expect(fractionUnique(['a', 'b', 'a', 'c'])).toBe(0.75);
    expect(novelty(['a', 'b', 'b', 'c'], new Set(['b']))).toBeCloseTo(2 / 3, 12);
    expect(() => fractionUnique([], 1)).toThrow();
    expect(() => fractionUnique(['a'], 0)).toThrow(/k/);
  });
});
