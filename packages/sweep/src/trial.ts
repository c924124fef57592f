/**
 * What running one trial means, shared by the local pool and the queue worker. The runner itself (train + eval of
 * a run folder) is the caller's: the CLI passes one that spawns `latentkit train` and `latentkit eval`.
 */
import path from 'node:path';
import { LatentkitError } from '@latentkit/core/base';
import { getKeyPath } from './key-path.js';
import type { SweepEvalOptions } from './spec.js';

export interface TrialTask {
  readonly sweepId: string;
  readonly trialId: string;
  /** The run config, `--config` shape, already validated by the caller's `validateConfig`. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly eval: SweepEvalOptions;
  /** The trial's run folder on this machine: `<runs dir>/<sweep id>/<trial id>`. */
  readonly runDir: string;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

/** Trains (or resumes) and evaluates one trial's run folder; resolves to its report.json. */
export type TrialRunner = (task: TrialTask) => Promise<Record<string, unknown>>;

/** Validates a trial's run config the way `--config` is validated; throws INVALID_CONFIG. */
export type ConfigValidator = (config: unknown, where: string) => Record<string, unknown>;

/** An error not worth retrying: the same config would fail the same way on any worker. */
export function isPermanent(e: unknown): boolean {
  return e instanceof LatentkitError && ['INVALID_ARGUMENT', 'INVALID_CONFIG', 'UNSUPPORTED', 'NUMERIC_ERROR'].includes(e.code);
}

export function trialRunDir(runsDir: string, sweepId: string, trialId: string): string {
  return path.join(runsDir, sweepId, trialId);
}

/** The metric of a report: a finite number at the key path, or an error naming the path and what is there. */
export function readMetric(report: Record<string, unknown>, metric: string): number {
  const value = getKeyPath(report, metric);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const top = Object.keys(report).join(', ');
  throw new LatentkitError(
    'INVALID_CONFIG',
    `metric "${metric}": report.json has ${value === undefined ? 'no such key' : `${JSON.stringify(value)}, not a finite number,`} there (its top-level keys: ${top})`,
  );
}

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
