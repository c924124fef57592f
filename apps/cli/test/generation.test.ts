/**
 * Generation from the CLI (issue 16): a conditional run (`train --condition label`), class-conditional samples with
 * their raw arrays (`sample --class 7 --out x.npy`), interpolation between held-out examples, traversals, and the
 * exit-2 paths: a class for an unconditioned model, sentences given to an image model, an out-of-range class, and
 * the ONNX export of a conditional model.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { parseNpy } from '@latentkit/data';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const png = (file: string) => PNG.sync.read(fs.readFileSync(path.join(cwd, file)));

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-gen-'));
  fs.writeFileSync(path.join(cwd, 'small.json'), JSON.stringify({ model: { hiddenDims: [32] }, batchSize: 50 }));
  const common = ['--config', 'small.json', '--latent-dim', '3', '--limit', '200', '--epochs', '1', '--seed', '2'];
  const cond = cli('train', '--run', 'runs/cond', '--condition', 'label', ...common);
  expect(cond.code, cond.stderr).toBe(0);
  const plain = cli('train', '--run', 'runs/plain', ...common);
  expect(plain.code, plain.stderr).toBe(0);
}, 600_000);

describe('conditional runs and latent walks from the CLI', () => {
  it('records the condition read off the data: 10 classes of the label', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/cond/run.json'), 'utf8'));
    expect(spec.model.condition).toEqual({ classes: 10, source: 'label' });
    expect(spec.model.bottleneck.inputDim).toBe(32 + 10);
  });

  it('sample --class 7 --out x.npy writes the PNG grid and the raw pixels', () => {
    const r = cli('sample', '--run', 'runs/cond', '--class', '7', '-n', '6', '--out', 'sevens.npy');
    expect(r.code, r.stderr).toBe(0);
    const arr = parseNpy(new Uint8Array(fs.readFileSync(path.join(cwd, 'sevens.npy'))), 'sevens.npy');
    expect(arr.dims).toEqual([6, 28, 28, 1]);
    expect(Array.from(arr.data).every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'sevens.png'))).toBe(true);
    // The same codes with another class decode to other pixels.
    expect(cli('sample', '--run', 'runs/cond', '--condition', 'label=1', '-n', '6', '--out', 'ones.npy').code).toBe(0);
    const ones = parseNpy(new Uint8Array(fs.readFileSync(path.join(cwd, 'ones.npy'))), 'ones.npy');
    expect(Array.from(ones.data)).not.toEqual(Array.from(arr.data));
  });

  it('sample --interpolate i j and --traverse d write grids of the expected size', () => {
    const walk = cli('sample', '--run', 'runs/cond', '--interpolate', '0', '3', '--steps', '4', '--out', 'walk.png');
    expect(walk.code, walk.stderr).toBe(0);
    // 4 images of 28×28 at scale 2 with a 2-pixel gap: one row.
    const w = png('walk.png');
    expect([w.width, w.height]).toEqual([4 * 56 + 5 * 2, 56 + 2 * 2]);
    const trav = cli('sample', '--run', 'runs/plain', '--traverse', '2', '--rows', '3', '--steps', '5', '--out', 'trav.png');
    expect(trav.code, trav.stderr).toBe(0);
    const t = png('trav.png');
    expect([t.width, t.height]).toEqual([5 * 56 + 6 * 2, 3 * 56 + 4 * 2]);
  });

  it('says no with exit 2 where a run cannot do what is asked', () => {
    const noCondition = cli('sample', '--run', 'runs/plain', '--class', '3');
    expect(noCondition.code).toBe(2);
    expect(noCondition.stderr).toMatch(/trained without --condition/);
    const sentences = cli('sample', '--run', 'runs/plain', '--interpolate', 'a cat', 'a dog');
    expect(sentences.code).toBe(2);
    expect(sentences.stderr).toMatch(/two indices of held-out examples/);
    const badClass = cli('sample', '--run', 'runs/cond', '--class', '10');
    expect(badClass.code).toBe(2);
    expect(badClass.stderr).toMatch(/\[0, 10\)/);
    const badDim = cli('sample', '--run', 'runs/plain', '--traverse', '3');
    expect(badDim.code).toBe(2);
    const exported = cli('export', '--run', 'runs/cond');
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/conditional/);
  });
});
