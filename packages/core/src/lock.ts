/**
 * An exclusive lock on a folder (a run folder): two processes that both resume one run would interleave checkpoints
 * and log lines. The lock is a file created with O_EXCL holding who took it (PID, host, command, time); a lock whose
 * PID is no live process on this host is stale and taken over. A lock from another host is never taken over: its
 * PID cannot be checked from here.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isProcessAlive } from './atomic.js';
import { LatentkitError } from './errors.js';

export const LOCK_FILE = '.latentkit.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** What took it, e.g. `train --resume`. */
  readonly command: string;
  /** ISO time it was taken. */
  readonly since: string;
  /** Tells this holder's lock from a later one by the same PID. */
  readonly token: string;
}

export interface DirLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still this one; safe to call twice. Also done when the process exits. */
  release(): void;
}

/** A lock file too new to have been written in full is treated as held, however it reads. */
const WRITE_GRACE_MS = 5000;

function readHolder(file: string): LockHolder | 'unreadable' | 'gone' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const doc = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(doc.pid) && typeof doc.host === 'string') return doc as LockHolder;
  } catch {
    // a lock being written, or a torn one: decided by its age below
  }
  return 'unreadable';
}

function describeHolder(h: LockHolder): string {
  return `"${h.command}" (PID ${h.pid} on ${h.host}, since ${h.since})`;
}

/** True when `holder`'s lock can be taken over: its process is certainly gone. */
function isStale(holder: LockHolder | 'unreadable', file: string): boolean {
  if (holder === 'unreadable') {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > WRITE_GRACE_MS;
    } catch {
      return true;
    }
  }
  return holder.host === os.hostname() && !isProcessAlive(holder.pid);
}

/**
 * Takes the exclusive lock of `dir` (creating the folder), or throws INVALID_ARGUMENT (CLI exit 2) naming the holder
 * and what to do. `command` is recorded for the message a second process gets.
 */
export function acquireDirLock(dir: string, command: string): DirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const current = readHolder(file);
      if (current === 'gone') continue;
      if (!isStale(current, file)) {
        const who = current === 'unreadable' ? 'another process (its lock file is being written)' : describeHolder(current);
        throw new LatentkitError('INVALID_ARGUMENT', `${dir} is in use by ${who}; wait for it to finish, or, if that process is gone, delete ${file}`, {
          file,
          holder: current,
        });
      }
      fs.rmSync(file, { force: true });
      continue;
    }
    try {
      fs.writeFileSync(fd, JSON.stringify(holder));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      const now = readHolder(file);
      if (now !== 'gone' && now !== 'unreadable' && now.token === holder.token) fs.rmSync(file, { force: true });
    };
    process.on('exit', release);
    return { file, holder, release };
  }
  throw new LatentkitError('INVALID_ARGUMENT', `${dir}: could not take its lock ${file} (other processes keep taking it)`, { file });
}
