import path from 'node:path';
import { LatentkitError } from '@latentkit/core';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { loadData } from '../run/data-source.js';
import {
  type TrainFlags,
  batchSizeFrom,
  dataSpecFrom,
  modelConfigFrom,
  readConfigFile,
  trainerConfigFrom,
} from '../run/configure.js';
import { type FinishedRun, resumeRun, startRun } from '../run/train-run.js';
import { writeTrainingCurves } from '../visual/run-pictures.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

export function describeFinishedRun(run: FinishedRun): string {
  const { state, stopped, lastValidation } = run.result;
  const valid = lastValidation ? `, valid loss ${lastValidation.loss.toFixed(4)}` : '';
  return `${stopped} after ${state.step} steps (epoch ${state.epoch}${valid}); run folder ${run.dir}`;
}

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  await startEngine(common, log);
  const finished = opts.resume
    ? await resumeRun(opts.resume, { epochs: opts.epochs, maxSteps: opts.maxSteps }, { progress: common.progress })
    : await newRun({ ...opts, seed: common.seed } as TrainFlags & { run?: string }, common.progress);
  await writeTrainingCurves(finished.dir);
  log(describeFinishedRun(finished));
  if (finished.result.stopped === 'interrupted') {
    throw new LatentkitError('INTERRUPTED', `interrupted; checkpoint saved in ${finished.result.lastCheckpoint}; continue with "latentkit train --resume ${finished.dir}"`);
  }
}

async function newRun(flags: TrainFlags & { run?: string }, progress: boolean): Promise<FinishedRun> {
  const file = readConfigFile(flags.config);
  const data = await loadData(dataSpecFrom(flags, file));
  const model = modelConfigFrom(flags, file, data);
  const trainer = trainerConfigFrom(flags, file, data.family);
  const dir = flags.run ?? path.join('runs', `${model.kind}-${model.bottleneck.kind}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  log(`data: ${data.spec.name} (${data.counts.train} train, ${data.counts.valid} valid, ${data.counts.test} test)`);
  return startRun(dir, { data, model, trainer, batchSize: batchSizeFrom(flags, file, data.family) }, { progress });
}
