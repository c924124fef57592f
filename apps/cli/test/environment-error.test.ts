import { describe, expect, it } from 'vitest';
import { environmentMessage } from '../src/environment-error.js';

const sysError = (code: string, syscall?: string, path?: string) => Object.assign(new Error(`${code}: ${syscall}`), { code, syscall, path });

describe('environmentMessage', () => {
  it('names the path and what to do for a full disk, a read-only folder and a forbidden one', () => {
    expect(environmentMessage(sysError('ENOSPC', 'write', '/data/codes.csv'))).toBe(
      'cannot write /data/codes.csv: the disk is full; free some space or write somewhere else (--run, --out) (ENOSPC)',
    );
    expect(environmentMessage(sysError('EROFS', 'open', '/ro/x'))).toMatch(/^cannot open \/ro\/x: the file system is read-only; .*\(EROFS\)$/);
    expect(environmentMessage(sysError('EACCES', 'mkdir', '/root/runs'))).toMatch(/^cannot mkdir \/root\/runs: permission denied; .*\(EACCES\)$/);
  });

  it('leaves a missing file to read, a library error and a non-error to the other handlers', () => {
    expect(environmentMessage(sysError('ENOENT', 'open', '/nope.csv'))).toBeUndefined();
    expect(environmentMessage(sysError('ENOENT', 'mkdir', '/gone/run'))).toMatch(/a folder on the way does not exist \(ENOENT\)/);
    expect(environmentMessage(new Error('boom'))).toBeUndefined();
    expect(environmentMessage(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
    expect(environmentMessage('ENOSPC')).toBeUndefined();
  });
});
