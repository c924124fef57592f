/**
 * A real redis-server for tests: 127.0.0.1, a free port, a temp dir with append-only persistence (so a restart keeps
 * the queue, as a production Redis would), stopped after. `redisServerPath()` is null when Redis is not installed,
 * so suites can skip with a message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER = process.env.LATENTKIT_REDIS_SERVER ?? '/usr/bin/redis-server';

export function redisServerPath(): string | null {
  return fs.existsSync(REDIS_SERVER) ? REDIS_SERVER : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRedis(options: { password?: string } = {}): Promise<TestRedis> {
  const bin = redisServerPath();
  if (!bin) throw new Error(`${REDIS_SERVER} not found`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-redis-'));
  let child: ChildProcess | null = null;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    path.join(dir, 'redis.log'),
  ];
  if (options.password) args.push('--requirepass', options.password);
  const start = async () => {
    child = spawn(bin, args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    // With a password PING answers NOAUTH, so wait for the port only.
    while (!(options.password ? await portOpen(port) : await answers(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start; see ${dir}/redis.log`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    child = null;
  };
  await start();
  return {
    url: `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop: async () => {
      await stop();
    },
    restart: async () => {
      await stop();
      await start();
    },
  };
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
