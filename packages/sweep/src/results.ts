/** The results table of a sweep: trials ranked on the metric (failures last), written as JSON and CSV. */
import path from 'node:path';
import { writeFileAtomic } from '@latentkit/core/base';
import type { ParamValue } from './expand.js';
import type { SweepSpec } from './spec.js';

export interface TrialResult {
  readonly id: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly status: 'done' | 'failed' | 'cancelled';
  /** The metric read from the trial's report.json; null when the trial failed or the report has no number there. */
  readonly metric: number | null;
  /** The run folder, relative to the runs dir. */
  readonly runDir: string;
  readonly attempts: number;
  readonly seconds: number | null;
  readonly error?: string;
  /** host:pid of the worker that finished the trial (queue mode). */
  readonly worker?: string;
}

export interface RankedResult extends TrialResult {
  readonly rank: number | null;
}

export function rankResults(results: readonly TrialResult[], goal: SweepSpec['goal']): RankedResult[] {
  const scored = results.filter((r) => r.status === 'done' && r.metric !== null);
  scored.sort(
    (a, b) => (goal === 'max' ? (b.metric as number) - (a.metric as number) : (a.metric as number) - (b.metric as number)) || a.id.localeCompare(b.id),
  );
  const rest = results.filter((r) => !scored.includes(r)).sort((a, b) => a.id.localeCompare(b.id));
  return [...scored.map((r, i) => ({ ...r, rank: i + 1 })), ...rest.map((r) => ({ ...r, rank: null }))];
}

function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function resultsCsv(ranked: readonly RankedResult[]): string {
  const keys = [...new Set(ranked.flatMap((r) => Object.keys(r.params)))];
  const header = ['rank', 'id', 'status', 'metric', ...keys, 'runDir', 'attempts', 'seconds', 'error'];
  const rows = ranked.map((r) => [r.rank, r.id, r.status, r.metric, ...keys.map((k) => r.params[k]), r.runDir, r.attempts, r.seconds, r.error]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

/** Writes results.json and results.csv into `dir`; returns their paths. */
export function writeResults(dir: string, id: string, spec: SweepSpec, results: readonly TrialResult[]): { json: string; csv: string; ranked: RankedResult[] } {
  const ranked = rankResults(results, spec.goal);
  const json = path.join(dir, 'results.json');
  const csv = path.join(dir, 'results.csv');
  writeFileAtomic(json, `${JSON.stringify({ sweep: id, metric: spec.metric, goal: spec.goal, trials: ranked }, null, 2)}\n`);
  writeFileAtomic(csv, resultsCsv(ranked));
  return { json, csv, ranked };
}

export function formatResults(ranked: readonly RankedResult[], metric: string): string {
  const lines = ranked.map((r) => {
    const params = Object.entries(r.params)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const value = r.metric === null ? r.status : r.metric.toPrecision(5);
    return `${String(r.rank ?? '-').padStart(3)}  ${r.id}  ${metric} ${value}  ${params}${r.error ? `  (${r.error})` : ''}`;
  });
  return lines.join('\n');
}
