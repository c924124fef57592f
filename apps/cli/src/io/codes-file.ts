/**
 * Latent codes to disk as .npy (NumPy format 1.0, float32 little-endian, C order), CSV or JSON lines.
 */
import { invalidArgument } from '@latentkit/core/base';

export const CODE_FORMATS = ['npy', 'csv', 'jsonl'] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];

export function formatFromPath(file: string): CodeFormat {
  const ext = file.split('.').pop()?.toLowerCase();
  if (ext && (CODE_FORMATS as readonly string[]).includes(ext)) return ext as CodeFormat;
  throw invalidArgument('--out', `a file name ending in .${CODE_FORMATS.join(', .')} (or pass --format)`, file);
}

/** A .npy file: magic, version 1.0, a header dict padded so the data starts on a 64-byte boundary. */
export function npyBytes(values: Float32Array, shape: readonly number[]): Buffer {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) throw invalidArgument('shape', `dimensions multiplying to ${values.length}`, shape);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const preamble = 10; // magic (6) + version (2) + header length (2)
  header += ' '.repeat(63 - ((preamble + header.length) % 64)) + '\n';
  const out = Buffer.alloc(preamble + header.length + values.byteLength);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, preamble, 'latin1');
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(out, preamble + header.length);
  return out;
}

/** Codes [n, dim] with optional labels, as the requested format. CSV and JSONL carry the label as a column/field. */
export function codesFile(codes: Float32Array, n: number, dim: number, format: CodeFormat, labels?: ArrayLike<number>): Buffer {
  if (format === 'npy') return npyBytes(codes, [n, dim]);
  const rows: string[] = [];
  if (format === 'csv') rows.push([...(labels ? ['label'] : []), ...Array.from({ length: dim }, (_, j) => `z${j}`)].join(','));
  for (let i = 0; i < n; i++) {
    const z = Array.from(codes.subarray(i * dim, (i + 1) * dim));
    if (format === 'csv') rows.push([...(labels ? [labels[i]] : []), ...z].join(','));
    else rows.push(JSON.stringify(labels ? { label: labels[i], z } : { z }));
  }
  return Buffer.from(`${rows.join('\n')}\n`);
}
