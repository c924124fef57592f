/**
 * `score` of a run: per-record anomaly scores of a new file (a table, or a timestamp,value series for a run
 * trained with --window), a flag from the threshold calibrated on the run's held-out normal data, and, when the
 * truth is known (the label column of a run trained with --normal, or labelled windows of a series), AUROC / AUPRC
 * and the anomaly section of the run's report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LatentkitError, acquireDirLock, writeFileAtomic } from '@latentkit/core';
import { type FileOptions, loadData, readTable } from '@latentkit/data';
import {
  type AnomalyScores,
  SCORE_KINDS,
  type ScoreKind,
  type ThresholdCalibration,
  type WindowAggregate,
  anomalyScores,
  anomalyScoresAsync,
  auprc,
  auroc,
  calibrateThreshold,
  checkFpr,
  flagScores,
  fromModel,
  readingScores,
  scoreOf,
  windowStarts,
} from '@latentkit/eval';
import { type Batch, type Model, loadModel } from '@latentkit/models';
import { writeAnomalyPictures } from '../visual/anomaly-section.js';
import { findCalibration, readCalibrations, saveCalibration } from './anomaly-calibration.js';
import { type ProgressBar, withProgress } from '../progress.js';
import { batchCount, inputBatches } from './input-data.js';
import { type RunSpec, modelDirOf, readRunSpec } from './run-folder.js';
import { writeRunHtml } from './run-html.js';
import { type Series, readSeries, readSeriesConfig, windowsCsv } from './series-windows.js';

export interface ScoreOptions {
  readonly importanceSamples: number;
  readonly fpr: number;
  /** Which score the flag uses; default the IW bound (or −ELBO with K = 0, or the reconstruction error without a density). */
  readonly score?: ScoreKind;
  readonly window?: number;
  readonly stride?: number;
  readonly aggregate: WindowAggregate;
  /** Series: labelled anomaly windows, a JSON list of [start, end] timestamps or NAB's combined_windows.json. */
  readonly labelWindows?: string;
  readonly seed: number;
  /** Write the anomaly section of report.html even without known labels. */
  readonly report?: boolean;
  readonly log: (line: string) => void;
  /** Warnings (a calibration that cannot resolve the FPR); default `log`. They print under --quiet too. */
  readonly warn?: (line: string) => void;
  /** Makes a progress bar (Output.bar): one over the input's batches, one over the calibration's. Default none. */
  readonly bar?: BarMaker;
}

/** `Output.bar`'s signature. */
export type BarMaker = (label: string, total: number, unit?: string) => ProgressBar;

export interface ScoreResult {
  readonly records: number;
  readonly flagged: number;
  readonly calibration: ThresholdCalibration;
  readonly metrics?: Readonly<Record<string, { auroc: number; auprc: number }>>;
  readonly files: string[];
}

export const SCORE_COLUMNS: Record<ScoreKind, string> = {
  reconstruction: 'reconstruction_error',
  negElbo: 'neg_elbo',
  negImportanceWeighted: 'iw_nll',
};

export async function scoreRun(dir: string, input: string, out: string, options: ScoreOptions): Promise<ScoreResult> {
  checkFpr(options.fpr, '--fpr');
  const lock = acquireDirLock(dir, 'score');
  try {
    return await scoreLocked(dir, input, out, options);
  } finally {
    lock.release();
  }
}

async function scoreLocked(dir: string, input: string, out: string, options: ScoreOptions): Promise<ScoreResult> {
  const spec = await readRunSpec(dir);
  const series = readSeriesConfig(dir);
  if (options.window !== undefined && !series) {
    throw new LatentkitError('INVALID_ARGUMENT', `--window: ${dir} was not trained on series windows; train it with --window to score a series`);
  }
  if (series && options.window !== undefined && options.window !== series.window) {
    throw new LatentkitError('INVALID_ARGUMENT', `--window ${options.window}: the run's model reads windows of ${series.window} readings`);
  }
  const model = loadModel(modelDirOf(dir));
  try {
    const kind = scoreKindFor(model, options);
    const scoreOptions = { importanceSamples: options.importanceSamples, seed: options.seed };
    // The input first: a file with the wrong columns fails before the (slower) calibration runs.
    const scored = series ? await scoreSeries(dir, spec, model, input, series.window, options.stride ?? series.stride, options) : undefined;
    const table = scored ? undefined : await scoreTable(dir, spec, model, input, scoreOptions, options.log, options.bar);
    const calibration = await calibrationFor(dir, spec, model, kind, options);
    const scores = (scored?.scores ?? table?.scores) as AnomalyScores;
    const flagged = flagScores(scoreOf(scores, kind), calibration);
    const truth = scored ? scored.truth : table?.truth;
    writeScoreFile(out, scores, flagged, truth, scored?.series);
    return await finishScores(dir, input, out, { kind, calibration, scores, flagged, truth, series: scored, report: options.report });
  } finally {
    model.dispose();
  }
}

/** The score the flag uses: the one asked for, or the tightest −log p(x) estimate the model and K give. */
export function scoreKindFor(model: Model, options: Pick<ScoreOptions, 'score' | 'importanceSamples'>): ScoreKind {
  if (options.score) return options.score;
  return fromModel(model).likelihood ? (options.importanceSamples > 0 ? 'negImportanceWeighted' : 'negElbo') : 'reconstruction';
}

/** The score kinds the model gave (the ones with values), in the column order of score files. */
export const scoredKinds = (scores: Pick<AnomalyScores, ScoreKind>): ScoreKind[] => SCORE_KINDS.filter((s) => scores[s] !== null);

export function scoreHeader(kinds: readonly ScoreKind[], series: boolean, truth: boolean): string {
  return [...(series ? ['timestamp', 'value'] : ['record']), ...kinds.map((s) => SCORE_COLUMNS[s]), 'flag', ...(truth ? ['anomaly'] : [])].join(',');
}

/** One line of a score file: the record's lead cells (its number, or timestamp and value), its scores, flag and truth. */
export function scoreLine(
  lead: readonly string[],
  scores: Pick<AnomalyScores, ScoreKind>,
  kinds: readonly ScoreKind[],
  i: number,
  flagged: Uint8Array,
  truth: Int8Array | undefined,
): string {
  return [
    ...lead,
    ...kinds.map((s) => String((scores[s] as Float64Array)[i])),
    String(flagged[i]),
    ...(truth ? [truth[i] === -1 ? '' : String(truth[i])] : []),
  ].join(',');
}

/** The score file: a line per record (a series: per reading, with its timestamp and value), atomically. */
export function writeScoreFile(out: string, scores: AnomalyScores, flagged: Uint8Array, truth: Int8Array | undefined, series: Series | undefined): void {
  const kinds = scoredKinds(scores);
  const lines = [scoreHeader(kinds, series !== undefined, truth !== undefined)];
  for (let i = 0; i < scores.count; i++) {
    const lead = series ? [series.timestamps[i] as string, numberCell(series.values[i] as number)] : [String(i)];
    lines.push(scoreLine(lead, scores, kinds, i, flagged, truth));
  }
  writeFileAtomic(out, `${lines.join('\n')}\n`);
}

/** After the score file is written: detection metrics when the truth is known, and the report's anomaly section. */
export async function finishScores(
  dir: string,
  input: string,
  out: string,
  done: {
    kind: ScoreKind;
    calibration: ThresholdCalibration;
    scores: AnomalyScores;
    flagged: Uint8Array;
    truth: Int8Array | undefined;
    series: { series: Series; windows?: [string, string][] } | undefined;
    report: boolean | undefined;
  },
): Promise<ScoreResult> {
  const { kind, calibration, scores, flagged, truth, series: scored } = done;
  const kinds = scoredKinds(scores);
  const files = [path.resolve(out)];
  const known = truth ? knownOnly(truth) : undefined;
  const metrics = known ? Object.fromEntries(kinds.map((s) => [s, detectionMetrics(known, scores[s] as Float64Array)])) : undefined;
  if (metrics || done.report) {
    files.push(
      ...(await writeAnomalyPictures(dir, {
        input: path.resolve(input),
        scoreKind: kind,
        calibration,
        scores: Object.fromEntries(kinds.map((s) => [s, scores[s] as Float64Array])),
        flags: flagged,
        ...(truth && { truth }),
        ...(metrics && { metrics }),
        ...(scored && { series: { ...scored.series, labelWindows: scored.windows } }),
      })),
    );
    files.push(await writeRunHtml(dir));
  }
  return { records: scores.count, flagged: flagged.reduce((s, v) => s + v, 0), calibration, ...(metrics && { metrics }), files };
}

/** `items` ticking `bar` once each, or `items` as they are without a bar. */
function progressOver<T>(items: Iterable<T>, bar: ProgressBar | undefined): Iterable<T> {
  return bar ? withProgress(items, bar) : items;
}

export const numberCell = (v: number) => (Number.isNaN(v) ? '' : String(v));

/** The threshold for this score kind and FPR: the run's saved one, or calibrated now on its validation split and saved. */
export async function calibrationFor(
  dir: string,
  spec: RunSpec,
  model: Model,
  kind: ScoreKind,
  options: Pick<ScoreOptions, 'importanceSamples' | 'fpr' | 'seed' | 'log' | 'warn' | 'bar'>,
): Promise<ThresholdCalibration> {
  const settings = { importanceSamples: kind === 'negImportanceWeighted' ? options.importanceSamples : 0, seed: options.seed };
  const saved = findCalibration(readCalibrations(dir), kind, options.fpr, settings);
  if (saved) return saved;
  const data = await loadData(spec.data);
  if (data.counts.valid === 0) {
    throw new LatentkitError(
      'INVALID_CONFIG',
      `${dir}: the run has no validation split to calibrate the flag threshold on; train it with --valid-fraction > 0 (held-out normal rows)`,
    );
  }
  options.log(`calibrating the ${kind} threshold at FPR ${options.fpr} on ${data.counts.valid} held-out normal records (validation split)`);
  const bar = options.bar?.('score: calibrating', Math.ceil(data.counts.valid / spec.batchSize), 'batches');
  const scores = anomalyScores(fromModel(model), progressOver(data.valid(spec.batchSize)() as Iterable<Batch>, bar), {
    importanceSamples: settings.importanceSamples,
    seed: options.seed,
  });
  bar?.stop();
  const calibration = calibrateThreshold(scoreOf(scores, kind), options.fpr, kind, settings);
  if (options.fpr < calibration.achievableFpr) {
    (options.warn ?? options.log)(
      `warning: ${calibration.n} calibration records cannot resolve FPR ${options.fpr} (the smallest is 1/(n+1) = ${calibration.achievableFpr.toPrecision(3)}); the threshold is their largest score`,
    );
  }
  saveCalibration(dir, calibration);
  return calibration;
}

export async function scoreTable(
  dir: string,
  spec: RunSpec,
  model: Model,
  input: string,
  scoreOptions: { importanceSamples: number; seed: number; firstRecord?: number },
  log: (line: string) => void,
  makeBar?: BarMaker,
): Promise<{ scores: AnomalyScores; truth?: Int8Array }> {
  const batches = await inputBatches(dir, spec, input, spec.batchSize, log);
  const bar = makeBar?.('score', batchCount(batches, spec.batchSize) ?? 0, 'batches');
  const scores = await anomalyScoresAsync(
    fromModel(model),
    progressOver(
      (function* () {
        for (const b of batches) yield b.batch as Batch;
      })(),
      bar,
    ),
    scoreOptions,
  );
  bar?.stop();
  const truth = spec.data.normal ? await tableTruth(input, spec) : undefined;
  if (truth && truth.length !== scores.count) return { scores };
  return { scores, ...(truth && { truth }) };
}

/** Per row: 1 anomaly (label not among the run's normal values), 0 normal, −1 unknown; undefined without a label column. */
export async function tableTruth(input: string, spec: RunSpec): Promise<Int8Array | undefined> {
  const o = (spec.data.options ?? {}) as Partial<FileOptions>;
  // .mat files have their label variable (y) without a label column option.
  const labelColumn = o.labelColumn;
  const table = await readTable(input, {
    ...(labelColumn && { labelColumn }),
    ...(o.delimiter && { delimiter: o.delimiter }),
    ...(o.decimal && { decimal: o.decimal }),
    ...(o.matVariables && { matVariables: o.matVariables }),
  }).catch(() => undefined);
  const label = table?.label;
  if (!label) return undefined;
  const normal = spec.data.normal ?? [];
  const categories = label.schema.categories;
  const isNormal = (i: number) =>
    categories ? normal.some((v) => categories[label.values[i] as number] === String(v)) : normal.some((v) => Number(v) === label.values[i]);
  return Int8Array.from({ length: label.values.length }, (_, i) => (label.missing[i] === 1 ? -1 : isNormal(i) ? 0 : 1));
}

async function scoreSeries(
  dir: string,
  spec: RunSpec,
  model: Model,
  input: string,
  window: number,
  stride: number,
  options: ScoreOptions,
): Promise<{ scores: AnomalyScores; series: Series; truth?: Int8Array; windows?: [string, string][] }> {
  const series = await readSeries(input);
  const starts = windowStarts(series.values.length, window, stride);
  const windowScores = await scoreWindows(dir, spec, model, series.values, starts, window, options, options.log, options.bar);
  const scores = perReadingScores(windowScores, starts, window, series.values.length, options.aggregate);
  const windows = options.labelWindows ? readLabelWindows(options.labelWindows, input) : undefined;
  return { scores, series, ...(windows && { windows, truth: insideWindows(series.timestamps, windows) }) };
}

/**
 * Scores of the windows at `starts` (offsets into `values`); `firstRecord` is the index of the first window in the
 * whole series, which picks the random draws (a queue chunk of windows gets the draws of the one-pass score).
 */
export async function scoreWindows(
  dir: string,
  spec: RunSpec,
  model: Model,
  values: Float64Array,
  starts: Int32Array,
  window: number,
  scoreOptions: { importanceSamples: number; seed: number; firstRecord?: number },
  log: (line: string) => void,
  makeBar?: BarMaker,
): Promise<AnomalyScores> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-score-'));
  let bar: ProgressBar | undefined;
  try {
    const file = path.join(scratch, 'windows.csv');
    fs.writeFileSync(file, windowsCsv(values, starts, window));
    const batches = await inputBatches(dir, spec, file, spec.batchSize, log);
    bar = makeBar?.('score', Math.ceil(starts.length / spec.batchSize), 'batches');
    return await anomalyScoresAsync(
      fromModel(model),
      progressOver(
        (function* () {
          for (const b of batches) yield b.batch as Batch;
        })(),
        bar,
      ),
      scoreOptions,
    );
  } finally {
    bar?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Each reading's scores from the scores of the windows covering it. */
export function perReadingScores(windowScores: AnomalyScores, starts: Int32Array, window: number, length: number, aggregate: WindowAggregate): AnomalyScores {
  const perReading = (values: Float64Array | null) => values && readingScores(values, starts, window, length, aggregate);
  return {
    count: length,
    reconstruction: perReading(windowScores.reconstruction) as Float64Array,
    negElbo: perReading(windowScores.negElbo),
    negImportanceWeighted: perReading(windowScores.negImportanceWeighted),
    importanceSamples: windowScores.importanceSamples,
  };
}

const timeOf = (s: string) => Date.parse(`${s.trim().replace(' ', 'T')}Z`);

/** A list of [start, end] pairs, or an object of such lists keyed by series path (NAB), matched on the file name. */
export function readLabelWindows(file: string, input: string): [string, string][] {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: --label-windows expects JSON [[start, end], …] (${(e as Error).message})`, { file });
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
    const key = Object.keys(doc).find((k) => path.basename(k) === path.basename(input));
    if (!key) throw new LatentkitError('PARSE_ERROR', `${file}: no entry for ${path.basename(input)}`, { file });
    doc = (doc as Record<string, unknown>)[key];
  }
  const ok = Array.isArray(doc) && doc.every((w) => Array.isArray(w) && w.length === 2 && w.every((t) => typeof t === 'string' && Number.isFinite(timeOf(t))));
  if (!ok) throw new LatentkitError('PARSE_ERROR', `${file}: expected a list of [start, end] timestamp pairs`, { file });
  return doc as [string, string][];
}

/** 1 for readings inside a labelled window (ends included). */
export function insideWindows(timestamps: readonly string[], windows: readonly [string, string][]): Int8Array {
  const spans = windows.map(([a, b]) => [timeOf(a), timeOf(b)] as const);
  return Int8Array.from(timestamps, (t) => {
    const at = timeOf(t);
    return spans.some(([a, b]) => at >= a && at <= b) ? 1 : 0;
  });
}

function knownOnly(truth: Int8Array): { labels: Uint8Array; index: Int32Array } | undefined {
  const index = Int32Array.from({ length: truth.length }, (_, i) => i).filter((i) => truth[i] !== -1);
  const labels = Uint8Array.from(index, (i) => truth[i] as number);
  const positives = labels.reduce((s, v) => s + v, 0);
  return positives > 0 && positives < labels.length ? { labels, index } : undefined;
}

function detectionMetrics(known: { labels: Uint8Array; index: Int32Array }, scores: Float64Array): { auroc: number; auprc: number } {
  const picked = Float64Array.from(known.index, (i) => scores[i] as number);
  return { auroc: auroc(known.labels, picked), auprc: auprc(known.labels, picked) };
}
