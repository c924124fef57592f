/**
 * NumPy `.npy` files (format versions 1–3): a magic string, a Python-literal header giving `descr` (the dtype),
 * `fortran_order` and `shape`, then the raw values. Numeric and boolean dtypes of either byte order are read;
 * anything else (complex, strings, objects, structured records, float16) is a parse error that names the dtype.
 */
import { parseError } from '@latentkit/core/base';
import { readMaybeGzipped } from '../io.js';
import { type NdArray, fortranToC } from './ndarray.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Getter = (view: DataView, at: number, little: boolean) => number;
const DTYPES: Record<string, { name: string; size: number; get: Getter; wide: boolean }> = {
  f4: { name: 'float32', size: 4, get: (v, a, l) => v.getFloat32(a, l), wide: false },
  f8: { name: 'float64', size: 8, get: (v, a, l) => v.getFloat64(a, l), wide: true },
  i1: { name: 'int8', size: 1, get: (v, a) => v.getInt8(a), wide: false },
  u1: { name: 'uint8', size: 1, get: (v, a) => v.getUint8(a), wide: false },
  b1: { name: 'bool', size: 1, get: (v, a) => (v.getUint8(a) === 0 ? 0 : 1), wide: false },
  i2: { name: 'int16', size: 2, get: (v, a, l) => v.getInt16(a, l), wide: false },
  u2: { name: 'uint16', size: 2, get: (v, a, l) => v.getUint16(a, l), wide: false },
  i4: { name: 'int32', size: 4, get: (v, a, l) => v.getInt32(a, l), wide: true },
  u4: { name: 'uint32', size: 4, get: (v, a, l) => v.getUint32(a, l), wide: true },
  i8: { name: 'int64', size: 8, get: (v, a, l) => Number(v.getBigInt64(a, l)), wide: true },
  u8: { name: 'uint64', size: 8, get: (v, a, l) => Number(v.getBigUint64(a, l)), wide: true },
};

const SUPPORTED = 'a numeric or boolean dtype (float32, float64, int8/16/32/64, uint8/16/32/64, bool)';

/** Parses the bytes of a .npy file. float64 and 32/64-bit integers come back as Float64Array, the rest as Float32Array. */
export function parseNpy(bytes: Uint8Array, file: string): NdArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw parseError(file, undefined, 'a .npy file (magic \\x93NUMPY)', 'other bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6] as number;
  if (major < 1 || major > 3) throw parseError(file, undefined, '.npy format version 1, 2 or 3', `version ${major}.${bytes[7]}`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start + headerLength) throw parseError(file, undefined, `a ${headerLength}-byte .npy header`, 'a truncated file');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  if (descr === undefined) {
    const found = /'descr'\s*:\s*(\[[^\]]*\]?)/.exec(header)?.[1];
    throw parseError(file, undefined, SUPPORTED, found === undefined ? `a header without descr: ${header.trim()}` : `a structured dtype ${found.slice(0, 60)}`);
  }
  const order = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (order === undefined || shapeText === undefined) throw parseError(file, undefined, "a .npy header with 'fortran_order' and 'shape'", header.trim());
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw parseError(file, undefined, 'a shape of non-negative integers', `(${shapeText})`);
  const endian = descr[0] as string;
  const dtype = DTYPES[descr.slice(1)];
  if (dtype === undefined || !'<>|='.includes(endian)) throw parseError(file, undefined, SUPPORTED, `dtype '${descr}'`);
  const little = endian !== '>';
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  const expected = count * dtype.size;
  const found = bytes.length - dataStart;
  if (found !== expected) {
    throw parseError(
      file,
      undefined,
      `${expected} data bytes for shape (${dims.join(', ')}) of ${dtype.name}`,
      `${found} (${found < expected ? 'a truncated file' : 'trailing bytes'})`,
    );
  }
  let data: Float64Array | Float32Array = dtype.wide ? new Float64Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.get(view, dataStart + i * dtype.size, little);
  if (order === 'True' && dims.length > 1) data = fortranToC(data, dims);
  return { dims, data, dtype: dtype.name };
}

/** Reads a .npy file (a gzipped one too, detected by its magic bytes). */
export async function readNpy(file: string): Promise<NdArray> {
  return parseNpy(await readMaybeGzipped(file), file);
}

/** The bytes of a C-order little-endian .npy file (version 1) holding `data` with shape `dims`: float32 or float64. */
export function encodeNpy(data: Float32Array | Float64Array, dims: readonly number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : '<f8';
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Pad with spaces so the data starts on a 64-byte boundary, ending in a newline, as NumPy writes it.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
