import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { detectFormat, encodeNpy, parseMat, parseNpy, readIdxArray, readMat, readNpy, readTable } from '../src/index.js';
import { sharedData, tempFiles } from './helpers.js';

const reference = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8'));

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

/** A .npy file written byte by byte as NumPy does (version 1 header padded to 64 bytes). */
function npyBytes(descr: string, shape: string, fortran: boolean, data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(data, 10 + header.length);
  return out;
}

describe('detectFormat', () => {
  const { dir } = tempFiles({});
  it('goes by extension (through .gz), treats a folder as an image folder, and rejects an unknown name', () => {
    expect(detectFormat(dir)).toBe('image-folder');
    for (const [name, format] of [
      ['a.csv', 'csv'],
      ['a.CSV.gz', 'csv'],
      ['b.tsv', 'tsv'],
      ['c.jsonl', 'jsonl'],
      ['d.npy', 'npy'],
      ['e.mat', 'mat'],
      ['f.arrow', 'arrow'],
      ['g.parquet', 'parquet'],
      ['train-images-idx3-ubyte.gz', 'idx'],
      ['h.txt', 'text'],
    ] as const) {
      writeFileSync(join(dir, name), '');
      expect(detectFormat(join(dir, name))).toBe(format);
    }
    writeFileSync(join(dir, 'x.weird'), '');
    expect(() => detectFormat(join(dir, 'x.weird'))).toThrow(/cannot tell the format/);
    expect(() => detectFormat(join(dir, 'nope.csv'))).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });
});

describe('.npy', () => {
  it('round-trips float32 and float64 matrices through encodeNpy', () => {
    const f32 = Float32Array.from([1.5, -2, 3.25, 4, 5, 6]);
    const back = parseNpy(encodeNpy(f32, [2, 3]), 'm.npy');
    expect(back).toEqual({ dims: [2, 3], data: f32, dtype: 'float32' });
    const f64 = Float64Array.from([Math.PI, Math.E]);
    expect(parseNpy(encodeNpy(f64, [2]), 'v.npy').data).toEqual(f64);
  });

  it('reads integer, big-endian, bool and Fortran-order arrays written by hand', () => {
    // [[1, 2, 3], [4, 5, 6]] in Fortran order is 1 4 2 5 3 6.
    const i16 = new Uint8Array(new Int16Array([1, 4, 2, 5, 3, -6]).buffer);
    expect(Array.from(parseNpy(npyBytes('<i2', '(2, 3)', true, i16), 'f.npy').data)).toEqual([1, 2, 3, 4, 5, -6]);
    const be = new Uint8Array(8);
    new DataView(be.buffer).setFloat64(0, 2.5, false);
    expect(Array.from(parseNpy(npyBytes('>f8', '(1,)', false, be), 'be.npy').data)).toEqual([2.5]);
    expect(Array.from(parseNpy(npyBytes('|b1', '(3,)', false, new Uint8Array([1, 0, 1])), 'b.npy').data)).toEqual([1, 0, 1]);
    const i8 = new Uint8Array(new BigInt64Array([-3n, 7n]).buffer);
    expect(parseNpy(npyBytes('<i8', '(2,)', false, i8), 'i8.npy')).toMatchObject({ dtype: 'int64', dims: [2] });
    const u8 = parseNpy(npyBytes('|u1', '(2, 2)', false, new Uint8Array([0, 255, 7, 9])), 'u8.npy');
    expect(Array.from(u8.data)).toEqual([0, 255, 7, 9]);
  });

  it('a matrix file becomes a table with columns x0, x1, …; NaN cells are missing', async () => {
    const files = tempFiles({ 'm.npy': encodeNpy(Float32Array.from([1, Number.NaN, 3, 4]), [2, 2]) });
    const t = await readTable(files['m.npy']);
    expect(t.columns.map((c) => c.name)).toEqual(['x0', 'x1']);
    expect(Array.from(t.missing)).toEqual([0, 1, 0, 0]);
    expect(Array.from(t.values)).toEqual([1, 0, 3, 4]);
  });

  it('an unsupported dtype, a truncated file, a non-.npy file are parse errors naming the file', async () => {
    const files = tempFiles({
      'c.npy': npyBytes('<c16', '(1,)', false, new Uint8Array(16)),
      's.npy': npyBytes('<U3', '(1,)', false, new Uint8Array(12)),
      't.npy': encodeNpy(Float32Array.from([1, 2, 3]), [3]).subarray(0, 132),
      'x.npy': 'hello',
    });
    const c = await rejection(readNpy(files['c.npy']));
    expect(c.code).toBe('PARSE_ERROR');
    expect(c.message).toBe(`${files['c.npy']}: expected a numeric or boolean dtype (float32, float64, int8/16/32/64, uint8/16/32/64, bool), got dtype '<c16'`);
    expect((await rejection(readNpy(files['s.npy']))).message).toContain("got dtype '<U3'");
    expect((await rejection(readNpy(files['t.npy']))).message).toContain('(a truncated file)');
    expect((await rejection(readNpy(files['x.npy']))).message).toContain('expected a .npy file');
  });
});

describe('JSON Lines', () => {
  it('reads numbers, strings, booleans and nulls into typed columns', async () => {
    const files = tempFiles({ 'a.jsonl': '{"x": 1.5, "kind": "a", "ok": true}\n{"x": null, "kind": "b", "ok": false}\n\n{"x": 3, "kind": "c", "ok": true}\n' });
    const t = await readTable(files['a.jsonl']);
    expect(t.columns).toEqual([
      { name: 'x', type: 'numeric' },
      { name: 'kind', type: 'categorical', categories: ['a', 'b', 'c'] },
      { name: 'ok', type: 'binary', categories: ['false', 'true'] },
    ]);
    expect(Array.from(t.values)).toEqual([1.5, 0, 1, 0, 1, 0, 3, 2, 1]);
    expect(Array.from(t.missing)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('bad JSON, a nested value, a new key, an infinite number: errors with the line', async () => {
    const files = tempFiles({
      'bad.jsonl': '{"x": 1}\n{"x": \n',
      'nested.jsonl': '{"x": 1}\n{"x": [1]}\n',
      'key.jsonl': '{"x": 1}\n{"y": 1}\n',
      'inf.jsonl': '{"x": 1}\n{"x": 1e999}\n',
      'empty.jsonl': '',
    });
    expect((await rejection(readTable(files['bad.jsonl']))).message).toMatch(/bad\.jsonl:2: expected a JSON object, got invalid JSON/);
    expect((await rejection(readTable(files['nested.jsonl']))).message).toContain(
      'nested.jsonl:2: expected a number, string, boolean or null for "x", got an array',
    );
    expect((await rejection(readTable(files['key.jsonl']))).message).toContain('key.jsonl:2: expected only the keys of line 1 (x), got key "y"');
    expect((await rejection(readTable(files['inf.jsonl']))).message).toContain('inf.jsonl:2: expected a finite number in column "x", got Infinity');
    expect((await rejection(readTable(files['empty.jsonl']))).message).toContain('got an empty file');
  });
});

describe('Arrow IPC and Parquet', () => {
  const x = Float64Array.from([0.5, 1.5, 2.5]);
  const kind = ['a', 'b', 'a'];

  it('an Arrow file written by apache-arrow reads back with its types and nulls', async () => {
    const ipc = tableToIPC(tableFromArrays({ x, kind, n: Int32Array.from([7, 8, 9]) }), 'file');
    const files = tempFiles({ 't.arrow': ipc });
    const t = await readTable(files['t.arrow'], { labelColumn: 'kind' });
    expect(t.columns).toEqual([
      { name: 'x', type: 'numeric' },
      { name: 'n', type: 'numeric' },
    ]);
    expect(Array.from(t.values)).toEqual([0.5, 7, 1.5, 8, 2.5, 9]);
    expect(Array.from(t.label?.values ?? [])).toEqual([0, 1, 0]);
  });

  it('a Parquet file written by hyparquet-writer reads back, nulls missing', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'x', data: [0.5, null, 2.5], type: 'DOUBLE' },
        { name: 'kind', data: kind, type: 'STRING' },
      ],
    });
    const files = tempFiles({ 't.parquet': new Uint8Array(buffer) });
    const t = await readTable(files['t.parquet']);
    expect(t.columns.map((c) => c.type)).toEqual(['numeric', 'binary']);
    expect(Array.from(t.values)).toEqual([0.5, 0, 0, 1, 2.5, 0]);
    expect(Array.from(t.missing)).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('garbage bytes are a parse error, not a raw exception', async () => {
    const files = tempFiles({ 'g.arrow': 'not arrow', 'g.parquet': 'not parquet either' });
    expect(await rejection(readTable(files['g.arrow']))).toMatchObject({ code: 'PARSE_ERROR' });
    expect(await rejection(readTable(files['g.parquet']))).toMatchObject({ code: 'PARSE_ERROR' });
  });
});

/** A level-5 .mat file with one double matrix, compressed or not, built from the format description. */
function matFile(name: string, rows: number, cols: number, columnMajor: number[], compress: boolean): Uint8Array {
  const pad8 = (b: Buffer) => Buffer.concat([b, Buffer.alloc((8 - (b.length % 8)) % 8)]);
  const element = (type: number, data: Buffer) => {
    const tag = Buffer.alloc(8);
    tag.writeUInt32LE(type, 0);
    tag.writeUInt32LE(data.length, 4);
    return Buffer.concat([tag, pad8(data)]);
  };
  const flags = Buffer.alloc(8);
  flags.writeUInt32LE(6, 0); // mxDOUBLE_CLASS
  const dims = Buffer.alloc(8);
  dims.writeInt32LE(rows, 0);
  dims.writeInt32LE(cols, 4);
  const real = Buffer.from(new Float64Array(columnMajor).buffer);
  const matrix = element(14, Buffer.concat([element(6, flags), element(5, dims), element(1, Buffer.from(name)), element(9, real)]));
  const body = compress
    ? (() => {
        const z = deflateSync(matrix);
        const tag = Buffer.alloc(8);
        tag.writeUInt32LE(15, 0);
        tag.writeUInt32LE(z.length, 4);
        return Buffer.concat([tag, z]);
      })()
    : matrix;
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written by a latentkit test', 0, 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  return Buffer.concat([header, body]);
}

describe('MATLAB v5 .mat', () => {
  it('reads plain and miCOMPRESSED double matrices in C order', () => {
    for (const compress of [false, true]) {
      const mat = parseMat(matFile('X', 2, 3, [1, 4, 2, 5, 3, 6], compress), 'x.mat');
      expect(mat.variables.get('X')).toEqual({ dims: [2, 3], data: Float64Array.from([1, 2, 3, 4, 5, 6]), dtype: 'double' });
    }
  });

  const dir = sharedData('odds');
  it.skipIf(dir === undefined)('ODDS thyroid, annthyroid, satellite match scipy.io.loadmat: shape, outliers, means, first row', async () => {
    for (const [name, ref] of Object.entries<{ shape: number[]; ySum: number; xMeans: number[]; firstRow: number[] }>(reference.odds)) {
      const file = join(dir as string, 'odds', `${name}.mat`);
      const mat = await readMat(file);
      expect(mat.variables.get('X')?.dims).toEqual(ref.shape);
      const t = await readTable(file);
      expect([t.rowCount, t.columns.length]).toEqual(ref.shape);
      expect(t.label?.schema).toEqual({ name: 'y', type: 'binary', categories: ['0', '1'] });
      expect(t.label?.values.reduce((a, b) => a + b, 0)).toBe(ref.ySum);
      const x = mat.variables.get('X')?.data as Float64Array;
      expect(Array.from(x.subarray(0, ref.shape[1]))).toEqual(ref.firstRow);
      ref.xMeans.forEach((m, j) => {
        let s = 0;
        for (let r = 0; r < (ref.shape[0] as number); r++) s += x[r * (ref.shape[1] as number) + j] as number;
        expect(s / (ref.shape[0] as number)).toBeCloseTo(m, 10);
      });
    }
    expect(reference.odds.thyroid.shape).toEqual([3772, 6]);
    expect(reference.odds.thyroid.ySum).toBe(93);
  });

  it('a v7.3 (HDF5) file, a v4 file, a missing variable and a corrupt compressed element are clear errors', async () => {
    const v73 = Buffer.alloc(128, 0x20);
    v73.write('MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: HDF5 schema 1.00 .', 0, 'latin1');
    v73.writeUInt16LE(0x0200, 124);
    v73.write('IM', 126, 'latin1');
    const v4 = Buffer.alloc(64);
    v4.writeInt32LE(0, 0);
    const good = matFile('X', 1, 1, [1], true);
    const corrupt = Buffer.from(good);
    corrupt.fill(0xff, 136, 150);
    const files = tempFiles({ 'v73.mat': v73, 'v4.mat': v4, 'nox.mat': matFile('Z', 1, 1, [1], false), 'bad.mat': corrupt });
    expect((await rejection(readMat(files['v73.mat']))).message).toBe(
      `${files['v73.mat']}: expected a MATLAB level-5 .mat file (version 0x0100), got version 0x0200 (v7.3, HDF5)`,
    );
    expect((await rejection(readMat(files['v4.mat']))).message).toContain('got no such header (a v4 .mat file or another format)');
    expect((await rejection(readTable(files['nox.mat']))).message).toBe(`${files['nox.mat']}: expected a numeric variable "X", got variables Z`);
    const bad = await rejection(readMat(files['bad.mat']));
    expect(bad.code).toBe('PARSE_ERROR');
    expect(bad.message).toContain('expected a complete zlib stream at byte 128');
  });
});

describe('IDX of any shape', () => {
  it('reads a rank-4 float32 IDX file (big-endian), gzipped', async () => {
    const dims = [2, 1, 2, 2];
    const header = Buffer.alloc(4 + 16);
    header.set([0, 0, 0x0d, 4]);
    dims.forEach((d, i) => {
      header.writeUInt32BE(d, 4 + 4 * i);
    });
    const values = Buffer.alloc(32);
    for (let i = 0; i < 8; i++) values.writeFloatBE(i / 2, i * 4);
    const files = tempFiles({ 'a-idx4-float.gz': gzipSync(Buffer.concat([header, values])) });
    const a = await readIdxArray(files['a-idx4-float.gz']);
    expect(a.dims).toEqual(dims);
    expect(Array.from(a.data)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  });
});
