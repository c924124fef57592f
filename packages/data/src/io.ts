/**
 * File access shared by every loader: one place that turns a missing file, a truncated gzip stream or an empty file
 * into a LatentkitError that names the file, that bounds what a gzip file may expand to, and that notices binary
 * bytes read as text.
 */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { LatentkitError, parseError } from '@latentkit/core/base';

const gunzipAsync = promisify(gunzip);

/** Reads a whole file; a missing or unreadable file becomes a FILE_NOT_FOUND error naming it. */
export async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: cannot read (${reason})`, { file }, { cause: e });
  }
}

/**
 * Awaits every promise, like Promise.all, but rejects with the first failure in the order given rather than the first
 * to happen: a dataset with two missing files always names the same one, whichever read the disk answered first.
 */
export async function allInOrder<T extends readonly unknown[]>(promises: { readonly [K in keyof T]: Promise<T[K]> | T[K] }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Default cap on what a gzip file may decompress to: 1 GiB (MNIST's largest file is 47 MB). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 2 ** 30;

export interface GunzipOptions {
  /** Refuse a gzip file that decompresses to more than this many bytes. Default DEFAULT_MAX_DECOMPRESSED_BYTES. */
  readonly maxDecompressedBytes?: number;
}

/** The size a gzip stream declares in its trailer (ISIZE: the uncompressed length mod 2^32, little-endian). */
export function gzipDeclaredSize(bytes: Uint8Array): number | undefined {
  if (bytes.length < 18) return undefined; // 10-byte header + 8-byte trailer
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true);
}

/**
 * Reads a file and gunzips it when its first bytes say it is gzip, whatever its name. A gzip bomb (488 KB that
 * expand to 3 GB) is refused before it fills memory: the output may not exceed the size the trailer declares, nor
 * `maxDecompressedBytes`; zlib stops as soon as it passes the cap. (A multi-member gzip file, whose trailer gives
 * only the last member's size, is refused too: gunzip it first.)
 */
export async function readMaybeGzipped(file: string, options: GunzipOptions = {}): Promise<Buffer> {
  const bytes = await readBytes(file);
  if (!isGzip(bytes)) return bytes;
  const limit = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const declared = gzipDeclaredSize(bytes);
  if (declared !== undefined && declared > limit) {
    throw parseError(file, undefined, `a gzip file of at most ${limit} bytes decompressed (maxDecompressedBytes)`, `one that declares ${declared}`);
  }
  const cap = declared === undefined ? limit : declared;
  let out: Buffer;
  try {
    out = await gunzipAsync(bytes, { maxOutputLength: Math.max(cap, 1) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      const why = declared === undefined ? `the limit of ${limit} bytes (maxDecompressedBytes)` : `the ${declared} bytes its trailer declares`;
      throw parseError(file, undefined, `gzip data that decompresses to at most ${why}`, 'more (a gzip bomb, a corrupt file or a multi-member one)');
    }
    throw parseError(file, undefined, 'a complete gzip stream', `a truncated or corrupt one (zlib: ${(e as Error).message})`);
  }
  // zlib itself checks the output against the trailer's CRC and length.
  return out;
}

/** What `binaryShare` found in bytes meant to be text. */
export interface BinaryEvidence {
  readonly nulBytes: number;
  /** Byte sequences that are not UTF-8 (each decoded as U+FFFD). */
  readonly invalidUtf8: number;
  readonly bytes: number;
}

/** A file is reported as binary when it holds a NUL byte or more than this share of its characters is not UTF-8. */
export const BINARY_INVALID_UTF8_SHARE = 0.01;

export function binaryEvidence(bytes: Uint8Array, text: string): BinaryEvidence {
  let nulBytes = 0;
  for (const b of bytes) if (b === 0) nulBytes++;
  let invalidUtf8 = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) invalidUtf8++;
  return { nulBytes, invalidUtf8, bytes: bytes.length };
}

export function looksBinary(e: BinaryEvidence, characters: number): boolean {
  return e.nulBytes > 0 || e.invalidUtf8 > BINARY_INVALID_UTF8_SHARE * Math.max(characters, 1);
}

export interface ReadLinesOptions {
  /** Told (once) when the file looks binary. Default: `process.emitWarning`, so it is never silent. */
  readonly onWarning?: (message: string) => void;
}

/** The default `onWarning`: a Node process warning of type LatentkitWarning (printed on stderr unless handled). */
export function emitLatentkitWarning(message: string): void {
  process.emitWarning(message, 'LatentkitWarning');
}

/**
 * The lines of a text file, without line terminators (LF or CRLF). A final newline does not make an extra line.
 * An empty file is an error: every format read here has at least one record.
 */
export async function readLines(file: string, options: ReadLinesOptions = {}): Promise<string[]> {
  const bytes = await readBytes(file);
  const text = bytes.toString('utf8');
  const evidence = binaryEvidence(bytes, text);
  if (looksBinary(evidence, text.length)) {
    (options.onWarning ?? emitLatentkitWarning)(
      `${file}: looks like binary data, not text (${evidence.nulBytes} NUL bytes and ${evidence.invalidUtf8} invalid UTF-8 sequences in ${evidence.bytes} bytes); reading it as text anyway`,
    );
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw parseError(file, undefined, 'at least one line', 'an empty file');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}
