// Streams one epoch of a generated CSV larger than a typical heap through openCsvStream and prints the peak RSS and
// the rows/s of the scan pass and of the epoch pass. The file is written to os.tmpdir() and deleted afterwards.
// Usage: pnpm --filter @latentkit/data bench:stream   (BENCH_CSV_GB=2 by default; BENCH_BATCH=256)
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCsvStream } from '../dist/index.js';
import { generateCsv } from './generate-csv.mjs';

const GB = Number(process.env.BENCH_CSV_GB ?? 2);
const BATCH = Number(process.env.BENCH_BATCH ?? 256);
const file = join(tmpdir(), `latentkit-stream-bench-${process.pid}.csv`);
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50);

try {
  let t = performance.now();
  const rows = generateCsv(file, GB);
  console.log(`generated ${file}: ${mb(statSync(file).size)} MB, ${rows.toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  peakRss = 0;
  const rssBefore = process.memoryUsage.rss();
  t = performance.now();
  const stream = openCsvStream(file, { batchSize: BATCH, seed: 1, idColumn: 'id', labelColumn: 'flag' });
  const scanS = (performance.now() - t) / 1000;
  console.log(
    `scan pass: ${stream.rowCount.toLocaleString('en-US')} rows, ${stream.columns.length} feature columns in ${scanS.toFixed(1)} s (${Math.round(stream.rowCount / scanS).toLocaleString('en-US')} rows/s)`,
  );
  t = performance.now();
  let seen = 0;
  let batches = 0;
  let checksum = 0;
  for (const b of stream.batches(0, 0)) {
    seen += b.size;
    batches++;
    checksum += b.values[0] ?? 0;
  }
  const epochS = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (seen !== stream.rowCount) throw new Error(`epoch saw ${seen} rows, expected ${stream.rowCount}`);
  console.log(
    `epoch pass: ${batches.toLocaleString('en-US')} batches of ${BATCH}, ${seen.toLocaleString('en-US')} rows in ${epochS.toFixed(1)} s (${Math.round(seen / epochS).toLocaleString('en-US')} rows/s, ${(statSync(file).size / 2 ** 20 / epochS).toFixed(1)} MB/s) checksum ${checksum.toFixed(2)}`,
  );
  console.log(
    `peak RSS while streaming: ${mb(peakRss)} MB (before: ${mb(rssBefore)} MB; process maxRSS incl. generation: ${mb(process.resourceUsage().maxRSS * 1024)} MB)`,
  );
} finally {
  clearInterval(sampler);
  rmSync(file, { force: true });
}
