/** Reading a text file that may be gzip-compressed, with missing files and broken gzip streams as LatentkitErrors. */
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { LatentkitError, parseError } from '@latentkit/core/base';
import { isGzip } from '@latentkit/data';

const gunzipAsync = promisify(gunzip);

/** The file's text (UTF-8), gunzipped first when its first bytes are the gzip magic number, whatever its name. */
export async function readMaybeGzippedText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: cannot read (${reason})`, { file }, { cause: e });
  }
  if (!isGzip(bytes)) return bytes.toString('utf8');
  try {
    return (await gunzipAsync(bytes)).toString('utf8');
  } catch (e) {
    throw parseError(file, undefined, 'a complete gzip stream', `a truncated or corrupt one (zlib: ${(e as Error).message})`);
  }
}
