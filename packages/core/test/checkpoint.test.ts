import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, tf, writeFileAtomic } from '../src/index.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-ckpt-'));

describe('checkpoints', () => {
  it('round-trips named weights and JSON config exactly', async () => {
    const dir = path.join(tmp(), 'ckpt');
    const w = tf.tensor2d([
      [1.5, -2.25],
      [3e-8, 4e7],
    ]);
    const ids = tf.tensor1d([3, -1, 7], 'int32');
    await saveCheckpoint(dir, { config: { model: 'x', lr: 0.001, nested: [1, 2] }, weights: { 'enc/w': w, ids } });
    const back = loadCheckpoint<{ model: string }>(dir);
    expect(back.config).toEqual({ model: 'x', lr: 0.001, nested: [1, 2] });
    expect(back.weights['enc/w']!.shape).toEqual([2, 2]);
    expect(Array.from(await back.weights['enc/w']!.data())).toEqual(Array.from(await w.data()));
    expect(back.weights.ids!.dtype).toBe('int32');
    expect(Array.from(await back.weights.ids!.data())).toEqual([3, -1, 7]);
  });

  it('replaces an older checkpoint and leaves no temporary files', async () => {
    const root = tmp();
    const dir = path.join(root, 'ckpt');
    await saveCheckpoint(dir, { config: { step: 1 }, weights: { a: tf.scalar(1) } });
    await saveCheckpoint(dir, { config: { step: 2 }, weights: { a: tf.scalar(2) } });
    expect(loadCheckpoint<{ step: number }>(dir).config.step).toBe(2);
    expect(fs.readdirSync(root)).toEqual(['ckpt']);
  });

  it('names the file when a checkpoint is missing or truncated', async () => {
    const dir = path.join(tmp(), 'ckpt');
    expect(() => loadCheckpoint(dir)).toThrow(/does not exist/);
    await saveCheckpoint(dir, { config: {}, weights: { a: tf.ones([10]) } });
    fs.truncateSync(path.join(dir, 'weights.bin'), 8);
    expect(() => loadCheckpoint(dir)).toThrow(/weights\.bin: truncated/);
    fs.writeFileSync(path.join(dir, 'model.json'), '{not json');
    expect(() => loadCheckpoint(dir)).toThrow(/model\.json: not valid JSON/);
  });

  it('writes files atomically (no temp file left, content complete)', () => {
    const dir = tmp();
    const file = path.join(dir, 'a.json');
    writeFileAtomic(file, 'x'.repeat(100000));
    expect(fs.readFileSync(file, 'utf8').length).toBe(100000);
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });
});
