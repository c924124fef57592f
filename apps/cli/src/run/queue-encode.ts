/**
 * `encode --input <big file> --queue <url>`: the coordinator cuts a line-based input (CSV/TSV with its header on
 * every piece, JSON Lines, text, SMILES) into chunk files on the shared run root, one queue job per chunk; a worker
 * encodes its chunk file through the run's preprocessing and writes the codes once (see @latentkit/sweep's chunks);
 * the coordinator concatenates them in input order. Cutting the file up front keeps each worker's memory to one
 * chunk and the total work linear in the file, whatever the format's reader needs.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { type BackendChoice, LatentkitError, initEngine, writeFileAtomic } from '@latentkit/core';
import { type Model, loadModel } from '@latentkit/models';
import type { ChunkProcessor, RowRange } from '@latentkit/sweep';
import { type CodeFormat, codesFile } from '../io/codes-file.js';
import { encodeCodes } from './encode-codes.js';
import { inputBatches } from './input-data.js';
import { modelDirOf, readRunSpec } from './run-folder.js';

/** Formats a file can be cut into by lines; the first line of CSV/TSV is its header, copied to every piece. */
const LINE_FORMATS: Readonly<Record<string, { readonly header: boolean }>> = {
  '.csv': { header: true },
  '.tsv': { header: true },
  '.jsonl': { header: false },
  '.txt': { header: false },
  '.smi': { header: false },
};

export const chunkInputFile = (taskDir: string, index: number, ext: string) => path.join(taskDir, `input-${String(index).padStart(6, '0')}${ext}`);

/** `<kind>-<12 hex>`: the same run and model, input file (path, size, time) and options give the same task, so a rerun resumes. */
export function chunkTaskId(kind: string, run: string, input: string, options: Record<string, unknown>): string {
  const stat = fs.statSync(input);
  const key = JSON.stringify([path.resolve(run), modelStamp(run), path.resolve(input), stat.size, stat.mtimeMs, options]);
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

/** The model's files (name, size, time): a run retrained in place makes new tasks, never reusing the old model's chunks. */
function modelStamp(run: string): string[] {
  const dir = modelDirOf(run);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => {
      const st = fs.statSync(path.join(dir, name));
      return `${name}:${st.size}:${st.mtimeMs}`;
    });
}

export const encodeTaskId = (run: string, input: string, options: Record<string, unknown>) => chunkTaskId('encode', run, input, options);

/** Cuts `input` into pieces of `chunkRows` records in `taskDir` (kept when a rerun finds them); returns their ranges. */
export async function splitInput(input: string, taskDir: string, chunkRows: number): Promise<{ ranges: RowRange[]; ext: string }> {
  const ext = path.extname(input).toLowerCase();
  const format = LINE_FORMATS[ext];
  if (format === undefined)
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `--queue: the input is cut into pieces by lines: expected a .csv, .tsv, .jsonl, .txt or .smi file, got ${input}`,
      {
        argument: '--input',
      },
    );
  const manifest = path.join(taskDir, 'input-chunks.json');
  if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')) as { ranges: RowRange[]; ext: string };
  fs.mkdirSync(taskDir, { recursive: true });
  const ranges: RowRange[] = [];
  let header: string | undefined;
  let piece: string[] = [];
  let start = 0;
  let row = 0;
  let lineNo = 0;
  const flush = () => {
    if (piece.length === 0) return;
    const index = ranges.length;
    writeFileAtomic(chunkInputFile(taskDir, index, ext), `${header === undefined ? '' : `${header}\n`}${piece.join('\n')}\n`);
    ranges.push({ index, start, end: row });
    start = row;
    piece = [];
  };
  const lines = readline.createInterface({ input: fs.createReadStream(input, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lineNo++;
    if (format.header && header === undefined) {
      header = line;
      continue;
    }
    if (line.trim() === '') continue;
    // A quoted field holding a line break would be cut in two.
    if (format.header && (line.split('"').length - 1) % 2 === 1)
      throw new LatentkitError('PARSE_ERROR', `${input}:${lineNo}: a quoted field spans lines, which --queue cannot cut; run without --queue`, {
        file: input,
      });
    piece.push(line);
    row++;
    if (piece.length === chunkRows) flush();
  }
  flush();
  if (ranges.length === 0) throw new LatentkitError('PARSE_ERROR', `${input}: expected at least one record, got none`, { file: input });
  writeFileAtomic(manifest, JSON.stringify({ ranges, ext }));
  return { ranges, ext };
}

/** The header line the assembled CSV starts with, or nothing for JSON Lines. */
export function codesHeader(format: CodeFormat, dim: number, labelled: boolean): string {
  return format === 'csv' ? `${[...(labelled ? ['label'] : []), ...Array.from({ length: dim }, (_, j) => `z${j}`)].join(',')}\n` : '';
}

/** The worker's `encode` processor: a chunk file in, its codes out (CSV without the header, or JSON Lines). */
export function encodeChunkProcessor(log: (line: string) => void, backend: string): ChunkProcessor {
  const models = new Map<string, Model>();
  let engine: Promise<unknown> | undefined;
  return {
    process: async ({ input, range, args }) => {
      // The worker's trials run in processes of their own; chunks run here, on an engine started at the first one.
      engine ??= initEngine({ backend: backend as BackendChoice });
      await engine;
      const run = String(args.run);
      const format = args.format as CodeFormat;
      const file = chunkInputFile(input, range.index, String(args.ext));
      const spec = await readRunSpec(run);
      let model = models.get(run);
      if (model === undefined) {
        model = loadModel(modelDirOf(run));
        models.set(run, model);
      }
      const batches = await inputBatches(run, spec, file, spec.batchSize, log);
      const codes = encodeCodes(model, batches, args.which === 'code' ? 'code' : 'latent', Number.POSITIVE_INFINITY);
      if (codes.n !== range.end - range.start)
        throw new LatentkitError('PARSE_ERROR', `${file}: expected ${range.end - range.start} records, read ${codes.n}`, { file });
      const text = codesFile(codes.values, codes.n, codes.dim, format, codes.labels).toString('utf8');
      return format === 'csv' ? text.slice(text.indexOf('\n') + 1) : text;
    },
  };
}
