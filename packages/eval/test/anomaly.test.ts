/**
 * Anomaly detection: AUROC / AUPRC / ROC against scikit-learn values (fixtures/anomaly-metrics.json, written by
 * fixtures/anomaly-metrics.py), the calibrated threshold's false-positive rate on fresh normal data (a statistical
 * check with a stated binomial tolerance), the window ↔ reading maps on a hand-computed case, and scores of table
 * rows with missing cells.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Rng, initEngine } from '@latentkit/core';
import type { TableBatch } from '@latentkit/data';
import { createModel } from '@latentkit/models';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  anomalyScores,
  anomalyScoresAsync,
  auprc,
  auroc,
  calibrateThreshold,
  flagScores,
  fromModel,
  readingScores,
  rocCurve,
  windowRows,
  windowStarts,
} from '../src/index.js';

interface MetricCase {
  labels: number[];
  scores: number[];
  auroc: number;
  auprc: number;
  rocFpr: number[];
  rocTpr: number[];
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/anomaly-metrics.json'), 'utf8')) as { cases: MetricCase[] };

describe('AUROC, AUPRC and the ROC curve against scikit-learn', () => {
  it.each(fixture.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    expect(auroc(c.labels, c.scores)).toBeCloseTo(c.auroc, 12);
    expect(auprc(c.labels, c.scores)).toBeCloseTo(c.auprc, 12);
    const roc = rocCurve(c.labels, c.scores);
    expect(Array.from(roc.fpr)).toEqual(c.rocFpr.map((v) => expect.closeTo(v, 12)));
    expect(Array.from(roc.tpr)).toEqual(c.rocTpr.map((v) => expect.closeTo(v, 12)));
  });

  it('refuses labels of one class only', () => {
    expect(() => auprc([0, 0, 0], [1, 2, 3])).toThrow(/both classes/);
  });
});

describe('threshold calibration', () => {
  it('takes the conformal order statistic: scores 1..19 at FPR 0.1 give threshold 18', () => {
    const c = calibrateThreshold(
      Array.from({ length: 19 }, (_, i) => 19 - i),
      0.1,
      'test',
    );
    // rank ⌈(19 + 1)(1 − 0.1)⌉ = 18 of the sorted scores.
    expect(c.threshold).toBe(18);
    expect(c.calibrationFpr).toBeCloseTo(1 / 19, 12);
    expect(Array.from(flagScores([17.9, 18, 18.1], c))).toEqual([0, 0, 1]);
  });

  it('gives the stated FPR on fresh normal data, within a binomial tolerance', () => {
    // One big calibration: the FPR of fresh data is Beta-distributed around α with sd ≈ √(α(1−α)/n) = 0.0049
    // (n = 2000), plus the test draw's √(α(1−α)/m) = 0.0015 (m = 20,000); 4 sd of both is 0.021.
    const rng = Rng.fromSeed('calibration');
    const alpha = 0.05;
    const calibration = calibrateThreshold(
      Array.from({ length: 2000 }, () => rng.normal()),
      alpha,
      'normal',
    );
    const fresh = Array.from({ length: 20_000 }, () => rng.normal());
    const fpr = flagScores(fresh, calibration).reduce((s, v) => s + v, 0) / fresh.length;
    expect(Math.abs(fpr - alpha)).toBeLessThan(0.021);
  });

  it('averaged over calibrations, a fresh normal point is flagged with probability α (n = 99, α = 0.1: exactly 0.1)', () => {
    // With n = 99 the conformal rank is 90 and P(flag) = (n + 1 − 90)/(n + 1) = 0.1 exactly; 4000 independent
    // trials have sd √(0.09/4000) = 0.0047, so 4 sd = 0.019.
    const rng = Rng.fromSeed('coverage');
    let flagged = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const c = calibrateThreshold(
        Array.from({ length: 99 }, () => -Math.log(1 - rng.uniform())),
        0.1,
        'exp',
      );
      if (-Math.log(1 - rng.uniform()) > c.threshold) flagged++;
    }
    expect(Math.abs(flagged / trials - 0.1)).toBeLessThan(0.019);
  });

  it('refuses an FPR outside (0, 1) and an empty calibration set', () => {
    expect(() => calibrateThreshold([1, 2], 0, 'x')).toThrow(/strictly between 0 and 1/);
    expect(() => calibrateThreshold([1, 2], 1, 'x')).toThrow(/strictly between 0 and 1/);
    expect(() => calibrateThreshold([], 0.1, 'x')).toThrow(/at least one/);
  });
});

describe('series windows', () => {
  it('starts every stride and adds a last window that ends at the last reading', () => {
    expect(Array.from(windowStarts(10, 4, 3))).toEqual([0, 3, 6]);
    expect(Array.from(windowStarts(11, 4, 3))).toEqual([0, 3, 6, 7]);
    expect(Array.from(windowStarts(4, 4, 1))).toEqual([0]);
    expect(() => windowStarts(3, 4, 1)).toThrow(/shorter than one window/);
  });

  it('maps window scores back onto readings (hand-computed: 11 readings, window 4, stride 3)', () => {
    const starts = windowStarts(11, 4, 3); // windows cover 0–3, 3–6, 6–9, 7–10
    const scores = [1, 2, 3, 4];
    expect(Array.from(readingScores(scores, starts, 4, 11, 'mean'))).toEqual([1, 1, 1, 1.5, 2, 2, 2.5, 3.5, 3.5, 3.5, 4]);
    expect(Array.from(readingScores(scores, starts, 4, 11, 'max'))).toEqual([1, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4]);
  });

  it('cuts the rows of each window, NaN readings kept as missing', () => {
    const rows = windowRows([0, 1, Number.NaN, 3, 4], windowStarts(5, 3, 2), 3);
    expect(Array.from(rows)).toEqual([0, 1, Number.NaN, Number.NaN, 3, 4]);
  });
});

describe('anomaly scores of table rows', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  const model = () =>
    createModel(
      {
        kind: 'tabular',
        columns: [
          { name: 'a', type: 'numeric' },
          { name: 'b', type: 'numeric' },
          { name: 'c', type: 'categorical', categories: ['x', 'y'] },
        ],
        hiddenDims: [8],
        bottleneck: { kind: 'gaussian', latentDim: 2 },
      },
      { seed: 3 },
    );
  const batch = (values: number[], missing: number[]): TableBatch =>
    ({
      size: values.length / 3,
      width: 3,
      values: Float32Array.from(values),
      missing: Uint8Array.from(missing),
      rows: new Float64Array(values.length / 3),
    }) as TableBatch;

  it('gives finite scores for rows with missing cells, and a missing cell is not read as its fill value', () => {
    const m = model();
    // Row 0 complete; row 1 misses b; row 2 misses everything; row 3 is row 1 with b observed as 0 (the fill value).
    const rows = batch([0.5, -1, 1, 0.5, 0, 1, 0, 0, 0, 0.5, 0, 1], [0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0]);
    const scores = anomalyScores(fromModel(m), [rows], { importanceSamples: 20, seed: 1 });
    for (const kind of ['reconstruction', 'negElbo', 'negImportanceWeighted'] as const) {
      const values = scores[kind] as Float64Array;
      expect(values.length).toBe(4);
      for (const v of values) expect(Number.isFinite(v)).toBe(true);
    }
    // Marginalising b out removes its −log p term: row 1's reconstruction error differs from row 3's, where b = 0 is observed.
    expect(scores.reconstruction[1]).not.toBeCloseTo(scores.reconstruction[3] as number, 6);
    // A row with nothing observed has no likelihood term: its reconstruction error is exactly 0.
    expect(scores.reconstruction[2]).toBe(0);
    m.dispose();
  });

  it('the IW NLL is at most the −ELBO on average (L_K ≥ ELBO)', () => {
    const m = model();
    const rng = Rng.fromSeed('rows');
    const values = Array.from({ length: 64 * 3 }, (_, i) => (i % 3 === 2 ? rng.int(2) : rng.normal()));
    const scores = anomalyScores(fromModel(m), [batch(values, new Array(values.length).fill(0))], { importanceSamples: 50, seed: 2 });
    const mean = (xs: Float64Array) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(scores.negImportanceWeighted as Float64Array)).toBeLessThan(mean(scores.negElbo as Float64Array));
    m.dispose();
  });

  it('scores a file in chunks on batch boundaries exactly as in one pass (firstRecord), and differently at another offset', () => {
    const m = model();
    const rng = Rng.fromSeed('chunks');
    const values = Array.from({ length: 12 * 3 }, (_, i) => (i % 3 === 2 ? rng.int(2) : rng.normal()));
    // Batches of 4 rows: rows 0–3, 4–7, 8–11.
    const rows = (from: number, to: number) => batch(values.slice(from * 3, to * 3), new Array((to - from) * 3).fill(0));
    const options = { importanceSamples: 10, seed: 5 };
    const whole = anomalyScores(fromModel(m), [rows(0, 4), rows(4, 8), rows(8, 12)], options);
    const head = anomalyScores(fromModel(m), [rows(0, 4)], options);
    const tail = anomalyScores(fromModel(m), [rows(4, 8), rows(8, 12)], { ...options, firstRecord: 4 });
    for (const kind of ['reconstruction', 'negElbo', 'negImportanceWeighted'] as const) {
      expect([...(head[kind] as Float64Array), ...(tail[kind] as Float64Array)]).toEqual([...(whole[kind] as Float64Array)]);
    }
    // The offset is what picks the draws: the same rows read as records 0–3 get other ELBO samples than as 4–7.
    const shifted = anomalyScores(fromModel(m), [rows(4, 8)], options);
    expect([...(shifted.negElbo as Float64Array)]).not.toEqual([...(whole.negElbo as Float64Array)].slice(4, 8));
    expect([...shifted.reconstruction]).toEqual([...whole.reconstruction].slice(4, 8));
    expect(() => anomalyScores(fromModel(m), [rows(0, 4)], { ...options, firstRecord: -1 })).toThrow(/firstRecord/);
    m.dispose();
  });

  it('the async scores equal the one-pass scores bit for bit and let timers run between batches (a worker keeps its job lock)', async () => {
    const m = model();
    const rng = Rng.fromSeed('async');
    const values = Array.from({ length: 12 * 3 }, (_, i) => (i % 3 === 2 ? rng.int(2) : rng.normal()));
    const rows = (from: number, to: number) => batch(values.slice(from * 3, to * 3), new Array((to - from) * 3).fill(0));
    const batches = [rows(0, 4), rows(4, 8), rows(8, 12)];
    const options = { importanceSamples: 10, seed: 5 };
    const sync = anomalyScores(fromModel(m), batches, options);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    let scored = 0;
    const counting = fromModel(m);
    const reconstruction = counting.reconstruction?.bind(counting);
    const async = await anomalyScoresAsync(
      {
        ...counting,
        reconstruction: (b: TableBatch) => {
          scored++;
          return (reconstruction as NonNullable<typeof reconstruction>)(b);
        },
      },
      (async function* () {
        for (const b of batches) yield b;
      })(),
      options,
    );
    clearInterval(timer);
    expect(scored).toBe(3);
    // A zero-delay interval gets to run only when the loop hands control back: at least once between batches.
    expect(ticks).toBeGreaterThanOrEqual(2);
    for (const kind of ['reconstruction', 'negElbo', 'negImportanceWeighted'] as const) {
      expect([...(async[kind] as Float64Array)]).toEqual([...(sync[kind] as Float64Array)]);
    }
    m.dispose();
  });
});
