/**
 * `--queue redis://[user][:password@]host[:port][/db]` (or `rediss://` for TLS) → ioredis options, and a reachability
 * check that fails within a bound with a message saying what was tried, instead of ioredis reconnecting forever.
 */
import { LatentkitError, invalidArgument } from '@latentkit/core/base';
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';

/** How long a queue URL may stay silent before `checkQueue` gives up (under the CLI's promised 10 s). */
export const QUEUE_CHECK_TIMEOUT_MS = 8_000;

export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalidArgument('--queue', 'a URL redis://[:password@]host[:port][/db] or rediss://…', url);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw invalidArgument('--queue', 'a redis:// or rediss:// URL', url);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw invalidArgument('--queue', 'a database number after the port (redis://host:6379/0)', url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return {
    host,
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: db === '' ? 0 : Number(db),
    // SNI takes host names only (RFC 6066); for an IP address Node checks the certificate against the host itself.
    ...(u.protocol === 'rediss:' ? { tls: isIP(host) ? {} : { servername: host } } : {}),
    // BullMQ's workers block on Redis; it requires commands to wait for a reconnect rather than fail after N retries.
    maxRetriesPerRequest: null,
    connectTimeout: 5_000,
    retryStrategy: (times: number) => Math.min(200 * times, 2_000),
  };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Connects once and PINGs; throws QUEUE_UNAVAILABLE naming the server when it does not answer in time. */
export async function checkQueue(url: string, timeoutMs = QUEUE_CHECK_TIMEOUT_MS): Promise<void> {
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  let lastError = '';
  client.on('error', (e: Error) => {
    lastError = e.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${(timeoutMs / 1000).toFixed(0)} s`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (e) {
    // Give the 'error' event, which may trail the rejection, a moment to arrive.
    await new Promise((r) => setTimeout(r, 20));
    // ioredis rejects with "Connection is closed"; the cause (ECONNREFUSED, WRONGPASS) came as an 'error' event.
    const why = lastError || (e as Error).message;
    const hint = /NOAUTH|WRONGPASS|invalid password/i.test(why)
      ? ' (wrong or missing password: redis://:password@host:port)'
      : /certificate|self.signed|CERT_|SSL|TLS/i.test(why)
        ? ' (a server certificate from a private CA: NODE_EXTRA_CA_CERTS=/path/to/ca.pem)'
        : '';
    throw new LatentkitError('QUEUE_UNAVAILABLE', `--queue ${redactUrl(url)}: Redis did not answer: ${why}${hint}`, { url: redactUrl(url) });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
