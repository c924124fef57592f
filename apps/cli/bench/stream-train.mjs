// Trains the tabular VAE for one epoch on a generated CSV larger than memory would like (2 GiB by default) through
// `latentkit train --data big.csv`, which streams files over 1 GiB, and prints the training process's peak RSS
// (GNU time's maximum resident set size) and the time. The file and the run are written under os.tmpdir() and
// deleted afterwards.
// Usage: pnpm --filter @latentkit/cli build && node apps/cli/bench/stream-train.mjs [--gb 2] [--batch 4096]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCsv } from '../../../packages/data/bench/generate-csv.mjs';

const { values } = parseArgs({ options: { gb: { type: 'string', default: '2' }, batch: { type: 'string', default: '4096' } } });
const bin = new URL('../dist/bin.js', import.meta.url).pathname;
if (!existsSync('/usr/bin/time')) throw new Error('this bench reads the peak RSS with GNU time: apt-get install time');
const dir = mkdtempSync(join(tmpdir(), 'latentkit-stream-train-'));
const file = join(dir, 'big.csv');
try {
  let t = performance.now();
  const rows = generateCsv(file, Number(values.gb));
  console.log(
    `generated ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB, ${rows.toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
  t = performance.now();
  const args = ['-f', 'maxrss_kb=%M', process.execPath, bin, 'train', '--data', file, '--model', 'tabular', '--id-column', 'id'];
  args.push('--label-column', 'flag', '--epochs', '1', '--batch-size', values.batch, '--run', join(dir, 'run'), '--seed', '1');
  const child = spawnSync('/usr/bin/time', args, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'], maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t) / 1000;
  const rss = /maxrss_kb=(\d+)/.exec(child.stderr)?.[1];
  if (child.status !== 0 || rss === undefined) {
    process.stderr.write(child.stderr.slice(-4000));
    throw new Error(`training exited with ${child.status}`);
  }
  console.log(`one epoch of ${values.gb} GiB, batch ${values.batch}: ${seconds.toFixed(0)} s, peak RSS ${(Number(rss) / 1024).toFixed(0)} MB (goal < 1024 MB)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
