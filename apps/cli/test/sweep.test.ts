/**
 * `latentkit sweep` and `latentkit worker` as users run them: tiny trials on the bundled MNIST digits through the
 * local pool and through BullMQ on a real redis-server (127.0.0.1, random port, temp dir, stopped after), with a
 * worker killed by SIGKILL mid-trial, Redis restarted mid-sweep, a cancel from another process and an unreachable URL.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type TestRedis, freePort, redisServerPath, startRedis } from '@latentkit/sweep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
const haveRedis = redisServerPath() !== null;
if (!haveRedis) console.warn('skipping the sweep queue tests: /usr/bin/redis-server is not installed (apt-get install redis-server)');
let cwd: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Bg {
  readonly child: ChildProcess;
  log: string;
  readonly exit: Promise<number | null>;
}

function background(...args: string[]): Bg {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const bg: Bg = { child, log: '', exit: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout?.on('data', (d: Buffer) => {
    bg.log += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    bg.log += d.toString();
  });
  return bg;
}

async function until(what: string, test: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(bg: Bg): Promise<void> {
  if (bg.child.exitCode === null && bg.child.signalCode === null) bg.child.kill('SIGTERM');
  await bg.exit;
}

/** A sweep of tiny trials: 200 training digits, 5 steps, a 32-unit MLP, a small test split, no slow evaluations. */
function writeSweep(name: string, grid: Record<string, unknown[]>): string {
  const file = path.join(cwd, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name,
      base: { data: { limit: 200, testFraction: 0.05 }, model: { hiddenDims: [32] }, trainer: { maxSteps: 5 }, batchSize: 50 },
      grid,
      metric: 'clustering.accuracy',
      goal: 'max',
      eval: { importanceSamples: 0, kmeansRestarts: 1, probe: false, knn: false },
    }),
  );
  return file;
}

const sweepDir = (runs: string, name: string) => {
  const dir = path.join(cwd, runs);
  const found = fs.readdirSync(dir).find((d) => d.startsWith(`${name}-`));
  return path.join(dir, found as string);
};
const results = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8')) as {
    trials: { id: string; status: string; metric: number; rank: number; worker?: string; params: Record<string, unknown> }[];
  };

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-sweep-'));
});

describe('latentkit sweep, local pool', () => {
  it('trains and evaluates each grid point as a run folder and ranks them on the metric', () => {
    const file = writeSweep('local', { 'model.bottleneck.kind': ['gaussian', 'vq'] });
    const r = cli('sweep', file, '--parallel', '2', '--runs-dir', 'runs-local');
    expect(r.stderr).toContain('2 at a time');
    expect(r.code).toBe(0);
    const dir = sweepDir('runs-local', 'local');
    const { trials } = results(dir);
    expect(trials.map((t) => t.status)).toEqual(['done', 'done']);
    expect(trials.map((t) => t.rank)).toEqual([1, 2]);
    expect(trials[0]?.metric).toBeGreaterThanOrEqual(trials[1]?.metric as number);
    for (const t of trials) {
      const run = JSON.parse(fs.readFileSync(path.join(dir, t.id, 'run.json'), 'utf8'));
      expect(run.model.bottleneck.kind).toBe(t.params['model.bottleneck.kind']);
      expect(run.model.hiddenDims).toEqual([32]);
      const report = JSON.parse(fs.readFileSync(path.join(dir, t.id, 'report.json'), 'utf8'));
      expect(report.clustering.accuracy).toBe(t.metric);
    }
    const csv = fs.readFileSync(path.join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('rank,id,status,metric,model.bottleneck.kind,runDir,attempts,seconds,error');
    expect(csv).toHaveLength(3);
    // And the side-by-side page of the trials, through compare.
    const page = fs.readFileSync(path.join(dir, 'compare.html'), 'utf8');
    expect(page).toMatch(/model\.bottleneck\.kind<\/th><td>(gaussian|vq)<\/td><td>(gaussian|vq)<\/td>/);
    // A second run of the same sweep finds every trial done and trains nothing.
    const again = cli('sweep', file, '--runs-dir', 'runs-local');
    expect(again.code).toBe(0);
    expect(results(dir).trials.map((t) => t.metric)).toEqual(trials.map((t) => t.metric));
  }, 240_000);

  it('rejects a trial config the --config schema rejects, before training anything', () => {
    const file = writeSweep('typo', { 'trainer.maxStep': [5] });
    const r = cli('sweep', file, '--runs-dir', 'runs-typo');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trial t000: trainer.maxStep: unknown key; did you mean trainer.maxSteps\?/);
  });
});

describe.skipIf(!haveRedis)('latentkit sweep --queue with workers (real redis-server)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('finishes every trial once when a worker is killed with SIGKILL mid-trial', async () => {
    const file = writeSweep('killed', { 'trainer.seed': [1, 2, 3] });
    const a = background('worker', '--queue', redis.url, '--runs-dir', 'runs-q', '--lock-timeout', '3');
    const b = background('worker', '--queue', redis.url, '--runs-dir', 'runs-q', '--lock-timeout', '3');
    try {
      const sweep = background('sweep', file, '--queue', redis.url, '--runs-dir', 'runs-q');
      await until('worker a to start a trial', () => /trial killed-\w+\/t\d+: attempt 1/.test(a.log));
      const victim = (a.log.match(/trial killed-\w+\/(t\d+): attempt 1/) as RegExpMatchArray)[1] as string;
      await new Promise((r) => setTimeout(r, 1500));
      a.child.kill('SIGKILL');
      expect(await sweep.exit).toBe(0);
      const dir = sweepDir('runs-q', 'killed');
      const { trials } = results(dir);
      expect(trials.map((t) => t.id).sort()).toEqual(['t000', 't001', 't002']);
      expect(trials.every((t) => t.status === 'done' && Number.isFinite(t.metric))).toBe(true);
      // The killed worker's trial was finished by the other worker.
      expect(b.log).toMatch(new RegExp(`trial killed-\\w+/${victim}: done`));
      expect(trials.find((t) => t.id === victim)?.worker).toBe(`${os.hostname()}:${b.child.pid}`);
      // Status from any machine: a separate process asks the queue.
      const status = cli('sweep', file, '--queue', redis.url, '--status');
      expect(status.stdout).toMatch(/: 3 completed/);
    } finally {
      await stop(a);
      await stop(b);
    }
  }, 300_000);

  it('goes on when Redis restarts in the middle of the sweep', async () => {
    const file = writeSweep('restart', { 'trainer.seed': [1, 2] });
    const w = background('worker', '--queue', redis.url, '--runs-dir', 'runs-r', '--lock-timeout', '3');
    try {
      const sweep = background('sweep', file, '--queue', redis.url, '--runs-dir', 'runs-r');
      await until('the first trial to start', () => /attempt 1/.test(w.log));
      await redis.restart();
      expect(await sweep.exit).toBe(0);
      expect(results(sweepDir('runs-r', 'restart')).trials.map((t) => t.status)).toEqual(['done', 'done']);
    } finally {
      await stop(w);
    }
  }, 240_000);

  it('cancels a sweep from another process', async () => {
    const file = writeSweep('cancelled', { 'trainer.seed': [1, 2] });
    const sweep = background('sweep', file, '--queue', redis.url, '--runs-dir', 'runs-c');
    await until('the trials to be queued', () => sweep.log.includes('queued 2 job(s)'));
    const cancel = cli('sweep', file, '--queue', redis.url, '--cancel');
    expect(cancel.code).toBe(0);
    expect(cancel.stderr).toContain('2 queued trial(s) removed');
    expect(await sweep.exit).toBe(0);
    expect(results(sweepDir('runs-c', 'cancelled')).trials.map((t) => t.status)).toEqual(['cancelled', 'cancelled']);
  }, 60_000);

  it('fails within 10 s with exit code 7 when the queue does not answer', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const file = writeSweep('nowhere', { 'trainer.seed': [1] });
    for (const args of [
      ['sweep', file, '--queue', url],
      ['worker', '--queue', url],
    ]) {
      const started = Date.now();
      const r = cli(...args);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/--queue redis:\/\/127\.0\.0\.1:\d+\/?: Redis did not answer: .*ECONNREFUSED/);
    }
  });

  it('encode --input --queue: two workers encode the chunks of a CSV, the output equals encoding in one process', async () => {
    const rows = ['x,y,colour'];
    for (let i = 0; i < 230; i++) rows.push(`${(i % 13) / 3},${(i * 7) % 11},${['red', 'blue'][i % 2]}`);
    fs.writeFileSync(path.join(cwd, 'rows.csv'), `${rows.join('\n')}\n`);
    fs.writeFileSync(path.join(cwd, 'tab.json'), JSON.stringify({ model: { hiddenDims: [8] }, batchSize: 32 }));
    expect(
      cli('train', '--data', 'rows.csv', '--model', 'tabular', '--config', 'tab.json', '--latent-dim', '2', '--max-steps', '3', '--run', 'runs-e/tab').code,
    ).toBe(0);
    const single = cli('encode', '--run', 'runs-e/tab', '--input', 'rows.csv', '--out', 'single.csv');
    expect(single.code).toBe(0);
    const a = background('worker', '--queue', redis.url, '--runs-dir', 'runs-e');
    const b = background('worker', '--queue', redis.url, '--runs-dir', 'runs-e');
    try {
      const queued = cli(
        'encode',
        '--run',
        'runs-e/tab',
        '--input',
        'rows.csv',
        '--out',
        'queued.csv',
        '--queue',
        redis.url,
        '--runs-dir',
        'runs-e',
        '--chunk-rows',
        '50',
      );
      expect(queued.stderr).toContain('230 records in 5 chunk(s)');
      expect(queued.code).toBe(0);
      expect(fs.readFileSync(path.join(cwd, 'queued.csv'), 'utf8')).toBe(fs.readFileSync(path.join(cwd, 'single.csv'), 'utf8'));
      // the workers wrote the 5 chunks between them (each logs the chunks it wrote)
      await until('the workers to log their chunks', () => (a.log + b.log).split('written').length - 1 >= 5, 10_000);
      const npy = cli('encode', '--run', 'runs-e/tab', '--input', 'rows.csv', '--out', 'q.npy', '--queue', redis.url, '--runs-dir', 'runs-e');
      expect(npy.code).toBe(2);
      expect(npy.stderr).toMatch(/--out.*\.csv or \.jsonl file with --queue/);
    } finally {
      await stop(a);
      await stop(b);
    }
  }, 240_000);

  describe('score --input --queue', () => {
    const q = (url: string, ...args: string[]) => [...args, '--queue', url, '--runs-dir', 'runs-s'];
    const read = (name: string) => fs.readFileSync(path.join(cwd, name), 'utf8');
    /** Which chunks of a score task the worker logs say they wrote (not "already there"). */
    const written = (logs: string) => [...logs.matchAll(/chunk score-\w+#(\d+) \(rows [^)]*\): written/g)].map((m) => Number(m[1]));

    beforeAll(() => {
      // Normal rows on the line b ≈ a, anomalies far off it; a sine series with a burst in readings 200–219.
      const noise = (i: number, k: number) => Math.sin(i * 12.9898 + k * 78.233) * 0.5;
      const rows = ['a,b,kind'];
      for (let i = 0; i < 400; i++) {
        const a = Math.sin(i * 0.37) * 1.5 + noise(i, 1);
        rows.push(`${a.toFixed(3)},${(a + noise(i, 2) * 0.3).toFixed(3)},ok`);
      }
      for (let i = 0; i < 40; i++) rows.push(`${(Math.sin(i) * 1.5).toFixed(3)},${(-Math.sin(i) * 1.5 + 6).toFixed(3)},bad`);
      fs.writeFileSync(path.join(cwd, 'normal.csv'), `${rows.join('\n')}\n`);
      const series = ['timestamp,value'];
      for (let i = 0; i < 300; i++) {
        const t = new Date(Date.UTC(2024, 0, 1, 0, i * 5)).toISOString().slice(0, 19).replace('T', ' ');
        series.push(`${t},${(Math.sin(i / 6) + (i >= 200 && i < 220 ? 3 * noise(i, 3) + 2 : 0)).toFixed(4)}`);
      }
      fs.writeFileSync(path.join(cwd, 'series.csv'), `${series.join('\n')}\n`);
      const train = (...args: string[]) => expect(cli('train', '--latent-dim', '2', '--epochs', '2', ...args).code).toBe(0);
      train('--data', 'normal.csv', '--model', 'tabular', '--label-column', 'kind', '--normal', 'ok', '--run', 'runs-s/a');
      // Batches of 16 windows, so that the series is cut into several chunks of windows.
      train('--data', 'series.csv', '--window', '16', '--stride', '3', '--batch-size', '16', '--run', 'runs-s/s');
    }, 240_000);

    it('two workers score a table and a series; the files equal one-process score byte for byte', async () => {
      const a = background('worker', '--queue', redis.url, '--runs-dir', 'runs-s');
      const b = background('worker', '--queue', redis.url, '--runs-dir', 'runs-s');
      try {
        const table = ['score', '--run', 'runs-s/a', '--input', 'normal.csv', '--fpr', '0.1', '--importance-samples', '10'];
        expect(cli(...table, '--out', 'single-a.csv').code).toBe(0);
        // No calibration saved yet for this FPR: the coordinator calibrates, then the workers flag with it.
        const queued = cli(...q(redis.url, ...table, '--fpr', '0.2', '--out', 'queued-a2.csv', '--chunk-rows', '50'));
        expect(queued.stderr).toContain('calibrating the negImportanceWeighted threshold at FPR 0.2');
        expect(queued.code, queued.stderr).toBe(0);
        expect(cli(...table, '--fpr', '0.2', '--out', 'single-a2.csv').code).toBe(0);
        expect(read('queued-a2.csv')).toBe(read('single-a2.csv'));
        // --chunk-rows 50 is rounded up to the batch size's multiple, so chunks start on the one-pass batches.
        const again = cli(...q(redis.url, ...table, '--out', 'queued-a.csv', '--chunk-rows', '50'));
        expect(again.code, again.stderr).toBe(0);
        expect(again.stderr).toMatch(/--chunk-rows 50 rounded up to \d+/);
        expect(read('queued-a.csv')).toBe(read('single-a.csv'));
        expect(read('queued-a.csv').split('\n')[0]).toBe('record,reconstruction_error,neg_elbo,iw_nll,flag,anomaly');
        // A series: chunks of windows, the readings' scores put together from every window covering them.
        const series = ['score', '--run', 'runs-s/s', '--input', 'series.csv', '--fpr', '0.05', '--importance-samples', '5', '--aggregate', 'mean'];
        expect(cli(...series, '--out', 'single-s.csv').code).toBe(0);
        const s = cli(...q(redis.url, ...series, '--out', 'queued-s.csv', '--chunk-rows', '20'));
        expect(s.code, s.stderr).toBe(0);
        expect(s.stderr).toContain('96 windows in 3 chunk(s)');
        expect(read('queued-s.csv')).toBe(read('single-s.csv'));
        expect(read('queued-s.csv').trim().split('\n')).toHaveLength(301);
        const bad = cli(...q(redis.url, 'score', '--run', 'runs-s/a', '--input', 'series.csv', '--out', 'x.csv'));
        expect(bad.code).toBe(3);
        expect(bad.stderr).toMatch(/expected the training columns/);
      } finally {
        await stop(a);
        await stop(b);
      }
    }, 300_000);

    it('a worker killed with SIGKILL in the middle of a scoring chunk: another worker scores it, each chunk written once', async () => {
      const table = ['score', '--run', 'runs-s/a', '--input', 'normal.csv', '--fpr', '0.1', '--importance-samples', '400'];
      expect(cli(...table, '--out', 'single-k.csv').code).toBe(0);
      const a = background('worker', '--queue', redis.url, '--runs-dir', 'runs-s', '--lock-timeout', '3');
      const b = background('worker', '--queue', redis.url, '--runs-dir', 'runs-s', '--lock-timeout', '3');
      try {
        const coordinator = background(...q(redis.url, ...table, '--out', 'queued-k.csv', '--chunk-rows', '64'));
        await until('worker a to start a chunk', () => /chunk score-\w+#\d+ \(rows [^)]*\): attempt 1/.test(a.log));
        const victim = Number((a.log.match(/chunk score-\w+#(\d+) \(rows [^)]*\): attempt 1/) as RegExpMatchArray)[1]);
        a.child.kill('SIGKILL');
        expect(await coordinator.exit, coordinator.log).toBe(0);
        expect(read('queued-k.csv')).toBe(read('single-k.csv'));
        const chunks = Number((coordinator.log.match(/440 records in (\d+) chunk/) as RegExpMatchArray)[1]);
        await until('the workers to log their chunks', () => written(a.log + b.log).length >= chunks, 10_000);
        expect(written(a.log + b.log).sort((x, y) => x - y)).toEqual(Array.from({ length: chunks }, (_, i) => i));
        expect(written(a.log)).not.toContain(victim);
        expect(written(b.log)).toContain(victim);
      } finally {
        await stop(a);
        await stop(b);
      }
    }, 300_000);
  });
});
