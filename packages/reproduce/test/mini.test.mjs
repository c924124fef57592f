/**
 * The miniature of every experiment: the whole pipeline (CLI train → eval → results JSON → results page) on a few
 * documents and steps, so `pnpm reproduce` cannot rot. The figures are not the paper's; the full runs are benchmarks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replaceSection } from '../src/results-page.mjs';
import { formatMeanSd, meanSd } from '../src/stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../src/cli.mjs');
const dataDir = process.env.LATENTKIT_DATA_DIR || path.resolve(here, '../../../../shared/data');
const present = fs.existsSync(path.join(dataDir, '20news-nvdm', 'train.feat'));
if (!present) console.log(`skipping the xu-durrett-20ng miniature: ${dataDir}/20news-nvdm not found (set LATENTKIT_DATA_DIR)`);

describe('results page and statistics', () => {
  it('replaces only its own section and appends a missing one', () => {
    const page = '# R\n\n<!-- reproduce:a:start -->\nold a\n<!-- reproduce:a:end -->\n\ntext\n<!-- reproduce:b:start -->\nb\n<!-- reproduce:b:end -->\n';
    const next = replaceSection(page, 'a', 'new a');
    expect(next).toBe(page.replace('old a', 'new a'));
    expect(replaceSection(next, 'c', 'c body')).toBe(`${next.trimEnd()}\n\n<!-- reproduce:c:start -->\nc body\n<!-- reproduce:c:end -->\n`);
  });

  it('mean ± sample sd over seeds, computed by hand', () => {
    // 1, 2, 6: mean 3, sd √((4 + 1 + 9) / 2) = √7.
    expect(meanSd([1, 2, 6])).toEqual({ mean: 3, sd: Math.sqrt(7), n: 3 });
    expect(formatMeanSd(meanSd([1, 2, 6]), 2)).toBe('3.00 ± 2.65 (3 seeds)');
    expect(formatMeanSd(meanSd([5]))).toBe('5.0 (1 seed)');
    expect(meanSd([Number.NaN])).toEqual({ mean: null, sd: null, n: 0 });
  });
});

describe.skipIf(!present)('xu-durrett-20ng miniature', () => {
  it('trains, evaluates, writes results/<experiment>.json and its section; a second call reuses the runs', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reproduce-'));
    const args = [cli, 'xu-durrett-20ng', '--mini', '--variants', 'xd-gaussian,xd-vmf100', '--out', out, '--data-dir', dataDir];
    execFileSync(process.execPath, args, { encoding: 'utf8' });
    const result = JSON.parse(fs.readFileSync(path.join(out, 'results', 'xu-durrett-20ng.mini.json'), 'utf8'));
    expect(result.rows.map((r) => r.variant)).toEqual(['xd-gaussian', 'xd-vmf100']);
    for (const row of result.rows) {
      // Three steps from a near-uniform start: close to the 2,000-word vocabulary's uniform perplexity.
      expect(row.summary.perplexity.mean).toBeGreaterThan(1000);
      expect(row.summary.perplexity.mean).toBeLessThan(4000);
      expect(row.summary.iwPerplexity.mean).toBeLessThanOrEqual(row.summary.perplexity.mean * 1.05);
    }
    // vMF κ = 100 in 25 dimensions: the KL to the uniform prior is the constant 18.80 nats (scipy).
    expect(result.rows[1].summary.kl.mean).toBeCloseTo(18.8025, 3);
    const page = fs.readFileSync(path.join(out, 'docs', 'results.mini.md'), 'utf8');
    expect(page).toContain('<!-- reproduce:xu-durrett-20ng:start -->');
    expect(page).toMatch(/\| vMF κ=100 \(their settings\) \| [\d.]+ \(1 seed\) \|.*\| 793 \|/);
    expect(page).toContain('Command: `pnpm reproduce xu-durrett-20ng --mini --variants xd-gaussian,xd-vmf100`');
    const again = execFileSync(process.execPath, args, { encoding: 'utf8' });
    expect(again).not.toContain('training');
    const second = JSON.parse(fs.readFileSync(path.join(out, 'results', 'xu-durrett-20ng.mini.json'), 'utf8'));
    expect(second.rows.map((r) => r.summary)).toEqual(result.rows.map((r) => r.summary));
    fs.rmSync(out, { recursive: true, force: true });
  }, 300_000);
});

const mnistPresent = fs.existsSync(path.join(dataDir, 'mnist', 't10k-images-idx3-ubyte.gz'));
if (!mnistPresent) console.log(`skipping the wu-flierl-mnist miniature: ${dataDir}/mnist not found (set LATENTKIT_DATA_DIR)`);

describe.skipIf(!mnistPresent)('wu-flierl-mnist miniature', () => {
  it('trains each bottleneck, clusters the 10,000 test digits and writes its own columns', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reproduce-'));
    const args = [cli, 'wu-flierl-mnist', '--mini', '--variants', 'ae,softvq', '--out', out, '--data-dir', dataDir];
    execFileSync(process.execPath, args, { encoding: 'utf8' });
    const result = JSON.parse(fs.readFileSync(path.join(out, 'results', 'wu-flierl-mnist.mini.json'), 'utf8'));
    expect(result.rows.map((r) => r.variant)).toEqual(['ae', 'softvq']);
    for (const row of result.rows) {
      // Two steps: far from trained, but k-means on 10 classes is above chance (0.1) and below what training reaches.
      expect(row.summary.kmeansAccuracy.mean).toBeGreaterThan(0.1);
      expect(row.summary.kmeansAccuracy.mean).toBeLessThan(0.8);
      expect(row.summary.nmi.mean).toBeGreaterThan(0);
      expect(row.summary.knnAccuracy.mean).toBeGreaterThan(0.1);
      // The mini scale skips the probe: its column shows a dash, not a made-up figure.
      expect(row.summary.probeAccuracy).toEqual({ mean: null, sd: null, n: 0 });
    }
    const page = fs.readFileSync(path.join(out, 'docs', 'results.mini.md'), 'utf8');
    expect(page).toContain('| variant | k-means accuracy | NMI | linear probe | kNN (k = 5) | reconstruction NLL (nats) | paper |');
    expect(page).toMatch(/\| soft VQ \(paper: noise σ = 1\) \| 0\.\d{3} \(1 seed\) \| 0\.\d{3} \(1 seed\) \| — \|/);
    fs.rmSync(out, { recursive: true, force: true });
  }, 300_000);
});

const ptbPresent = fs.existsSync(path.join(dataDir, 'ptb', 'ptb.train.txt'));
if (!ptbPresent) console.log(`skipping the xu-durrett-ptb miniature: ${dataDir}/ptb not found (set LATENTKIT_DATA_DIR)`);

describe.skipIf(!ptbPresent)('xu-durrett-ptb miniature', () => {
  it('trains in pieces: --max-epochs stops a run halfway, marks it unfinished, and a later call continues it', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'reproduce-'));
    const base = [cli, 'xu-durrett-ptb', '--mini', '--variants', 'xd-vmf35', '--out', out, '--data-dir', dataDir];
    const first = execFileSync(process.execPath, [...base, '--max-epochs', '1'], { encoding: 'utf8' });
    expect(first).toContain('training xd-vmf35, seed 1, to epoch 1');
    expect(first).toContain('unfinished: seed 1 at epoch 1');
    const partial = JSON.parse(fs.readFileSync(path.join(out, 'results', 'xu-durrett-ptb.mini.json'), 'utf8'));
    expect(partial.rows[0].runs[0]).toMatchObject({ epoch: 1, complete: false });
    // vMF κ = 35 in 50 dimensions: the KL to the uniform prior is the constant 7.7430 nats (scipy), every sentence.
    expect(partial.rows[0].summary.kl.mean).toBeCloseTo(7.743, 2);
    expect(fs.readFileSync(path.join(out, 'docs', 'results.mini.md'), 'utf8')).toMatch(/\| 98 \| 1\* \|[\s\S]*\*\*Unfinished:\*\*/);

    const second = execFileSync(process.execPath, base, { encoding: 'utf8' });
    expect(second).toContain('resuming xd-vmf35, seed 1');
    const done = JSON.parse(fs.readFileSync(path.join(out, 'results', 'xu-durrett-ptb.mini.json'), 'utf8'));
    expect(done.rows[0].runs[0]).toMatchObject({ epoch: 2, complete: true });
    // The second call trained one more epoch only: its steps continue the first call's.
    expect(done.rows[0].runs[0].steps).toBe(2 * partial.rows[0].runs[0].steps);
    expect(done.rows[0].summary.perplexity.mean).toBeGreaterThan(1);
    const page = fs.readFileSync(path.join(out, 'docs', 'results.mini.md'), 'utf8');
    expect(page).not.toContain('**Unfinished:**');
    // The validation KL of each epoch, read from the run's training log: vMF's constant, once per epoch.
    expect(done.rows[0].runs[0].curves.kl).toEqual([
      [1, expect.closeTo(7.743, 2)],
      [2, expect.closeTo(7.743, 2)],
    ]);
    expect(page).toMatch(/Validation KL \(nats\/sentence\) after each epoch[\s\S]*\| 1 \| 7\.74 \|\n\| 2 \| 7\.74 \|/);
    const bad = spawnSync(process.execPath, [...base, '--max-epochs', '0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-epochs: expected a positive whole number of epochs, got "0"');
    fs.rmSync(out, { recursive: true, force: true });
  }, 300_000);
});
