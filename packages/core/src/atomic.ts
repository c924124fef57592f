/**
 * Atomic file writes: a reader (or a crash) sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** `.<name>.<pid>.<8 hex>.tmp`: the owner's PID is in the name so a later process can tell a dead writer's leftovers. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to a temporary sibling, flushes it to disk, then renames it over `file`. A killed writer's
 * temporaries of `file` are removed first (see `cleanStaleTemps`).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  cleanStaleTemps(file);
  const tmp = tempSibling(file);
  const fd = fs.openSync(tmp, 'w');
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    // A full disk fails the write: do not leave a partial temporary behind.
    fs.rmSync(tmp, { force: true });
    throw withPath(e, file);
  }
}

/** A write on a file descriptor fails without a path; the caller's message should name the file meant. */
function withPath(e: unknown, file: string): unknown {
  if (e instanceof Error && 'code' in e && (e as NodeJS.ErrnoException).path === undefined) (e as NodeJS.ErrnoException).path = path.resolve(file);
  return e;
}

/**
 * Builds a whole folder with `fill`, then swaps it in for `dir`. Between the two renames a crash leaves the previous
 * folder at `dir + '.old'`, which `readableDir` falls back to. Temporary folders that a killed writer left next to
 * `dir` are removed first (see `cleanStaleTemps`).
 */
export function writeDirAtomic(dir: string, fill: (tmpDir: string) => void): void {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  cleanStaleTemps(target);
  const tmp = tempSibling(target);
  fs.mkdirSync(tmp);
  try {
    fill(tmp);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = `${target}.old`;
  if (fs.existsSync(target)) {
    fs.rmSync(old, { recursive: true, force: true });
    fs.renameSync(target, old);
  }
  // With only `.old` present (an earlier crash between the renames) it stays until the new folder is in place:
  // deleting it first would leave a window with no readable checkpoint at all.
  fs.renameSync(tmp, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** `dir` if it exists, else the `.old` copy a crash inside `writeDirAtomic` may have left, else undefined. */
export function readableDir(dir: string): string | undefined {
  const target = path.resolve(dir);
  if (fs.existsSync(target)) return target;
  if (fs.existsSync(`${target}.old`)) return `${target}.old`;
  return undefined;
}

/** True unless `pid` is certainly not a live process on this host (`kill(pid, 0)` says ESRCH). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export interface CleanTempsOptions {
  /** A temporary whose owner still runs is removed anyway once it is this old (default 24 h): a hung writer. */
  readonly maxAgeMs?: number;
  /** For tests: the time now, in ms since the epoch. */
  readonly now?: number;
}

export const DEFAULT_TEMP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the temporary siblings (`.<name>.<pid>.<hex>.tmp`, files or folders) that `writeFileAtomic` and
 * `writeDirAtomic` left for `target` when their writer was killed: those whose owner PID is not a live process on
 * this host, or that are older than `maxAgeMs`. PIDs are only meaningful on one host; two hosts writing one folder
 * need the run lock, not this. Returns the paths removed.
 */
export function cleanStaleTemps(target: string, options: CleanTempsOptions = {}): string[] {
  const full = path.resolve(target);
  const parent = path.dirname(full);
  const name = path.basename(full);
  const maxAge = options.maxAgeMs ?? DEFAULT_TEMP_MAX_AGE_MS;
  const now = options.now ?? Date.now();
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const match = TEMP_NAME.exec(entry);
    if (!match || match[1] !== name) continue;
    const file = path.join(parent, entry);
    let mtime: number;
    try {
      mtime = fs.lstatSync(file).mtimeMs;
    } catch {
      continue; // removed meanwhile
    }
    const pid = Number(match[2]);
    const stale = (pid !== process.pid && !isProcessAlive(pid)) || now - mtime > maxAge;
    if (!stale) continue;
    fs.rmSync(file, { recursive: true, force: true });
    removed.push(file);
  }
  return removed;
}
