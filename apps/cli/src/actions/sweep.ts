import fs from 'node:fs';
import { writeFileAtomic } from '@latentkit/core';
import path from 'node:path';
import { LatentkitError } from '@latentkit/core/base';
import {
  cancelSweep,
  checkQueue,
  expandTrials,
  formatResults,
  readSweepSpec,
  runLocalSweep,
  runQueueSweep,
  sweepId,
  sweepStatus,
  writeResults,
} from '@latentkit/sweep';
import { type ActionOptions, outputOf } from '../options.js';
import { compareHtml, compareRuns } from '../run/compare-runs.js';
import { runPaths } from '../run/run-folder.js';
import { cliTrialRunner } from '../sweep/run-trial.js';
import { checkTrials, validateTrialConfig } from '../sweep/trial-config.js';

export async function run(opts: ActionOptions, specFile: string): Promise<void> {
  const out = outputOf(opts);
  const log = out.log;
  const spec = readSweepSpec(specFile);
  const id = sweepId(spec);
  const trials = expandTrials(spec);
  const runsDir = path.resolve(opts.runsDir);
  const sweepDir = path.join(runsDir, id);
  if (opts.cancel) {
    if (!opts.queue) throw new LatentkitError('INVALID_ARGUMENT', '--cancel needs --queue (a local sweep stops with Ctrl-C)');
    const removed = await cancelSweep(opts.queue, id, trials);
    log(`sweep ${id}: cancelled; ${removed} queued trial(s) removed, running ones stop within seconds (their checkpoints stay)`);
    out.result({ sweep: id, cancelled: true, removed }, () => '');
    return;
  }
  if (opts.status) {
    const rows = opts.queue
      ? (await sweepStatus(opts.queue, id, trials)).trials
      : trials.map((t) => ({
          id: t.id,
          state: fs.existsSync(runPaths(path.join(sweepDir, t.id)).report)
            ? 'completed'
            : fs.existsSync(runPaths(path.join(sweepDir, t.id)).spec)
              ? 'started'
              : 'not started',
          metric: null,
        }));
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.state] = (counts[r.state] ?? 0) + 1;
    out.result({ sweep: id, counts, trials: rows }, () =>
      [
        `sweep ${id}: ${Object.entries(counts)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ')}`,
        ...rows.map((r) => `  ${r.id}  ${r.state}${r.metric !== null ? `  ${spec.metric} ${r.metric}` : ''}`),
      ].join('\n'),
    );
    return;
  }
  // The queue is asked first: an unreachable URL fails in seconds, before the data and models load.
  if (opts.queue) await checkQueue(opts.queue);
  await checkTrials(trials, opts.seed);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  log(`sweep ${id}: ${trials.length} trial(s), ${opts.queue ? 'on the queue' : `${opts.parallel} at a time on this machine`}; run folders in ${sweepDir}`);
  const bar = out.bar(`sweep ${id}`, trials.length, 'trials');
  // The trial's line first, then the tick: the bar is drawn again below the line (progress.ts writeLine).
  const onResult = (r: { id: string; status: string; metric: number | null; error?: string }) => {
    log(`  ${r.id} ${r.status}${r.metric !== null ? ` ${spec.metric} ${r.metric}` : ''}${r.error ? ` (${r.error})` : ''}`);
    bar.tick();
  };
  const common = { spec, sweepId: id, trials, validateConfig: validateTrialConfig, log, signal: stop.signal, onResult };
  const results = await (opts.queue
    ? runQueueSweep({ ...common, url: opts.queue })
    : runLocalSweep({ ...common, runsDir, parallel: opts.parallel, runTrial: cliTrialRunner({ backend: opts.backend, seed: opts.seed }) })
  ).finally(() => bar.stop());
  const written = writeResults(sweepDir, id, spec, results);
  out.result({ sweep: id, metric: spec.metric, results: written.ranked, files: { json: written.json, csv: written.csv } }, () =>
    formatResults(written.ranked, spec.metric),
  );
  log(`wrote ${written.json}, ${written.csv}`);
  const page = await writeComparePage(sweepDir, results, out.warn);
  if (page) log(`wrote ${page}`);
  const failed = results.filter((r) => r.status !== 'done').length;
  if (stop.signal.aborted)
    throw new LatentkitError(
      'INTERRUPTED',
      `interrupted; run the same "latentkit sweep" again to continue (finished trials are kept, the others resume from their checkpoints)`,
    );
  // Failed trials are rows of the table, not a failed sweep: the others' results are what the user asked for.
  if (failed) out.warn(`${failed} of ${results.length} trial(s) failed; see ${written.csv}`);
}

/**
 * The sweep's report page: `latentkit compare` over the finished trials whose run folders this machine sees (in
 * queue mode they are on the shared --runs-dir, or on the workers' disks, and then there is no page).
 */
async function writeComparePage(
  sweepDir: string,
  results: readonly { id: string; status: string }[],
  warn: (line: string) => void,
): Promise<string | undefined> {
  const dirs = results
    .filter((r) => r.status === 'done')
    .map((r) => path.join(sweepDir, r.id))
    .filter((d) => fs.existsSync(runPaths(d).spec));
  if (dirs.length < 2) return undefined;
  try {
    const file = path.join(sweepDir, 'compare.html');
    writeFileAtomic(file, await compareHtml(await compareRuns(dirs)));
    return file;
  } catch (e) {
    warn(`no compare page: ${(e as Error).message}`);
    return undefined;
  }
}
