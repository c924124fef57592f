/**
 * Chunked batch work over a big file: rows [0, n) split into row ranges; each chunk's output is written exactly once
 * to a file named by its index (a temp file hard-linked into place: the link fails if the file exists, so two
 * workers finishing the same chunk cannot both write it, and a half-written file is never visible); the output is
 * the chunks concatenated in index order, so it keeps the input's order whatever order the chunks finished in.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core/base';

export interface RowRange {
  readonly index: number;
  /** First row, inclusive. */
  readonly start: number;
  /** Last row, exclusive. */
  readonly end: number;
}

export function planChunks(totalRows: number, chunkRows: number): RowRange[] {
  if (!(Number.isInteger(totalRows) && totalRows >= 0)) throw new LatentkitError('INVALID_ARGUMENT', `row count: expected an integer ≥ 0, got ${totalRows}`);
  if (!(Number.isInteger(chunkRows) && chunkRows >= 1)) throw new LatentkitError('INVALID_ARGUMENT', `--chunk-rows: expected an integer ≥ 1, got ${chunkRows}`);
  return Array.from({ length: Math.ceil(totalRows / chunkRows) }, (_, index) => ({
    index,
    start: index * chunkRows,
    end: Math.min(totalRows, (index + 1) * chunkRows),
  }));
}

/** Processes rows [start, end) of `input` and returns their output bytes (e.g. codes as CSV lines). */
export type ChunkProcess = (job: { input: string; range: RowRange; args: Record<string, unknown>; signal: AbortSignal }) => Promise<string | Uint8Array>;

/** A processor a worker offers under a name; `parseArgs` validates the job's args (throw INVALID_CONFIG). */
export interface ChunkProcessor {
  readonly parseArgs?: (args: unknown) => Record<string, unknown>;
  readonly process: ChunkProcess;
}

export const chunkFile = (dir: string, index: number) => path.join(dir, `chunk-${String(index).padStart(6, '0')}.part`);

/** Writes `data` as `file` unless it already exists; true when this call wrote it. */
export function writeChunkOnce(file: string, data: string | Uint8Array): boolean {
  if (fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: cannot write the chunk (${(e as Error).message})`, { file });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Concatenates the chunks of `ranges` from `dir` into `outFile` in index order (atomically); names missing chunks. */
export function assembleChunks(dir: string, ranges: readonly RowRange[], outFile: string, header: string | Uint8Array = ''): void {
  const missing = ranges.filter((r) => !fs.existsSync(chunkFile(dir, r.index)));
  if (missing.length) {
    throw new LatentkitError(
      'FILE_NOT_FOUND',
      `${dir}: ${missing.length} chunk(s) missing (first: ${missing
        .slice(0, 5)
        .map((r) => `#${r.index} rows ${r.start}–${r.end - 1}`)
        .join(', ')})`,
      { file: dir },
    );
  }
  const tmp = `${outFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  const fd = fs.openSync(tmp, 'w');
  try {
    if (header.length) fs.writeSync(fd, typeof header === 'string' ? Buffer.from(header) : header);
    for (const r of ranges) fs.writeSync(fd, fs.readFileSync(chunkFile(dir, r.index)));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, outFile);
}

/** The embedded mode of chunked work: `parallel` chunks at a time in this process, same files as the queue's. */
export async function runLocalChunks(options: {
  input: string;
  ranges: readonly RowRange[];
  dir: string;
  processor: ChunkProcessor;
  args?: Record<string, unknown>;
  parallel?: number;
  signal?: AbortSignal;
}): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  const args = options.processor.parseArgs ? options.processor.parseArgs(options.args ?? {}) : (options.args ?? {});
  let next = 0;
  const lane = async () => {
    while (next < options.ranges.length && !signal.aborted) {
      const range = options.ranges[next++] as RowRange;
      const file = chunkFile(options.dir, range.index);
      if (fs.existsSync(file)) continue;
      writeChunkOnce(file, await options.processor.process({ input: options.input, range, args, signal }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 1) }, lane));
}

/** Writes a small JSON file describing a chunked task next to its chunks (what ran, for people reading the folder). */
export function writeTaskManifest(dir: string, manifest: Record<string, unknown>): void {
  writeFileAtomic(path.join(dir, 'task.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
