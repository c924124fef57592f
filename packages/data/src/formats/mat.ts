/**
 * MATLAB level-5 `.mat` files, numeric matrices only (what the ODDS outlier sets ship): a 128-byte header, then data
 * elements, each either a `miMATRIX` or a `miCOMPRESSED` (zlib) wrapping one. No npm reader is well kept (the one
 * published has a single release), and the subset needed is small, so it is read here with node:zlib.
 *
 * Version 7.3 files are HDF5 and version 4 files have no text header: both are parse errors that say so.
 */
import { inflateSync } from 'node:zlib';
import { LatentkitError, parseError } from '@latentkit/core/base';
import { readBytes } from '../io.js';
import { type NdArray, fortranToC } from './ndarray.js';

const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const ELEMENT_TYPES: Record<number, { name: string; size: number; get: (v: DataView, at: number, little: boolean) => number }> = {
  1: { name: 'int8', size: 1, get: (v, a) => v.getInt8(a) },
  2: { name: 'uint8', size: 1, get: (v, a) => v.getUint8(a) },
  3: { name: 'int16', size: 2, get: (v, a, l) => v.getInt16(a, l) },
  4: { name: 'uint16', size: 2, get: (v, a, l) => v.getUint16(a, l) },
  5: { name: 'int32', size: 4, get: (v, a, l) => v.getInt32(a, l) },
  6: { name: 'uint32', size: 4, get: (v, a, l) => v.getUint32(a, l) },
  7: { name: 'single', size: 4, get: (v, a, l) => v.getFloat32(a, l) },
  9: { name: 'double', size: 8, get: (v, a, l) => v.getFloat64(a, l) },
  12: { name: 'int64', size: 8, get: (v, a, l) => Number(v.getBigInt64(a, l)) },
  13: { name: 'uint64', size: 8, get: (v, a, l) => Number(v.getBigUint64(a, l)) },
};
const CLASS_NAMES: Record<number, string> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const NUMERIC_CLASSES = new Set([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

/** A variable of a .mat file that is not a real numeric matrix, and its class, so a caller can say what was skipped. */
export interface MatSkipped {
  readonly name: string;
  readonly className: string;
}

export interface MatFile {
  readonly variables: ReadonlyMap<string, NdArray>;
  readonly skipped: readonly MatSkipped[];
}

interface Tag {
  type: number;
  size: number;
  dataAt: number;
  next: number;
}

function readTag(view: DataView, at: number, little: boolean, file: string): Tag {
  if (at + 8 > view.byteLength) throw parseError(file, undefined, 'an 8-byte data element tag', `a truncated file at byte ${at}`);
  const first = view.getUint32(at, little);
  const small = first >>> 16;
  if (small !== 0) return { type: first & 0xffff, size: small, dataAt: at + 4, next: at + 8 };
  const size = view.getUint32(at + 4, little);
  const type = first;
  const padded = type === MI_COMPRESSED ? size : Math.ceil(size / 8) * 8;
  if (at + 8 + size > view.byteLength)
    throw parseError(file, undefined, `a ${size}-byte data element at byte ${at}`, `${view.byteLength - at - 8} bytes left (a truncated file)`);
  return { type, size, dataAt: at + 8, next: at + 8 + padded };
}

function values(view: DataView, tag: Tag, little: boolean, file: string, what: string): Float64Array {
  const t = ELEMENT_TYPES[tag.type];
  if (t === undefined) throw parseError(file, undefined, `a numeric data element for ${what}`, `element type ${tag.type}`);
  const n = tag.size / t.size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = t.get(view, tag.dataAt + i * t.size, little);
  return out;
}

/** One miMATRIX element: a numeric array (column-major in the file, returned in C order), or a skipped variable. */
function readMatrix(view: DataView, start: number, end: number, little: boolean, file: string): { name: string; array?: NdArray; className: string } {
  const flagsTag = readTag(view, start, little, file);
  const flags = view.getUint32(flagsTag.dataAt, little);
  const cls = flags & 0xff;
  const complex = (flags & 0x800) !== 0;
  const dimsTag = readTag(view, flagsTag.next, little, file);
  const dims = Array.from(values(view, dimsTag, little, file, 'the dimensions'));
  const nameTag = readTag(view, dimsTag.next, little, file);
  const name = new TextDecoder('latin1').decode(new Uint8Array(view.buffer, view.byteOffset + nameTag.dataAt, nameTag.size));
  const className = `${complex ? 'complex ' : ''}${CLASS_NAMES[cls] ?? `class ${cls}`}`;
  if (!NUMERIC_CLASSES.has(cls) || complex) return { name, className };
  const realTag = readTag(view, nameTag.next, little, file);
  if (realTag.dataAt > end) throw parseError(file, undefined, `the values of variable "${name}"`, 'a truncated matrix element');
  const data = values(view, realTag, little, file, `variable "${name}"`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw parseError(file, undefined, `${count} values for "${name}" (${dims.join('×')})`, `${data.length}`);
  return { name, className, array: { dims, data: fortranToC(data, dims), dtype: CLASS_NAMES[cls] as string } };
}

/** Parses the bytes of a level-5 .mat file into its numeric variables. */
export function parseMat(bytes: Uint8Array, file: string): MatFile {
  if (bytes.length >= 8 && bytes[0] === 0x89 && String.fromCharCode(...bytes.subarray(1, 4)) === 'HDF') {
    throw parseError(file, undefined, 'a MATLAB level-5 .mat file', 'an HDF5 file (MATLAB v7.3): save it with -v7 or as .npy/.csv');
  }
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(116, bytes.length)));
  if (bytes.length < 128 || !text.startsWith('MATLAB')) {
    throw parseError(
      file,
      undefined,
      'a MATLAB level-5 .mat file (a 128-byte header starting "MATLAB 5.0 MAT-file")',
      'no such header (a v4 .mat file or another format)',
    );
  }
  const endian = String.fromCharCode(bytes[126] as number, bytes[127] as number);
  if (endian !== 'IM' && endian !== 'MI') throw parseError(file, undefined, 'endian indicator "IM" or "MI" at byte 126', JSON.stringify(endian));
  const little = endian === 'IM';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(124, little);
  if (version !== 0x0100) {
    throw parseError(
      file,
      undefined,
      'a MATLAB level-5 .mat file (version 0x0100)',
      `version 0x${version.toString(16).padStart(4, '0')}${version === 0x0200 ? ' (v7.3, HDF5)' : ''}`,
    );
  }
  const variables = new Map<string, NdArray>();
  const skipped: MatSkipped[] = [];
  const take = (v: DataView, at: number, tag: Tag) => {
    const m = readMatrix(v, at, at + tag.size, little, file);
    if (m.array === undefined) skipped.push({ name: m.name, className: m.className });
    else variables.set(m.name, m.array);
  };
  for (let at = 128; at < bytes.length; ) {
    const tag = readTag(view, at, little, file);
    if (tag.type === MI_COMPRESSED) {
      let inner: Buffer;
      try {
        inner = inflateSync(bytes.subarray(tag.dataAt, tag.dataAt + tag.size));
      } catch (e) {
        throw parseError(file, undefined, `a complete zlib stream at byte ${at}`, `a truncated or corrupt one (zlib: ${(e as Error).message})`);
      }
      const iv = new DataView(inner.buffer, inner.byteOffset, inner.byteLength);
      const innerTag = readTag(iv, 0, little, file);
      if (innerTag.type === MI_MATRIX) take(iv, innerTag.dataAt, innerTag);
    } else if (tag.type === MI_MATRIX) take(view, tag.dataAt, tag);
    at = tag.next;
  }
  return { variables, skipped };
}

export async function readMat(file: string): Promise<MatFile> {
  return parseMat(await readBytes(file), file);
}

/** One variable of a .mat file, or an error that lists the variables it has. */
export function matVariable(mat: MatFile, name: string, file: string): NdArray {
  const v = mat.variables.get(name);
  if (v !== undefined) return v;
  const has = [...mat.variables.keys(), ...mat.skipped.map((s) => `${s.name} (${s.className}, not read)`)];
  throw new LatentkitError('PARSE_ERROR', `${file}: expected a numeric variable "${name}", got variables ${has.join(', ') || 'none'}`, {
    file,
    variable: name,
  });
}
