import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesFile, formatFromPath, npyBytes } from '../src/io/codes-file.js';

const hasNumpy = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('codes files', () => {
  it('writes a .npy header NumPy accepts, data 64-byte aligned', () => {
    const bytes = npyBytes(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
    const headerLength = bytes.readUInt16LE(8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes.subarray(10, 10 + headerLength).toString('latin1')).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset + 10 + headerLength)))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it.skipIf(!hasNumpy)('round-trips through numpy.load (Debian python3-numpy)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lk-npy-')), 'z.npy');
    fs.writeFileSync(file, npyBytes(new Float32Array([0.5, -1, 2.25, 3]), [2, 2]));
    const out = execFileSync('/usr/bin/python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(file)}); print(a.dtype, a.shape, a.tolist())`])
      .toString()
      .trim();
    expect(out).toBe('float32 (2, 2) [[0.5, -1.0], [2.25, 3.0]]');
  });

  it('writes CSV with a header and JSON lines with labels', () => {
    const codes = new Float32Array([1, 2, 3, 4]);
    expect(codesFile(codes, 2, 2, 'csv', [7, 9]).toString()).toBe('label,z0,z1\n7,1,2\n9,3,4\n');
    expect(codesFile(codes, 2, 2, 'jsonl').toString()).toBe('{"z":[1,2]}\n{"z":[3,4]}\n');
  });

  it('infers the format from the file name or says what it expected', () => {
    expect(formatFromPath('a/b.NPY')).toBe('npy');
    expect(() => formatFromPath('codes.txt')).toThrow(/argument "--out" must be a file name ending in \.npy, \.csv, \.jsonl/);
  });
});
