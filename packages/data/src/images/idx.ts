/**
 * IDX files (the MNIST format, also used by Fashion-MNIST and EMNIST), gzipped or not: a 4-byte magic number
 * `00 00 TYPE NDIMS`, NDIMS big-endian uint32 sizes, then the values row-major. latentkit reads unsigned-byte
 * files (TYPE 0x08), which is what every image dataset in this format uses.
 */
import { LatentkitError, parseError } from '@latentkit/core/base';
import { readMaybeGzipped } from '../io.js';

const UBYTE = 0x08;
const TYPE_NAMES = new Map([
  [0x09, 'int8'],
  [0x0b, 'int16'],
  [0x0c, 'int32'],
  [0x0d, 'float32'],
  [0x0e, 'float64'],
]);

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** Parses the bytes of an IDX file of unsigned bytes, checking the magic number, the rank and the exact length. */
export function parseIdx(bytes: Uint8Array, file: string, expectedRank: number): IdxArray {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
  if (bytes.length < 4) throw parseError(file, undefined, 'an IDX file (at least a 4-byte magic number)', `${bytes.length} bytes`);
  const [zero0, zero1, type, rank] = bytes as unknown as [number, number, number, number];
  if (zero0 !== 0 || zero1 !== 0) {
    throw parseError(file, undefined, 'an IDX magic number 00 00 TYPE NDIMS (or a gzip file)', `bytes ${hex(bytes.subarray(0, 4))}`);
  }
  if (type !== UBYTE) {
    const name = TYPE_NAMES.get(type);
    if (name === undefined) throw parseError(file, undefined, 'an IDX type byte 08, 09, 0b, 0c, 0d or 0e', `0x${type.toString(16)}`);
    throw new LatentkitError('UNSUPPORTED', `${file}: IDX values of type ${name} are not supported; latentkit reads unsigned-byte (0x08) IDX files`, { file });
  }
  if (rank !== expectedRank) {
    throw parseError(file, undefined, `an IDX file of rank ${expectedRank} (magic 00 00 08 0${expectedRank})`, `rank ${rank}`);
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw parseError(file, undefined, `a ${header}-byte header`, `${bytes.length} bytes in all`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - header;
  if (found !== expected) {
    const what = found < expected ? 'truncated file' : 'file with trailing bytes';
    throw parseError(file, undefined, `${expected} value bytes for dimensions ${dims.join('×')}`, `${found} (${what})`);
  }
  return { dims, data: bytes.subarray(header) };
}

/** Reads an IDX file (gzip detected by its magic bytes, not its name). */
export async function readIdx(file: string, expectedRank: number): Promise<IdxArray> {
  return parseIdx(await readMaybeGzipped(file), file, expectedRank);
}

/** Images in [0, 1] from an IDX image file (rank 3: count, rows, cols). */
export async function readIdxImages(file: string): Promise<{ pixels: Float32Array; count: number; rows: number; cols: number }> {
  const { dims, data } = await readIdx(file, 3);
  const [count, rows, cols] = dims as [number, number, number];
  return { pixels: bytesToUnit(data), count, rows, cols };
}

/** Integer labels from an IDX label file (rank 1). */
export async function readIdxLabels(file: string): Promise<Int32Array> {
  return Int32Array.from((await readIdx(file, 1)).data);
}

/** Pixel bytes 0..255 to floats in [0, 1]. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] as number) / 255;
  return out;
}
