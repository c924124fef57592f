/**
 * IDX files of any rank and value type (unsigned/signed byte, int16, int32, float32, float64, big-endian as the
 * format says), as an NdArray: for data beyond MNIST-style images, e.g. EMNIST or pre-computed features.
 */
import { parseError } from '@latentkit/core/base';
import type { NdArray } from '../formats/ndarray.js';
import { readMaybeGzipped } from '../io.js';

// Keyed by the IDX type byte: 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64.
const TYPES: Record<number, { name: string; size: number; get: (v: DataView, at: number) => number }> = {
  8: { name: 'uint8', size: 1, get: (v, a) => v.getUint8(a) },
  9: { name: 'int8', size: 1, get: (v, a) => v.getInt8(a) },
  11: { name: 'int16', size: 2, get: (v, a) => v.getInt16(a, false) },
  12: { name: 'int32', size: 4, get: (v, a) => v.getInt32(a, false) },
  13: { name: 'float32', size: 4, get: (v, a) => v.getFloat32(a, false) },
  14: { name: 'float64', size: 8, get: (v, a) => v.getFloat64(a, false) },
};

export function parseIdxArray(bytes: Uint8Array, file: string): NdArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0)
    throw parseError(file, undefined, 'an IDX magic number 00 00 TYPE NDIMS', `${bytes.length < 4 ? `${bytes.length} bytes` : 'other bytes'}`);
  const type = TYPES[bytes[2] as number];
  if (type === undefined) throw parseError(file, undefined, 'an IDX type byte 08, 09, 0b, 0c, 0d or 0e', `0x${(bytes[2] as number).toString(16)}`);
  const rank = bytes[3] as number;
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw parseError(file, undefined, `a ${header}-byte header`, `${bytes.length} bytes in all`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - header;
  if (found !== count * type.size) {
    throw parseError(
      file,
      undefined,
      `${count * type.size} value bytes for ${dims.join('×')} ${type.name}`,
      `${found} (${found < count * type.size ? 'truncated file' : 'file with trailing bytes'})`,
    );
  }
  const data = type.size >= 4 ? new Float64Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = type.get(view, header + i * type.size);
  return { dims, data, dtype: type.name };
}

/** Reads an IDX file of any shape (gzip detected by its magic bytes). */
export async function readIdxArray(file: string): Promise<NdArray> {
  return parseIdxArray(await readMaybeGzipped(file), file);
}
