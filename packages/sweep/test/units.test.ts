/** The pure parts: spec validation, trial expansion, ranking and the CSV, chunk planning and write-once files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assembleChunks,
  chunkFile,
  expandTrials,
  parseSweepSpec,
  planChunks,
  rankResults,
  readMetric,
  redisOptions,
  resultsCsv,
  sweepId,
  writeChunkOnce,
} from '../src/index.js';

const base = { metric: 'clustering.accuracy', goal: 'max' } as const;

describe('sweep spec', () => {
  it('names an unknown key with a suggestion and a bad value with its path', () => {
    expect(() => parseSweepSpec({ ...base, grd: {} })).toThrow(/grd.*did you mean grid/);
    expect(() => parseSweepSpec({ ...base, goal: 'maximise' })).toThrow(/goal/);
    expect(() => parseSweepSpec({ ...base, grid: { 'plugins.x': [1] } })).toThrow(/run config/);
    expect(() => parseSweepSpec({ ...base, grid: { 'model.bottleneck.kind': [] } })).toThrow(/grid/);
    expect(() => parseSweepSpec({ ...base, base: { plugins: ['evil.mjs'] } })).toThrow(/never code/);
    expect(() => parseSweepSpec({ ...base, random: { n: 2, space: { 'trainer.optimizer.learningRate': { min: 0, max: 1, log: true } } } })).toThrow(/min > 0/);
  });

  it('gives the same id for the same spec whatever the key order, another for another spec', () => {
    const a = parseSweepSpec({ ...base, grid: { 'trainer.seed': [1, 2] } });
    const b = parseSweepSpec({ grid: { 'trainer.seed': [1, 2] }, goal: 'max', metric: 'clustering.accuracy' });
    const c = parseSweepSpec({ ...base, grid: { 'trainer.seed': [1, 3] } });
    expect(sweepId(a)).toBe(sweepId(b));
    expect(sweepId(a)).not.toBe(sweepId(c));
    expect(sweepId(a)).toMatch(/^sweep-[0-9a-f]{10}$/);
  });
});

describe('trial expansion', () => {
  it('is the cartesian product of the grid over the base config, the last key varying fastest', () => {
    const spec = parseSweepSpec({
      ...base,
      base: { model: { hiddenDims: [8], bottleneck: { kind: 'gaussian' } } },
      grid: { 'model.bottleneck.kind': ['vmf', 'gaussian'], 'trainer.seed': [1, 2, 3] },
    });
    const trials = expandTrials(spec);
    expect(trials.map((t) => t.id)).toEqual(['t000', 't001', 't002', 't003', 't004', 't005']);
    expect(trials.map((t) => [t.params['model.bottleneck.kind'], t.params['trainer.seed']])).toEqual([
      ['vmf', 1],
      ['vmf', 2],
      ['vmf', 3],
      ['gaussian', 1],
      ['gaussian', 2],
      ['gaussian', 3],
    ]);
    expect(trials[0]?.config).toEqual({ model: { hiddenDims: [8], bottleneck: { kind: 'vmf' } }, trainer: { seed: 1 } });
    // The base is not mutated by applying a trial's values.
    expect(spec.base).toEqual({ model: { hiddenDims: [8], bottleneck: { kind: 'gaussian' } } });
  });

  it('draws random trials reproducibly from the seed, inside their ranges', () => {
    const doc = {
      ...base,
      random: {
        n: 50,
        seed: 7,
        space: {
          'trainer.optimizer.learningRate': { min: 1e-4, max: 1e-2, log: true },
          'model.bottleneck.codebookSize': { min: 8, max: 64, int: true },
          'model.bottleneck.kind': { values: ['vq', 'softVq'] },
        },
      },
    };
    const a = expandTrials(parseSweepSpec(doc));
    const b = expandTrials(parseSweepSpec(doc));
    const c = expandTrials(parseSweepSpec({ ...doc, random: { ...doc.random, seed: 8 } }));
    expect(a).toEqual(b);
    expect(a.map((t) => t.params)).not.toEqual(c.map((t) => t.params));
    for (const t of a) {
      const lr = t.params['trainer.optimizer.learningRate'] as number;
      const k = t.params['model.bottleneck.codebookSize'] as number;
      expect(lr).toBeGreaterThanOrEqual(1e-4);
      expect(lr).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(k) && k >= 8 && k <= 64).toBe(true);
    }
    // Log-uniform: about half the draws below the geometric midpoint 1e-3 (50 draws, 4σ ≈ 14).
    const below = a.filter((t) => (t.params['trainer.optimizer.learningRate'] as number) < 1e-3).length;
    expect(Math.abs(below - 25)).toBeLessThan(14);
    expect(new Set(a.map((t) => t.params['model.bottleneck.kind']))).toEqual(new Set(['vq', 'softVq']));
  });
});

describe('results', () => {
  const r = (id: string, metric: number | null, status: 'done' | 'failed' = 'done') => ({
    id,
    params: { 'trainer.seed': Number(id.slice(1)) },
    status,
    metric,
    runDir: `s/${id}`,
    attempts: 1,
    seconds: 1,
  });
  it('ranks on the goal with failures last, and quotes CSV fields', () => {
    const ranked = rankResults([r('t0', 0.5), r('t1', null, 'failed'), r('t2', 0.9), r('t3', 0.1)], 'max');
    expect(ranked.map((x) => [x.id, x.rank])).toEqual([
      ['t2', 1],
      ['t0', 2],
      ['t3', 3],
      ['t1', null],
    ]);
    expect(rankResults([r('t0', 0.5), r('t2', 0.9)], 'min').map((x) => x.id)).toEqual(['t0', 't2']);
    const csv = resultsCsv(rankResults([{ ...r('t0', null, 'failed'), error: 'bad, "quoted"' }], 'max'));
    expect(csv.split('\n')[0]).toBe('rank,id,status,metric,trainer.seed,runDir,attempts,seconds,error');
    expect(csv.split('\n')[1]).toBe(',t0,failed,,0,s/t0,1,1,"bad, ""quoted"""');
  });

  it('reads a metric by key path, naming what is there when it is not a number', () => {
    expect(readMetric({ clustering: { accuracy: 0.75 } }, 'clustering.accuracy')).toBe(0.75);
    expect(() => readMetric({ clustering: null }, 'clustering.accuracy')).toThrow(/no such key.*clustering/);
    expect(() => readMetric({ loss: 'NaN' }, 'loss')).toThrow(/not a finite number/);
  });
});

describe('chunks', () => {
  it('cover the rows once, in order', () => {
    expect(planChunks(10, 4)).toEqual([
      { index: 0, start: 0, end: 4 },
      { index: 1, start: 4, end: 8 },
      { index: 2, start: 8, end: 10 },
    ]);
    expect(planChunks(0, 4)).toEqual([]);
    expect(() => planChunks(10, 0)).toThrow(/chunk-rows/);
  });

  it('are written once and assembled in input order whatever order they finished in', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-chunks-'));
    const ranges = planChunks(5, 2);
    expect(writeChunkOnce(chunkFile(dir, 2), 'e\n')).toBe(true);
    expect(writeChunkOnce(chunkFile(dir, 0), 'a\nb\n')).toBe(true);
    expect(writeChunkOnce(chunkFile(dir, 0), 'X\nX\n')).toBe(false);
    expect(() => assembleChunks(dir, ranges, path.join(dir, 'out.txt'))).toThrow(/1 chunk\(s\) missing.*#1 rows 2–3/);
    expect(writeChunkOnce(chunkFile(dir, 1), 'c\nd\n')).toBe(true);
    assembleChunks(dir, ranges, path.join(dir, 'out.txt'), 'header\n');
    expect(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('header\na\nb\nc\nd\ne\n');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('queue URL', () => {
  it('reads password, db and TLS from the URL and rejects other schemes', () => {
    expect(redisOptions('redis://:s%40cret@db.example:6380/2')).toMatchObject({ host: 'db.example', port: 6380, password: 's@cret', db: 2 });
    expect(redisOptions('rediss://user:pw@h')).toMatchObject({ host: 'h', port: 6379, username: 'user', password: 'pw', tls: { servername: 'h' } });
    expect(redisOptions('redis://h').tls).toBeUndefined();
    expect(redisOptions('rediss://127.0.0.1:6380').tls).toEqual({});
    expect(() => redisOptions('http://h:6379')).toThrow(/redis:\/\//);
    expect(() => redisOptions('not a url')).toThrow(/--queue/);
  });
});
