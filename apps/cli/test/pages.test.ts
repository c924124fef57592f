/**
 * The report pages as a reader sees them: headless Chromium (Debian's `chromium`, driven by playwright-core) opens a
 * run's report after training, after eval (image, text and bag-of-words runs) and a compare page, each copied alone
 * into an empty folder, and fails on a broken image, a console error, a request for anything outside the file, a
 * missing section, or numbers printed raw (null, NaN, 17-digit floats).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
const CHROMIUM = process.env.LATENTKIT_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`pages.test: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set LATENTKIT_CHROMIUM)`);

let cwd: string;
let browser: Browser;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 240_000 });
  if (r.status !== 0) throw new Error(`latentkit ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/** The page copied alone into an empty folder: whatever it needs must be inside it. */
function alone(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-page-'));
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(path.join(cwd, file), copy);
  return copy;
}

interface PageCheck {
  readonly problems: string[];
  readonly sections: string[];
  readonly images: number;
  readonly svgs: number;
  readonly text: string;
}

async function open(file: string): Promise<PageCheck> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const url = `file://${file}`;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url || u.startsWith('data:')) return route.continue();
    problems.push(`request outside the page: ${u}`);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  // A string, run in the page: this package's TypeScript has no DOM types.
  const result = (await page.evaluate(`({
    broken: [...document.images].filter((im) => !im.complete || im.naturalWidth === 0).map((im) => im.alt),
    images: document.images.length,
    svgs: document.querySelectorAll('figure svg').length,
    sections: [...document.querySelectorAll('[data-section]')].map((s) => s.getAttribute('data-section') ?? ''),
    text: document.body.innerText,
  })`)) as { broken: string[]; images: number; svgs: number; sections: string[]; text: string };
  await page.close();
  for (const alt of result.broken) problems.push(`broken image: ${alt}`);
  return { problems, sections: result.sections, images: result.images, svgs: result.svgs, text: result.text };
}

function expectReadable(check: PageCheck): void {
  expect(check.problems).toEqual([]);
  expect(check.text.match(/.{0,40}(\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]).{0,40}/)?.[0]).toBeUndefined();
  // Numbers are formatted for people: no 0.0000010000 nor 17-digit floats.
  expect(check.text.match(/.{0,40}(\d\.\d{7,}|0\.0000\d).{0,40}/)?.[0]).toBeUndefined();
}

describe.skipIf(!hasChromium)('report pages in headless Chromium', () => {
  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-pages-'));
    fs.writeFileSync(path.join(cwd, 'small.json'), JSON.stringify({ model: { hiddenDims: [32] }, batchSize: 50 }));
    const subjects = ['the cat', 'a dog', 'my friend', 'the teacher'];
    const verbs = ['sees', 'likes', 'finds', 'follows'];
    const objects = ['the river', 'a red ball', 'the small house', 'a green tree'];
    const lines: string[] = [];
    for (let i = 0; i < 240; i++) lines.push(`${subjects[i % 4]} ${verbs[Math.floor(i / 4) % 4]} ${objects[Math.floor(i / 16) % 4]}`);
    fs.writeFileSync(path.join(cwd, 'sentences.txt'), `${lines.join('\n')}\n`);
    const tiny = ['--config', 'small.json', '--latent-dim', '4', '--limit', '300', '--epochs', '2'];
    cli('train', '--run', 'runs/gauss', ...tiny, '--bottleneck', 'gaussian');
    cli('train', '--run', 'runs/vq', ...tiny, '--bottleneck', 'vq');
    cli('eval', '--run', 'runs/gauss', '--importance-samples', '3', '--kmeans-restarts', '1');
    cli('eval', '--run', 'runs/vq', '--kmeans-restarts', '1');
    cli('train', '--run', 'runs/text', '--data', 'sentences.txt', '--text', 'sentences', '--latent-dim', '4', '--max-steps', '3');
    cli('eval', '--run', 'runs/text', '--importance-samples', '2');
    cli('train', '--run', 'runs/bow', '--data', 'sentences.txt', '--text', 'bow', '--latent-dim', '3', '--max-steps', '3');
    cli('eval', '--run', 'runs/bow', '--importance-samples', '2', '--no-probe', '--no-knn', '--no-kmeans');
    cli('compare', 'runs/gauss', 'runs/vq', '-o', 'compare.html');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('catches what it looks for: a missing picture, an outside file, a script error', async () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-page-')), 'bad.html');
    fs.writeFileSync(bad, '<!doctype html><html><body><img src="reconstructions.png" alt="recon"><script>undefinedFunction()</script></body></html>');
    const check = await open(bad);
    expect(check.problems.some((p) => p.startsWith('broken image: recon'))).toBe(true);
    expect(check.problems.some((p) => p.startsWith('request outside the page'))).toBe(true);
    expect(check.problems.some((p) => p.startsWith('page error'))).toBe(true);
  });

  it('shows a run report right after training: settings and per-term curves', async () => {
    // A fresh run, not evaluated: its page holds what training wrote.
    cli('train', '--run', 'runs/fresh', '--config', 'small.json', '--latent-dim', '4', '--limit', '300', '--max-steps', '8');
    const check = await open(alone('runs/fresh/report.html'));
    expectReadable(check);
    expect(check.sections).toEqual(['run', 'training']);
    expect(check.svgs).toBe(1);
    expect(check.text).toContain('KL(q(z|x) ‖ p(z))');
  }, 120_000);

  it('shows the eval page of an image run with every picture embedded', async () => {
    const check = await open(alone('runs/gauss/report.html'));
    expectReadable(check);
    expect(check.sections).toEqual(expect.arrayContaining(['run', 'training', 'eval-likelihood', 'eval-downstream-tasks', 'eval-clustering', 'pictures']));
    expect(check.images).toBe(2);
    expect(check.svgs).toBe(2);
    expect(check.text).toMatch(/ELBO\s+-?\d+(\.\d+)? nats\/example/);
    expect(check.text).not.toContain('ELBO null');
  });

  it('leaves out the likelihood of a VQ run instead of printing empty values', async () => {
    const check = await open(alone('runs/vq/report.html'));
    expectReadable(check);
    expect(check.sections).not.toContain('eval-likelihood');
    expect(check.sections).toContain('eval-reconstruction');
    expect(check.text).toContain('commitment loss');
  });

  it('shows sentences in a text run: reconstructions, samples at two temperatures, an interpolation', async () => {
    const check = await open(alone('runs/text/report.html'));
    expectReadable(check);
    expect(check.sections).toEqual(expect.arrayContaining(['text-reconstructions', 'text-samples', 'text-interpolation']));
    expect(check.text).toContain('temperature 0.5');
    expect(check.text).toContain('temperature 1');
    // A held-out sentence of the file is on the page.
    expect(check.text).toMatch(/(the cat|a dog|my friend|the teacher) (sees|likes|finds|follows)/);
  });

  it("shows each latent direction's top words in a bag-of-words run", async () => {
    const check = await open(alone('runs/bow/report.html'));
    expectReadable(check);
    expect(check.sections).toContain('top-words');
    for (const dim of ['z0', 'z1', 'z2']) expect(check.text).toContain(dim);
  });

  it('shows a compare page: differing settings, the metrics table and overlaid curves', async () => {
    const check = await open(alone('compare.html'));
    expectReadable(check);
    expect(check.sections).toEqual(['runs', 'differences', 'metrics', 'curves']);
    expect(check.text).toMatch(/model\.bottleneck\.kind\s+gaussian\s+vq/);
    expect(check.text).toContain('k-means accuracy');
    expect(check.svgs).toBe(1);
  });
});
