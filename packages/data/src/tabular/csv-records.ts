/**
 * The records of a CSV/TSV file, parsed by csv-parse a piece at a time: constant memory whatever the file size, and
 * synchronous, so a batch iterator built on it is a plain Iterable (what the trainer's `TrainData` asks for).
 *
 * Pieces end at a line break; a piece that ends inside a quoted field (csv-parse reports the quote as not closed)
 * is grown with the next piece and parsed again, so quoted line breaks are read correctly.
 *
 * A piece with no quote character at all is split on line breaks and delimiters directly: without quotes a field
 * can hold neither, so the result is the same records csv-parse gives (a test checks this), about five times faster,
 * which matters for files of gigabytes.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LatentkitError, parseError } from '@latentkit/core/base';
import { parse } from 'csv-parse/sync';

const PIECE_BYTES = 1 << 20;
const QUOTE = 0x22;

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line of the file where the record ends. */
  readonly line: number;
}

function cannotRead(file: string, e: unknown): LatentkitError {
  const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
  return new LatentkitError('FILE_NOT_FOUND', `${file}: cannot read (${reason})`, { file }, { cause: e });
}

/** The bytes of a file in pieces; a gzip file (by its magic bytes) is inflated whole first. */
function* filePieces(file: string): Generator<Buffer> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw cannotRead(file, e);
  }
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    if (n === 2 && head[0] === 0x1f && head[1] === 0x8b) {
      let text: Buffer;
      try {
        text = gunzipSync(readFileSync(file));
      } catch (e) {
        throw parseError(file, undefined, 'a complete gzip stream', `a truncated or corrupt one (zlib: ${(e as Error).message})`);
      }
      for (let at = 0; at < text.length; at += PIECE_BYTES) yield text.subarray(at, at + PIECE_BYTES);
      return;
    }
    let position = 0;
    for (;;) {
      const piece = Buffer.allocUnsafe(PIECE_BYTES);
      const read = readSync(fd, piece, 0, PIECE_BYTES, position);
      if (read === 0) return;
      position += read;
      yield piece.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

function countLines(bytes: Buffer): number {
  let n = 0;
  let at = bytes.indexOf(10);
  while (at >= 0) {
    n++;
    at = bytes.indexOf(10, at + 1);
  }
  return n;
}

/** The delimiter of a file: tab for `.tsv`/`.tab`, else whichever of `,` `;` tab `|` is most frequent in the header. */
export function sniffDelimiter(file: string, headerLine: string): string {
  const ext = extname(file.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return '\t';
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const count = headerLine.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** The first line of a file (for sniffing), read from its first piece. */
export function firstLine(file: string): string {
  for (const piece of filePieces(file)) {
    const text = piece.toString('utf8');
    const end = text.search(/\r?\n/);
    return (end < 0 ? text : text.slice(0, end)).replace(/^\uFEFF/, '');
  }
  return '';
}

interface ParsedRecord {
  record: string[];
  line: number;
}

/** Records of a piece without quotes: lines split on the delimiter; empty lines skipped, as csv-parse does. */
function splitPiece(piece: Buffer, delimiter: string, bom: boolean): ParsedRecord[] {
  let text = piece.toString('utf8');
  if (bom && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const out: ParsedRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line !== '') out.push({ record: line.split(delimiter), line: i + 1 });
  }
  return out;
}

/** Records of a piece by csv-parse, each with the (piece-relative) line it ends on. */
function parsePiece(piece: Buffer, delimiter: string, bom: boolean): ParsedRecord[] {
  const lines: number[] = [];
  const records = parse(piece, {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    bom,
    on_record: (record, context) => {
      lines.push(context.lines);
      return record;
    },
  });
  return records.map((record, i) => ({ record, line: lines[i] as number }));
}

/** Which parser read a piece: for tests that compare the two. */
export type PieceParser = 'auto' | 'csv-parse';

/**
 * Every record of the file, the header first, with its line. Records whose fields are all empty (such as the
 * `;;;;` lines after the UCI Air Quality data) are skipped. Errors name the file and line.
 */
export function* csvRecords(file: string, delimiter: string, parser: PieceParser = 'auto'): Generator<CsvRecord> {
  let carry: Buffer = Buffer.alloc(0);
  let lineBase = 0;
  let first = true;
  let more = true;
  const pieces = filePieces(file);
  while (more || carry.length > 0) {
    let piece = carry;
    let cut = -1;
    // Gather pieces until there is a line break to cut at (or the file ends).
    while (more) {
      const next = pieces.next();
      if (next.done) {
        more = false;
        break;
      }
      piece = piece.length === 0 ? next.value : Buffer.concat([piece, next.value]);
      cut = piece.lastIndexOf(10);
      if (cut >= 0) break;
    }
    const end = more ? cut + 1 : piece.length;
    let parsed: ParsedRecord[];
    try {
      const part = piece.subarray(0, end);
      parsed = parser === 'auto' && part.indexOf(QUOTE) < 0 && delimiter.length > 0 ? splitPiece(part, delimiter, first) : parsePiece(part, delimiter, first);
    } catch (e) {
      const err = e as { code?: string; lines?: number; message: string };
      if (err.code === 'CSV_QUOTE_NOT_CLOSED' && more) {
        // The piece ends inside a quoted field: read on and parse the longer piece.
        carry = piece;
        const next = pieces.next();
        if (next.done) more = false;
        else carry = Buffer.concat([carry, next.value]);
        continue;
      }
      const line = err.lines === undefined ? undefined : lineBase + err.lines;
      throw parseError(file, line, 'well-formed CSV', `${err.message.replace(/\s+/g, ' ')}`);
    }
    first = false;
    for (const { record, line } of parsed) {
      if (record.every((f) => f.trim() === '')) continue;
      yield { fields: record, line: lineBase + line };
    }
    lineBase += countLines(piece.subarray(0, end));
    carry = piece.subarray(end);
    if (!more && carry.length === 0) break;
  }
}
