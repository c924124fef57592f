import path from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { loadData } from '@latentkit/data';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { loadPlugins } from '../run/plugins.js';
import { type TrainFlags, batchSizeFrom, dataSpecFrom, modelConfigFrom, readConfigFile, trainerConfigFrom } from '../run/run-config.js';
import { type FinishedRun, resumeRun, startRun } from '../run/train-run.js';
import { writeTrainingCurves } from '../visual/run-pictures.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export function describeFinishedRun(run: FinishedRun): string {
  const { state, stopped, lastValidation } = run.result;
  const valid = lastValidation ? `, valid loss ${lastValidation.loss.toFixed(4)}` : '';
  return `${stopped} after ${state.step} steps (epoch ${state.epoch}${valid}); run folder ${run.dir}`;
}

type NewRunFlags = TrainFlags & { run?: string; plugin?: string[]; printConfig?: boolean };

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  if (opts.resume) {
    await startEngine(common, log);
    return finish(await resumeRun(opts.resume, { epochs: opts.epochs, maxSteps: opts.maxSteps }, { progress: common.progress }));
  }
  // Everything is resolved and validated before the engine starts or a file is written.
  const flags = { ...opts, seed: common.seed } as NewRunFlags;
  const plugins = await loadPlugins(flags.plugin);
  const file = readConfigFile(flags.config);
  const data = await loadData(dataSpecFrom(flags, file));
  const model = modelConfigFrom(flags, file, data);
  const trainer = trainerConfigFrom(flags, file, model);
  const batchSize = batchSizeFrom(flags, file, model);
  if (flags.printConfig) {
    process.stdout.write(`${JSON.stringify({ data: data.spec, model, trainer, batchSize, ...(plugins.length ? { plugins } : {}) }, null, 2)}\n`);
    return;
  }
  await startEngine(common, log);
  const dir = flags.run ?? path.join('runs', `${model.kind}-${model.bottleneck.kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  log(`data: ${data.spec.name} (${data.counts.train} train, ${data.counts.valid} valid, ${data.counts.test} test)`);
  return finish(await startRun(dir, { data, model, trainer, batchSize, plugins }, { progress: common.progress }));
}

async function finish(finished: FinishedRun): Promise<void> {
  await writeTrainingCurves(finished.dir);
  log(describeFinishedRun(finished));
  if (finished.result.stopped === 'interrupted') {
    throw new LatentkitError('INTERRUPTED', `interrupted; checkpoint saved in ${finished.result.lastCheckpoint}; continue with "latentkit train --resume ${finished.dir}"`);
  }
}
