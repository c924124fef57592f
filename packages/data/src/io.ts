/**
 * File access shared by every loader: one place that turns a missing file, a truncated gzip stream or an empty file
 * into a LatentkitError that names the file.
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

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads a file and gunzips it when its first bytes say it is gzip, whatever its name. */
export async function readMaybeGzipped(file: string): Promise<Buffer> {
  const bytes = await readBytes(file);
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (e) {
    throw parseError(file, undefined, 'a complete gzip stream', `a truncated or corrupt one (zlib: ${(e as Error).message})`);
  }
}

/**
 * The lines of a text file, without line terminators (LF or CRLF). A final newline does not make an extra line.
 * An empty file is an error: every format read here has at least one record.
 */
export async function readLines(file: string): Promise<string[]> {
  const text = (await readBytes(file)).toString('utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw parseError(file, undefined, 'at least one line', 'an empty file');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}
