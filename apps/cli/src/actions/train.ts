import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { loadData } from '@latentkit/data';
import type { Command } from 'commander';
import { type ActionOptions, type Output, commonOptions, givenFlags, outputOf, startEngine } from '../options.js';
import { loadPlugins } from '../run/plugins.js';
import { type TrainFlags, batchSizeFrom, dataSpecFrom, modelConfigFrom, readConfigFile, trainerConfigFrom } from '../run/run-config.js';
import { runPaths } from '../run/run-folder.js';
import { writeSeriesWindows } from '../run/series-windows.js';
import { type FinishedRun, resumeRun, startRun } from '../run/train-run.js';
import { writeRunHtml } from '../run/run-html.js';
import { writeTrainingCurves } from '../visual/run-pictures.js';

export function describeFinishedRun(run: FinishedRun): string {
  const { state, stopped, lastValidation } = run.result;
  const valid = lastValidation ? `, valid loss ${lastValidation.loss.toFixed(4)}` : '';
  const best = run.result.restoredBest;
  const restored = best ? `; the run's model is the best validation's, step ${best.step} (valid loss ${best.loss.toFixed(4)})` : '';
  return `${stopped} after ${state.step} steps (epoch ${state.epoch}${valid})${restored}; run folder ${run.dir}`;
}

type NewRunFlags = TrainFlags & { run?: string; plugin?: string[]; printConfig?: boolean; window?: number; stride?: number };

/** Flags `--resume` takes; the rest of a run's config is in its run.json and stays as it was. */
const RESUME_FLAGS = ['--resume', '--epochs', '--max-steps', '--lr', '--backend', '--progress', '--no-progress', '--verbose', '--plugin', '--json', '--quiet'];

export async function run(opts: ActionOptions, cmd: Command): Promise<void> {
  const common = commonOptions(opts);
  const out = outputOf(opts);
  const log = out.log;
  if (opts.resume) {
    const refused = givenFlags(cmd).filter((f) => !RESUME_FLAGS.includes(f));
    if (refused.length > 0) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `${refused.join(', ')}: a resumed run keeps the config in its run.json; --resume takes only ${RESUME_FLAGS.slice(1).join(', ')} (start a new --run to change the rest)`,
      );
    }
    await startEngine(common, log);
    return finish(
      await resumeRun(opts.resume, { epochs: opts.epochs, maxSteps: opts.maxSteps, learningRate: opts.lr }, { progress: common.progress, log }),
      out,
    );
  }
  // Everything is resolved and validated before the engine starts or a file is written.
  let flags = { ...opts, seed: common.seed } as NewRunFlags;
  const plugins = await loadPlugins(flags.plugin);
  const file = readConfigFile(flags.config);
  if (flags.window !== undefined) flags = { ...flags, ...(await seriesData(flags)) };
  else if (flags.stride !== undefined) throw new LatentkitError('INVALID_ARGUMENT', '--stride applies with --window (train on sliding windows of a series)');
  const data = await loadData(dataSpecFrom(flags, file));
  const model = modelConfigFrom(flags, file, data);
  const trainer = trainerConfigFrom(flags, file, model);
  const batchSize = batchSizeFrom(flags, file, model);
  if (flags.printConfig) {
    const config = { data: data.spec, model, trainer, batchSize, ...(plugins.length ? { plugins } : {}) };
    // The resolved config is JSON either way: --print-config's output is a --config file.
    process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
    return;
  }
  await startEngine(common, log);
  const dir = flags.run ?? path.join('runs', `${model.kind}-${model.bottleneck.kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  log(`data: ${data.spec.name} (${data.counts.train} train, ${data.counts.valid} valid, ${data.counts.test} test)`);
  return finish(await startRun(dir, { data, model, trainer, batchSize, plugins }, { progress: common.progress, log }), out);
}

/** `--window`: the series becomes the run's windows.csv (in a scratch folder for --print-config), trained on as a table. */
async function seriesData(flags: NewRunFlags): Promise<Partial<NewRunFlags>> {
  if (flags.data === undefined || !fs.existsSync(flags.data)) {
    throw new LatentkitError('INVALID_ARGUMENT', `--window needs --data <series.csv>, a timestamp,value file, got ${flags.data ?? 'none'}`);
  }
  const run = flags.printConfig
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-series-'))
    : (flags.run ?? path.join('runs', `series-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  if (fs.existsSync(runPaths(run).spec)) throw new LatentkitError('INVALID_ARGUMENT', `${path.resolve(run)} already holds a run; pick another --run folder`);
  const windows = await writeSeriesWindows(run, flags.data, flags.window as number, flags.stride ?? 1);
  return { data: windows, run, model: flags.model ?? 'tabular' };
}

async function finish(finished: FinishedRun, out: Output): Promise<void> {
  await writeTrainingCurves(finished.dir);
  // The page shows the curves now; eval and export add their sections to it.
  const html = await writeRunHtml(finished.dir);
  out.log(describeFinishedRun(finished));
  out.log(`report: ${html}`);
  const { state, stopped, lastValidation, lastCheckpoint } = finished.result;
  out.result(
    {
      run: path.resolve(finished.dir),
      report: path.resolve(html),
      stopped,
      steps: state.step,
      epoch: state.epoch,
      validation: lastValidation ?? null,
      lastCheckpoint: lastCheckpoint ?? null,
      restoredBest: finished.result.restoredBest ?? null,
    },
    () => '',
  );
  if (finished.result.stopped === 'interrupted') {
    const signal = finished.result.signal ?? 'SIGINT';
    throw new LatentkitError(
      'INTERRUPTED',
      `interrupted; checkpoint saved in ${finished.result.lastCheckpoint} (${signal}); continue with "latentkit train --resume ${finished.dir}"`,
      {
        signal,
      },
    );
  }
}
