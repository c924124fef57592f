/**
 * Cluster mode against a real redis-server (127.0.0.1, random port, temp dir, stopped after): reachability errors,
 * passwords, and chunked work surviving a worker killed with SIGKILL in the middle of a chunk and a Redis restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleChunks, checkQueue, planChunks, runQueueChunks } from '../src/index.js';
import { type TestRedis, freePort, redisServerPath, startRedis } from '../src/testing/redis-server.js';

const WORKER = path.resolve(__dirname, 'fixtures/chunk-worker.mjs');
const TLS_COORDINATOR = path.resolve(__dirname, 'fixtures/tls-chunks.mjs');
const haveRedis = redisServerPath() !== null;
if (!haveRedis) console.warn('skipping the queue tests: /usr/bin/redis-server is not installed (apt-get install redis-server)');

interface Spawned {
  readonly child: ChildProcess;
  log: string;
}

function startWorker(url: string, runsDir: string, lockSeconds = 2, env: NodeJS.ProcessEnv = process.env): Spawned {
  const child = spawn(process.execPath, [WORKER, url, runsDir, String(lockSeconds)], { stdio: ['ignore', 'ignore', 'pipe'], env });
  const w: Spawned = { child, log: '' };
  child.stderr?.on('data', (d: Buffer) => {
    w.log += d.toString();
  });
  return w;
}

async function stopWorker(w: Spawned): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  await exited;
}

async function until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Which chunks each worker log says it wrote (not "already there"). */
const writtenChunks = (logs: readonly string[], task: string) =>
  logs.flatMap((l) => [...l.matchAll(new RegExp(`chunk ${task}#(\\d+) \\(rows [^)]*\\): written`, 'g'))].map((m) => Number(m[1])));

describe.skipIf(!haveRedis)('queue (real redis-server)', () => {
  let redis: TestRedis;
  let dir: string;
  let input: string;
  const rows = Array.from({ length: 40 }, (_, i) => `row ${i}`);

  beforeAll(async () => {
    redis = await startRedis();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-queue-'));
    input = path.join(dir, 'input.txt');
    fs.writeFileSync(input, rows.join('\n'));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('fails within 10 s with a clear error when the URL does not answer', async () => {
    const refused = `redis://127.0.0.1:${await freePort()}`;
    await expect(checkQueue(refused)).rejects.toThrow(/Redis did not answer.*ECONNREFUSED/);
    // A server that accepts the connection and never says anything: only the timeout can end the wait.
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const started = Date.now();
    const err = await checkQueue(`redis://:secret@127.0.0.1:${(silent.address() as net.AddressInfo).port}`).catch(
      (e: unknown) => e as Error & { code: string },
    );
    silent.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    expect(err?.message).toMatch(/no answer within 8 s/);
    expect(err?.message).not.toContain('secret');
  }, 20_000);

  it('connects with the password in the URL and names a wrong one', async () => {
    const locked = await startRedis({ password: 'p@ss word' });
    try {
      await checkQueue(locked.url);
      await expect(checkQueue(locked.url.replace('p%40ss', 'nope'))).rejects.toThrow(/password/);
    } finally {
      await locked.stop();
    }
  });

  it('works over TLS (rediss://) with a private CA from NODE_EXTRA_CA_CERTS, and names the certificate problem without it', async () => {
    const secure = await startRedis({ tls: true, password: 'tls pw' });
    const runsDir = path.join(dir, 'runs-tls');
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: secure.caFile };
    const w = startWorker(secure.url, runsDir, 2, env);
    try {
      expect(secure.url).toMatch(/^rediss:\/\//);
      // This process does not trust the test CA: the error says so and how to fix it, without the password.
      const err = await checkQueue(secure.url).catch((e: unknown) => e as Error);
      expect(err?.message).toMatch(/certificate.*NODE_EXTRA_CA_CERTS/);
      expect(err?.message).not.toContain('tls pw');
      const coordinator = spawn(process.execPath, [TLS_COORDINATOR, secure.url, runsDir, input, String(rows.length)], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      coordinator.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const code = await new Promise((r) => coordinator.once('exit', r));
      expect(code, stderr).toBe(0);
      expect(fs.readFileSync(path.join(runsDir, 'out.txt'), 'utf8')).toBe(rows.map((r) => `${r.toUpperCase()}\n`).join(''));
    } finally {
      await stopWorker(w);
      await secure.stop();
    }
  }, 60_000);

  it('writes every chunk exactly once, in input order, when a worker is killed with SIGKILL mid-chunk', async () => {
    const runsDir = path.join(dir, 'runs-kill');
    const ranges = planChunks(rows.length, 5);
    const a = startWorker(redis.url, runsDir);
    const b = startWorker(redis.url, runsDir);
    try {
      const done = runQueueChunks({ url: redis.url, taskId: 'kill', processor: 'upper', args: { delayMs: 600 }, input, ranges, pollMs: 100 });
      await until('worker a to start a chunk', () => a.log.includes('processing chunk'));
      a.child.kill('SIGKILL');
      await done;
      assembleChunks(path.join(runsDir, 'kill'), ranges, path.join(runsDir, 'out.txt'));
      expect(fs.readFileSync(path.join(runsDir, 'out.txt'), 'utf8')).toBe(rows.map((r) => `${r.toUpperCase()}\n`).join(''));
      const written = writtenChunks([a.log, b.log], 'kill').sort((x, y) => x - y);
      expect(written).toEqual(ranges.map((r) => r.index));
      // The killed worker's chunk was finished by the other one.
      expect(b.log).toMatch(/chunk kill#\d+ .*written/);
    } finally {
      await stopWorker(a);
      await stopWorker(b);
    }
  }, 90_000);

  it('goes on after Redis restarts in the middle of the work', async () => {
    const runsDir = path.join(dir, 'runs-restart');
    const ranges = planChunks(rows.length, 8);
    const w = startWorker(redis.url, runsDir);
    try {
      const done = runQueueChunks({ url: redis.url, taskId: 'restart', processor: 'upper', args: { delayMs: 400 }, input, ranges, pollMs: 100 });
      await until('the first chunk', () => w.log.includes('written'));
      await redis.restart();
      await done;
      assembleChunks(path.join(runsDir, 'restart'), ranges, path.join(runsDir, 'out.txt'));
      expect(fs.readFileSync(path.join(runsDir, 'out.txt'), 'utf8')).toBe(rows.map((r) => `${r.toUpperCase()}\n`).join(''));
      expect(writtenChunks([w.log], 'restart').sort((x, y) => x - y)).toEqual(ranges.map((r) => r.index));
    } finally {
      await stopWorker(w);
    }
  }, 90_000);
});
