/**
 * `score --input <big file> --queue <url>`: workers score chunks of the input; the output equals one-process `score`.
 *
 * Three things make a chunk's scores the one-pass scores. Record numbers are global: a job carries its first row.
 * The random draws of the ELBO and IW bound are seeded per batch by the index of the batch's first record
 * (`anomalyScores`' firstRecord), and chunks start on batch boundaries (the chunk size is rounded up to a multiple of
 * the run's batch size), so every batch, and its draws, is the one-pass batch. The flag threshold is the run's saved
 * calibration, calibrated here first when missing, and travels in the job.
 *
 * A series is chunked by windows, not readings: a reading's score is the mean (or max) of every window covering it,
 * and those windows can fall in two chunks, so a worker scores its windows only (its input is the readings they
 * cover, which overlap the next chunk's by window − stride) and the coordinator maps all window scores onto the
 * readings with the same `readingScores` as one-process `score`, in the same order, to the same bits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type BackendChoice, LatentkitError, acquireDirLock, initEngine, writeFileAtomic } from '@latentkit/core';
import { parseConfig, z } from '@latentkit/core/schema';
import { type AnomalyScores, SCORE_KINDS, type ScoreKind, checkFpr, flagScores, fromModel, scoreOf, windowStarts } from '@latentkit/eval';
import { type Model, loadModel } from '@latentkit/models';
import { type ChunkProcessor, type RowRange, assembleChunks, chunkFile, planChunks, runQueueChunks } from '@latentkit/sweep';
import type { ProgressBar } from '../progress.js';
import { inputBatches } from './input-data.js';
import { chunkInputFile, chunkTaskId, splitInput } from './queue-encode.js';
import { modelDirOf, readRunSpec } from './run-folder.js';
import {
  type ScoreOptions,
  type ScoreResult,
  calibrationFor,
  finishScores,
  perReadingScores,
  insideWindows,
  readLabelWindows,
  scoreHeader,
  scoreKindFor,
  scoreLine,
  scoreTable,
  scoreWindows,
  tableTruth,
  writeScoreFile,
} from './score-run.js';
import { readSeries, readSeriesConfig } from './series-windows.js';

export interface QueueScoreOptions extends ScoreOptions {
  readonly queue: string;
  readonly runsDir: string;
  /** Records (a series: windows) per chunk; rounded up to a multiple of the run's batch size. */
  readonly chunkRows: number;
  readonly bar: (label: string, total: number, unit?: string) => ProgressBar;
}

const calibrationSchema = z.strictObject({ threshold: z.number(), scoreKind: z.enum(SCORE_KINDS) });

/** What a `score` chunk job carries: a run folder and settings, validated on the worker like any queue config. */
const scoreArgsSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('table'),
    run: z.string().min(1),
    ext: z.string().regex(/^\.[a-z]+$/),
    kinds: z.array(z.enum(SCORE_KINDS)).min(1),
    importanceSamples: z.number().int().min(0),
    seed: z.number().int(),
    calibration: calibrationSchema,
    truth: z.boolean(),
  }),
  z.strictObject({
    mode: z.literal('series'),
    run: z.string().min(1),
    length: z.number().int().min(1),
    window: z.number().int().min(2),
    stride: z.number().int().min(1),
    importanceSamples: z.number().int().min(0),
    seed: z.number().int(),
  }),
]);
type ScoreArgs = z.output<typeof scoreArgsSchema>;

const seriesChunkFile = (taskDir: string, index: number) => path.join(taskDir, `readings-${String(index).padStart(6, '0')}.txt`);

/** The chunk size made a multiple of the batch size, so that chunks start on the one-pass batch boundaries. */
export function alignedChunkRows(chunkRows: number, batchSize: number): number {
  return Math.ceil(chunkRows / batchSize) * batchSize;
}

export async function scoreOnQueue(dir: string, input: string, out: string, options: QueueScoreOptions): Promise<ScoreResult> {
  checkFpr(options.fpr, '--fpr');
  const run = path.resolve(dir);
  const lock = acquireDirLock(run, 'score');
  try {
    return await scoreOnQueueLocked(run, path.resolve(input), out, options);
  } finally {
    lock.release();
  }
}

async function scoreOnQueueLocked(run: string, input: string, out: string, options: QueueScoreOptions): Promise<ScoreResult> {
  const { log } = options;
  const spec = await readRunSpec(run);
  const series = readSeriesConfig(run);
  if (options.window !== undefined && !series) {
    throw new LatentkitError('INVALID_ARGUMENT', `--window: ${run} was not trained on series windows; train it with --window to score a series`);
  }
  if (series && options.window !== undefined && options.window !== series.window) {
    throw new LatentkitError('INVALID_ARGUMENT', `--window ${options.window}: the run's model reads windows of ${series.window} readings`);
  }
  const chunkRows = alignedChunkRows(options.chunkRows, spec.batchSize);
  if (chunkRows !== options.chunkRows)
    log(`--chunk-rows ${options.chunkRows} rounded up to ${chunkRows}, a multiple of the run's batch size ${spec.batchSize}`);
  const model = loadModel(modelDirOf(run));
  try {
    const kind = scoreKindFor(model, options);
    const kinds = modelKinds(model, options.importanceSamples);
    if (!kinds.includes(kind))
      throw new LatentkitError('UNSUPPORTED', `--score: "${kind}" needs a model with a density (and --importance-samples > 0 for the IW bound)`);
    const stride = options.stride ?? series?.stride ?? 1;
    const settings = { importanceSamples: options.importanceSamples, seed: options.seed };
    const runsDir = path.resolve(options.runsDir);
    // The input's pieces, kept for any later score of the same file; the scores go to a task of their own.
    const inputDir = path.join(runsDir, chunkTaskId('score-input', run, input, series ? { chunkRows, window: series.window, stride } : { chunkRows }));
    const queued = async (ranges: readonly RowRange[], args: ScoreArgs, unit: string): Promise<string> => {
      const taskId = chunkTaskId('score', run, input, { ...args, chunkRows });
      log(`${input}: ${ranges.at(-1)?.end ?? 0} ${unit} in ${ranges.length} chunk(s) under ${inputDir}; scores under ${path.join(runsDir, taskId)}`);
      const bar = options.bar('score', ranges.length, 'chunks');
      try {
        await runQueueChunks({ url: options.queue, taskId, processor: 'score', args, input: inputDir, ranges, log, onChunkDone: () => bar.tick() });
      } finally {
        bar.stop();
      }
      return path.join(runsDir, taskId);
    };
    if (series) {
      // The series is read here: the coordinator maps the window scores back onto its readings.
      const readings = await readSeries(input);
      const starts = windowStarts(readings.values.length, series.window, stride);
      const ranges = splitSeries(readings.values, starts, series.window, inputDir, chunkRows);
      const calibration = await calibrationFor(run, spec, model, kind, options);
      const taskDir = await queued(ranges, { mode: 'series', run, length: readings.values.length, window: series.window, stride, ...settings }, 'windows');
      const windowScores = readWindowScores(taskDir, ranges, kinds, options.importanceSamples);
      const scores = perReadingScores(windowScores, starts, series.window, readings.values.length, options.aggregate);
      const flagged = flagScores(scoreOf(scores, kind), calibration);
      const windows = options.labelWindows ? readLabelWindows(options.labelWindows, input) : undefined;
      const truth = windows && insideWindows(readings.timestamps, windows);
      writeScoreFile(out, scores, flagged, truth, readings);
      return await finishScores(run, input, out, {
        kind,
        calibration,
        scores,
        flagged,
        truth,
        series: { series: readings, ...(windows && { windows }) },
        report: options.report,
      });
    }
    const { ranges, ext } = await splitInput(input, inputDir, chunkRows);
    // The columns are checked here, before the calibration and the queue: a wrong file fails at once.
    const first = chunkInputFile(inputDir, 0, ext);
    await inputBatches(run, spec, first, spec.batchSize, () => {});
    const truth = spec.data.normal !== undefined && (await tableTruth(first, spec)) !== undefined;
    const calibration = await calibrationFor(run, spec, model, kind, options);
    // The threshold is in the job, so a new calibration makes a new task.
    const taskDir = await queued(
      ranges,
      { mode: 'table', run, ext, kinds, ...settings, calibration: { threshold: calibration.threshold, scoreKind: kind }, truth },
      'records',
    );
    assembleChunks(taskDir, ranges, out, `${scoreHeader(kinds, false, truth)}\n`);
    const back = readTableScores(out, kinds, truth, options.importanceSamples);
    return await finishScores(run, input, out, { kind, calibration, ...back, series: undefined, report: options.report });
  } finally {
    model.dispose();
  }
}

/** The score kinds a model gives with K importance samples, in score-file order. */
function modelKinds(model: Model, importanceSamples: number): ScoreKind[] {
  const density = fromModel(model).likelihood !== undefined;
  return SCORE_KINDS.filter((s) => s === 'reconstruction' || (density && (s === 'negElbo' || importanceSamples > 0)));
}

/** Chunks of windows; each chunk's file holds the readings its windows cover, one per line (NaN where missing). */
function splitSeries(values: Float64Array, starts: Int32Array, window: number, taskDir: string, chunkWindows: number): RowRange[] {
  const manifest = path.join(taskDir, 'input-chunks.json');
  if (fs.existsSync(manifest)) return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { ranges: RowRange[] }).ranges;
  fs.mkdirSync(taskDir, { recursive: true });
  const ranges = planChunks(starts.length, chunkWindows);
  for (const r of ranges) {
    const from = starts[r.start] as number;
    const to = (starts[r.end - 1] as number) + window;
    // String(v) reads back as the same double, NaN as NaN.
    writeFileAtomic(seriesChunkFile(taskDir, r.index), `${Array.from(values.subarray(from, to), String).join('\n')}\n`);
  }
  writeFileAtomic(manifest, JSON.stringify({ ranges }));
  return ranges;
}

/** The window scores the workers wrote, in window order: one line per window, a cell per score kind. */
function readWindowScores(taskDir: string, ranges: readonly RowRange[], kinds: readonly ScoreKind[], importanceSamples: number): AnomalyScores {
  const count = ranges.at(-1)?.end ?? 0;
  const columns = new Map<ScoreKind, Float64Array>(kinds.map((k) => [k, new Float64Array(count)]));
  for (const r of ranges) {
    const file = chunkFile(taskDir, r.index);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length !== r.end - r.start)
      throw new LatentkitError('PARSE_ERROR', `${file}: expected ${r.end - r.start} window scores, got ${lines.length}`, { file });
    lines.forEach((line, i) => {
      const cells = line.split(',');
      kinds.forEach((k, j) => {
        (columns.get(k) as Float64Array)[r.start + i] = finiteCell(cells[j], file, i);
      });
    });
  }
  return {
    count,
    reconstruction: columns.get('reconstruction') as Float64Array,
    negElbo: columns.get('negElbo') ?? null,
    negImportanceWeighted: columns.get('negImportanceWeighted') ?? null,
    importanceSamples: columns.has('negElbo') ? importanceSamples : 0,
  };
}

function finiteCell(cell: string | undefined, file: string, line: number): number {
  const v = cell === undefined || cell === '' ? Number.NaN : Number(cell);
  if (!Number.isFinite(v)) throw new LatentkitError('PARSE_ERROR', `${file}:${line + 1}: expected a finite score, got "${cell ?? ''}"`, { file });
  return v;
}

/** The assembled table scores read back (the metrics and report pages need them all). */
function readTableScores(
  out: string,
  kinds: readonly ScoreKind[],
  truth: boolean,
  importanceSamples: number,
): { scores: AnomalyScores; flagged: Uint8Array; truth: Int8Array | undefined } {
  const lines = fs.readFileSync(out, 'utf8').split('\n').slice(1);
  if (lines.at(-1) === '') lines.pop();
  const n = lines.length;
  const columns = new Map<ScoreKind, Float64Array>(kinds.map((k) => [k, new Float64Array(n)]));
  const flagged = new Uint8Array(n);
  const known = truth ? new Int8Array(n) : undefined;
  lines.forEach((line, i) => {
    const cells = line.split(',');
    if (Number(cells[0]) !== i)
      throw new LatentkitError('PARSE_ERROR', `${out}:${i + 2}: expected record ${i}, got "${cells[0]}" (a chunk out of place)`, { file: out });
    kinds.forEach((k, j) => {
      (columns.get(k) as Float64Array)[i] = finiteCell(cells[1 + j], out, i + 1);
    });
    flagged[i] = cells[1 + kinds.length] === '1' ? 1 : 0;
    if (known) known[i] = cells[2 + kinds.length] === '' ? -1 : Number(cells[2 + kinds.length]);
  });
  const scores: AnomalyScores = {
    count: n,
    reconstruction: columns.get('reconstruction') as Float64Array,
    negElbo: columns.get('negElbo') ?? null,
    negImportanceWeighted: columns.get('negImportanceWeighted') ?? null,
    importanceSamples: columns.has('negElbo') ? importanceSamples : 0,
  };
  return { scores, flagged, truth: known };
}

/** The worker's `score` processor: a chunk of table rows to score lines, or a chunk of series windows to window scores. */
export function scoreChunkProcessor(log: (line: string) => void, backend: string): ChunkProcessor {
  const models = new Map<string, Model>();
  let engine: Promise<unknown> | undefined;
  return {
    parseArgs: (args) => parseConfig(scoreArgsSchema, args, 'score job args'),
    process: async ({ input, range, args: raw }) => {
      const args = raw as ScoreArgs;
      // The worker's trials run in processes of their own; chunks run here, on an engine started at the first one.
      engine ??= initEngine({ backend: backend as BackendChoice });
      await engine;
      const spec = await readRunSpec(args.run);
      let model = models.get(args.run);
      if (model === undefined) {
        model = loadModel(modelDirOf(args.run));
        models.set(args.run, model);
      }
      const settings = { importanceSamples: args.importanceSamples, seed: args.seed, firstRecord: range.start };
      return args.mode === 'table'
        ? scoreTableChunk(args, input, range, spec, model, settings, log)
        : scoreSeriesChunk(args, input, range, spec, model, settings, log);
    },
  };
}

type ChunkSettings = { importanceSamples: number; seed: number; firstRecord: number };
type Spec = Awaited<ReturnType<typeof readRunSpec>>;

async function scoreTableChunk(
  args: Extract<ScoreArgs, { mode: 'table' }>,
  taskDir: string,
  range: RowRange,
  spec: Spec,
  model: Model,
  settings: ChunkSettings,
  log: (line: string) => void,
): Promise<string> {
  const file = chunkInputFile(taskDir, range.index, args.ext);
  const { scores, truth } = await scoreTable(args.run, spec, model, file, settings, log);
  if (scores.count !== range.end - range.start)
    throw new LatentkitError('PARSE_ERROR', `${file}: expected ${range.end - range.start} records, read ${scores.count}`, { file });
  if (args.truth && !truth) throw new LatentkitError('PARSE_ERROR', `${file}: expected the label column the first chunk has, found none`, { file });
  for (const k of args.kinds) if (!scores[k]) throw new LatentkitError('INVALID_CONFIG', `score job: the run's model gives no "${k}" score`);
  const kinds = args.kinds as ScoreKind[];
  const flagged = flagScores(scoreOf(scores, args.calibration.scoreKind), args.calibration);
  const lines: string[] = [];
  for (let i = 0; i < scores.count; i++) lines.push(scoreLine([String(range.start + i)], scores, kinds, i, flagged, args.truth ? truth : undefined));
  return `${lines.join('\n')}\n`;
}

async function scoreSeriesChunk(
  args: Extract<ScoreArgs, { mode: 'series' }>,
  taskDir: string,
  range: RowRange,
  spec: Spec,
  model: Model,
  settings: ChunkSettings,
  log: (line: string) => void,
): Promise<string> {
  const file = seriesChunkFile(taskDir, range.index);
  const starts = windowStarts(args.length, args.window, args.stride).subarray(range.start, range.end);
  if (starts.length !== range.end - range.start)
    throw new LatentkitError('INVALID_CONFIG', `score job: windows ${range.start}–${range.end - 1} are not in the series`);
  const base = starts[0] as number;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const values = Float64Array.from(lines, Number);
  const expected = (starts.at(-1) as number) - base + args.window;
  if (values.length !== expected) throw new LatentkitError('PARSE_ERROR', `${file}: expected ${expected} readings, got ${values.length}`, { file });
  const scores = await scoreWindows(
    args.run,
    spec,
    model,
    values,
    starts.map((s) => s - base),
    args.window,
    settings,
    log,
  );
  const kinds = SCORE_KINDS.filter((k) => scores[k] !== null);
  const out: string[] = [];
  for (let i = 0; i < scores.count; i++) out.push(kinds.map((k) => String((scores[k] as Float64Array)[i])).join(','));
  return `${out.join('\n')}\n`;
}
