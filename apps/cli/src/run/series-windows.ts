/**
 * Runs trained on a `timestamp,value` series: the series becomes a table of sliding windows (columns t0 … t{N−1},
 * one row per window, an empty cell for a missing reading), which the tabular model trains on like any table. The
 * run keeps the windows file (so `eval` and calibration read the same rows again) and `series.json`, which `score`
 * reads to cut new series the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { readTable } from '@latentkit/data';
import { windowRows, windowStarts } from '@latentkit/eval';

export const SERIES_FORMAT = 'latentkit.series-windows/1';

export interface SeriesWindowsConfig {
  readonly format: typeof SERIES_FORMAT;
  readonly window: number;
  readonly stride: number;
  /** The series the run was trained on. */
  readonly source: string;
}

export interface Series {
  readonly timestamps: readonly string[];
  /** NaN where a reading is missing. */
  readonly values: Float64Array;
}

export const seriesPaths = (runDir: string) => ({
  config: path.join(path.resolve(runDir), 'series.json'),
  windows: path.join(path.resolve(runDir), 'windows.csv'),
});

/** A CSV with a `timestamp` column and one numeric `value` column. */
export async function readSeries(file: string): Promise<Series> {
  const table = await readTable(file, { idColumn: 'timestamp', columns: { value: 'numeric' } }).catch((e: unknown) => {
    if (e instanceof LatentkitError) throw new LatentkitError(e.code, `${e.message} (a series is a CSV with columns timestamp,value)`, e.details);
    throw e;
  });
  if (!table.ids || table.columns.length !== 1 || table.columns[0]?.name !== 'value') {
    const names = [...table.columns.map((c) => c.name), ...table.skipped.map((s) => s.name)];
    throw new LatentkitError('PARSE_ERROR', `${file}: expected a series with columns timestamp,value, got ${names.join(', ') || 'no feature column'}`, {
      file,
    });
  }
  const values = Float64Array.from(table.values, (v, i) => (table.missing[i] === 1 ? Number.NaN : v));
  return { timestamps: table.ids, values };
}

/** The windows as CSV text with the header t0 … t{N−1}. */
export function windowsCsv(values: Float64Array, starts: Int32Array, window: number): string {
  const rows = windowRows(values, starts, window);
  const lines = [Array.from({ length: window }, (_, j) => `t${j}`).join(',')];
  for (let w = 0; w < starts.length; w++) {
    const cells: string[] = [];
    for (let j = 0; j < window; j++) {
      const v = rows[w * window + j] as number;
      cells.push(Number.isNaN(v) ? '' : String(v));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the run's windows.csv and series.json; returns the windows file (the run's data from now on). */
export async function writeSeriesWindows(runDir: string, seriesFile: string, window: number, stride: number): Promise<string> {
  const series = await readSeries(seriesFile);
  const starts = windowStarts(series.values.length, window, stride);
  const paths = seriesPaths(runDir);
  fs.mkdirSync(path.dirname(paths.windows), { recursive: true });
  writeFileAtomic(paths.windows, windowsCsv(series.values, starts, window));
  const config: SeriesWindowsConfig = { format: SERIES_FORMAT, window, stride, source: path.resolve(seriesFile) };
  writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  return paths.windows;
}

export function readSeriesConfig(runDir: string): SeriesWindowsConfig | undefined {
  const file = seriesPaths(runDir).config;
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SeriesWindowsConfig;
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not a series config (${(e as Error).message})`, { file });
  }
}
