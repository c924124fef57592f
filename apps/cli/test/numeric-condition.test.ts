/**
 * `train --condition <numeric column>` and `sample --condition "col=value"` on a table (issue 16): the run keeps the
 * column's training mean and sd, sampled rows carry the value asked for, and a wrong column or a non-numeric value
 * exits 2 naming the key.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;
let ys: number[];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-numcond-'));
  const lines = ['x,c,y'];
  ys = [];
  for (let i = 0; i < 300; i++) {
    const y = (i % 30) / 3 + 0.25;
    ys.push(y);
    lines.push(`${(2 * y + Math.sin(i)).toFixed(3)},${i % 2 ? 'a' : 'b'},${y}`);
  }
  fs.writeFileSync(path.join(cwd, 't.csv'), `${lines.join('\n')}\n`);
  const r = cli('train', '--data', 't.csv', '--run', 'runs/num', '--condition', 'y', '--model', 'tabular', '--latent-dim', '2', '--epochs', '2', '--seed', '1');
  expect(r.code, r.stderr).toBe(0);
}, 600_000);

describe('numeric --condition on a table', () => {
  it('records the column with its training mean and sd (near the whole file: the training split is a seeded ~70% of it)', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/num/run.json'), 'utf8'));
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length);
    expect(spec.model.condition.type).toBe('numeric');
    expect(spec.model.condition.source).toBe('y');
    // Standard errors over ~200 training rows are ~0.2 (mean) and ~0.1 (sd).
    expect(Math.abs(spec.model.condition.mean - mean)).toBeLessThan(0.6);
    expect(Math.abs(spec.model.condition.sd - sd)).toBeLessThan(0.4);
    expect(spec.model.condition.mean).not.toBe(Math.round(mean));
  });

  it('sample --condition "y=1.5" writes rows at y = 1.5 from the saved run, and their raw numbers to .npy', () => {
    const r = cli('sample', '--run', 'runs/num', '--condition', 'y=1.5', '-n', '7', '--out', 'rows.npy');
    expect(r.code, r.stderr).toBe(0);
    const rows = fs.readFileSync(path.join(cwd, 'rows.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('x,c,y');
    expect(rows.length).toBe(8);
    for (const row of rows.slice(1)) {
      const [x, c, y] = row.split(',');
      expect(Number.isFinite(Number(x))).toBe(true);
      expect(['a', 'b']).toContain(c);
      expect(y).toBe('1.5');
    }
    expect(fs.existsSync(path.join(cwd, 'rows.npy'))).toBe(true);
  });

  it('a wrong column or a non-numeric value exits 2 naming the key', () => {
    const wrong = cli('sample', '--run', 'runs/num', '--condition', 'price=1.5');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/conditioned on "y", got "price"/);
    const text = cli('sample', '--run', 'runs/num', '--condition', 'y=tall');
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/--condition y: expected a finite number, got "tall"/);
    const asClass = cli('sample', '--run', 'runs/num', '--class', '3');
    expect(asClass.code).toBe(2);
    expect(asClass.stderr).toMatch(/y is numeric/);
  });
});
