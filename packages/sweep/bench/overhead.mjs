// Sweep throughput and queue overhead.
//   1. 8 short real trials (bundled MNIST, 200 digits, 5 steps, eval without the slow parts) through
//      `latentkit sweep --parallel 1` and `--parallel 2` (needs apps/cli built; skipped otherwise): wall seconds.
//   2. Per-trial overhead of the BullMQ queue against the embedded pool: 8 trials whose runner is a child process
//      that only sleeps 300 ms, run by the local pool (parallel 1) and by one queue worker on a real redis-server;
//      (queue − pool) / 8 is what the queue adds per trial. Goal: < 1 s.
// Usage: node bench/overhead.mjs   (env REPEATS=3 for part 2, REAL_REPEATS=1 for part 1)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandTrials, parseSweepSpec, runLocalSweep, runQueueSweep, runWorker, sweepId } from '../dist/index.js';
import { redisServerPath, startRedis } from '../dist/testing/redis-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '../../../apps/cli/dist/bin.js');
const REPEATS = Number(process.env.REPEATS ?? 3);
const REAL_REPEATS = Number(process.env.REAL_REPEATS ?? 1);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-sweep-bench-'));

const grid = { 'trainer.seed': [1, 2, 3, 4, 5, 6, 7, 8] };
const tiny = {
  base: { data: { limit: 200, testFraction: 0.05 }, model: { hiddenDims: [32] }, trainer: { maxSteps: 5 }, batchSize: 50 },
  grid,
  metric: 'clustering.accuracy',
  goal: 'max',
  eval: { importanceSamples: 0, kmeansRestarts: 1, probe: false, knn: false },
};

console.log(`cpus ${os.cpus().length}, load ${os.loadavg()[0].toFixed(1)}`);
if (fs.existsSync(CLI)) {
  for (const parallel of [1, 2]) {
    const times = [];
    for (let r = 0; r < REAL_REPEATS; r++) {
      const file = path.join(tmp, `real-${parallel}-${r}.json`);
      fs.writeFileSync(file, JSON.stringify({ ...tiny, name: `real${parallel}r${r}` }));
      const t0 = performance.now();
      execFileSync(process.execPath, [CLI, 'sweep', file, '--parallel', String(parallel), '--runs-dir', path.join(tmp, 'runs')], { stdio: 'ignore' });
      times.push((performance.now() - t0) / 1000);
    }
    console.log(`8 real trials, ${parallel} local worker(s): median ${median(times).toFixed(1)} s (${(median(times) / 8).toFixed(2)} s per trial)`);
  }
} else {
  console.log(`skipping real trials: ${CLI} not built`);
}

// A runner with a fixed cost: a child node process that sleeps 300 ms and returns a report.
const sleeper = async (task) => {
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
  return { clustering: { accuracy: Number(task.trialId.slice(1)) / 10 } };
};
const validateConfig = (c) => c;

if (!redisServerPath()) {
  console.log('skipping the queue overhead: /usr/bin/redis-server not installed');
} else {
  const redis = await startRedis();
  const stop = new AbortController();
  const worker = runWorker({ url: redis.url, runsDir: path.join(tmp, 'q'), runTrial: sleeper, validateConfig, signal: stop.signal });
  const pool = [];
  const queue = [];
  for (let r = 0; r < REPEATS; r++) {
    const spec = parseSweepSpec({ ...tiny, name: `over${r}` });
    const trials = expandTrials(spec);
    let t0 = performance.now();
    await runLocalSweep({ spec, sweepId: sweepId(spec), trials, runsDir: path.join(tmp, 'p'), parallel: 1, runTrial: sleeper, validateConfig });
    pool.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    await runQueueSweep({ url: redis.url, spec, sweepId: sweepId(spec), trials, validateConfig, pollMs: 100 });
    queue.push((performance.now() - t0) / 1000);
  }
  stop.abort();
  await worker;
  await redis.stop();
  const perTrial = (median(queue) - median(pool)) / 8;
  console.log(`8 trials of a 300 ms child process: pool median ${median(pool).toFixed(2)} s, queue (1 worker) median ${median(queue).toFixed(2)} s`);
  console.log(`queue overhead per trial vs the embedded pool: ${perTrial.toFixed(3)} s (goal < 1 s)`);
}
fs.rmSync(tmp, { recursive: true, force: true });
