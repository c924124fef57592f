/**
 * The embedded mode: trials run on this machine, `parallel` at a time, no server. Each trial is whatever the runner
 * does (the CLI spawns a `latentkit train` + `eval` process per trial, so `parallel` is the number of worker
 * processes). Failed trials are retried up to `spec.retries` times unless the failure is permanent (a bad config).
 */
import os from 'node:os';
import type { Trial } from './expand.js';
import type { TrialResult } from './results.js';
import type { SweepSpec } from './spec.js';
import { type ConfigValidator, type TrialRunner, isPermanent, readMetric, trialRunDir } from './trial.js';

export interface LocalSweepOptions {
  readonly spec: SweepSpec;
  readonly sweepId: string;
  readonly trials: readonly Trial[];
  readonly runsDir: string;
  readonly parallel: number;
  readonly runTrial: TrialRunner;
  readonly validateConfig: ConfigValidator;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly onResult?: (result: TrialResult) => void;
}

export async function runLocalSweep(options: LocalSweepOptions): Promise<TrialResult[]> {
  const { spec, sweepId, trials, runsDir, runTrial, validateConfig } = options;
  const log = options.log ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  // Every config is checked before the first trial starts: a typo fails the sweep at once, not one trial in.
  const configs = trials.map((t) => validateConfig(t.config, `trial ${t.id}`));
  const results: TrialResult[] = new Array(trials.length);
  let next = 0;
  const runOne = async (i: number): Promise<TrialResult> => {
    const trial = trials[i] as Trial;
    const runDir = `${sweepId}/${trial.id}`;
    let attempts = 0;
    let error = '';
    while (attempts <= spec.retries && !signal.aborted) {
      attempts += 1;
      const started = Date.now();
      try {
        const report = await runTrial({
          sweepId,
          trialId: trial.id,
          config: configs[i] as Record<string, unknown>,
          eval: spec.eval,
          runDir: trialRunDir(runsDir, sweepId, trial.id),
          signal,
          log,
        });
        const metric = readMetric(report, spec.metric);
        return {
          id: trial.id,
          params: trial.params,
          status: 'done',
          metric,
          runDir,
          attempts,
          seconds: (Date.now() - started) / 1000,
          worker: `${os.hostname()}:${process.pid}`,
        };
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        log(`trial ${trial.id} attempt ${attempts} failed: ${error}`);
        if (isPermanent(e)) break;
      }
    }
    return { id: trial.id, params: trial.params, status: signal.aborted ? 'cancelled' : 'failed', metric: null, runDir, attempts, seconds: null, error };
  };
  const lane = async () => {
    while (next < trials.length) {
      const i = next++;
      results[i] = await runOne(i);
      options.onResult?.(results[i] as TrialResult);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, trials.length)) }, lane));
  return results;
}
