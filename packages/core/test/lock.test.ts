/** The run-folder lock (issue 21, item 4): one holder at a time, stale locks of dead processes taken over. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, LatentkitError, acquireDirLock } from '../src/base.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-lock-'));

function holderFile(dir: string, pid: number, host = os.hostname()): void {
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host, command: 'train --resume', since: '2026-12-01T00:00:00.000Z', token: 'x' }));
}

function refusal(fn: () => unknown): LatentkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentkitError);
    expect((e as LatentkitError).code).toBe('INVALID_ARGUMENT');
    return e as LatentkitError;
  }
  throw new Error('expected the lock to be refused');
}

describe('acquireDirLock', () => {
  it('gives the lock to one holder at a time and back after release', () => {
    const dir = tmp();
    const lock = acquireDirLock(dir, 'train');
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'train' });
    const e = refusal(() => acquireDirLock(dir, 'eval'));
    expect(e.message).toBe(
      `${dir} is in use by "train" (PID ${process.pid} on ${os.hostname()}, since ${lock.holder.since}); wait for it to finish, or, if that process is gone, delete ${lock.file}`,
    );
    lock.release();
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
    acquireDirLock(dir, 'eval').release();
  });

  it('refuses while another live process holds it, takes it over once that process is dead', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    holderFile(dir, child.pid as number);
    expect(refusal(() => acquireDirLock(dir, 'train')).message).toMatch(new RegExp(`in use by "train --resume" \\(PID ${child.pid} on `));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const lock = acquireDirLock(dir, 'train');
    expect(lock.holder.pid).toBe(process.pid);
    lock.release();
  });

  it('never takes over a lock from another host, and a release leaves a newer holder’s lock alone', () => {
    const dir = tmp();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    holderFile(dir, dead, 'some-other-host');
    expect(refusal(() => acquireDirLock(dir, 'train')).message).toMatch(/on some-other-host/);
    fs.rmSync(path.join(dir, LOCK_FILE));
    const mine = acquireDirLock(dir, 'train');
    holderFile(dir, process.pid); // someone replaced it (e.g. deleted by hand and re-taken)
    mine.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  });
});
