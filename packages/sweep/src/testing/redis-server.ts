/**
 * A real redis-server for tests: 127.0.0.1, a free port, a temp dir with append-only persistence (so a restart keeps
 * the queue, as a production Redis would), stopped after. `redisServerPath()` is null when Redis is not installed,
 * so suites can skip with a message.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
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
  /** With `tls`: the CA that signed the server's certificate (for NODE_EXTRA_CA_CERTS). */
  readonly caFile?: string;
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * A private CA and a server certificate for 127.0.0.1 signed by it, made with the system's openssl: what a TLS Redis
 * in production looks like to a client that trusts only its own CA.
 */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=latentkit test CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  fs.writeFileSync(f('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('san.cnf'),
    '-out',
    f('server.pem'),
  );
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

export async function startRedis(options: { password?: string; tls?: boolean } = {}): Promise<TestRedis> {
  const bin = redisServerPath();
  if (!bin) throw new Error(`${REDIS_SERVER} not found`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-redis-'));
  let child: ChildProcess | null = null;
  const certificates = options.tls ? makeCertificates(dir) : undefined;
  const args = [
    '--port',
    // TLS only: the plain port is closed, so a client that forgets rediss:// cannot get in.
    options.tls ? '0' : String(port),
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
  if (certificates) {
    args.push('--tls-port', String(port), '--tls-cert-file', certificates.cert, '--tls-key-file', certificates.key);
    args.push('--tls-ca-cert-file', certificates.ca, '--tls-auth-clients', 'no');
  }
  const start = async () => {
    child = spawn(bin, args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    // With a password PING answers NOAUTH, and a TLS port does not speak plain text: wait for the port only.
    while (!(options.password || options.tls ? await portOpen(port) : await answers(port))) {
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
    url: `${options.tls ? 'rediss' : 'redis'}://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}127.0.0.1:${port}`,
    ...(certificates && { caFile: certificates.ca }),
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
