/**
 * Training into a run folder: a new run, or the continuation of one from its last checkpoint. The `train` command
 * and the quickstart both come through here.
 */
import fs from 'node:fs';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import { type LoadedData, loadData } from '@latentkit/data';
import { type LogRecord, type ModelConfig, type TrainResult, type TrainerConfig, createModel, resumeTraining, saveModel, train } from '@latentkit/models';
import { packageVersions } from '../versions.js';
import { type RunSpec, RUN_FORMAT, readRunSpec, runPaths, writeRunSpec } from './run-folder.js';

export interface RunOptions {
  readonly progress: boolean;
  readonly onLog?: (record: LogRecord) => void;
}

export interface FinishedRun {
  readonly dir: string;
  readonly spec: RunSpec;
  readonly data: LoadedData;
  readonly result: TrainResult;
}

/** Where and how a run trains: the same for a new run and a resumed one. */
function trainOptions(dir: string, spec: RunSpec, data: LoadedData, options: RunOptions) {
  const paths = runPaths(dir);
  return {
    train: data.trainData(spec.batchSize, Number(spec.trainer.seed)) as never,
    valid: data.valid(spec.batchSize) as never,
    checkpointDir: paths.checkpoint,
    logFile: paths.log,
    progress: options.progress,
    onLog: options.onLog,
  };
}

async function finish(dir: string, spec: RunSpec, data: LoadedData, result: TrainResult): Promise<FinishedRun> {
  if (result.stopped !== 'interrupted') await saveModel(result.model, runPaths(dir).model);
  return { dir, spec, data, result };
}

/** A new run from configs already validated (see run-config.ts): nothing is written before they are. */
export async function startRun(
  dir: string,
  input: { data: LoadedData; model: ModelConfig; trainer: TrainerConfig; batchSize: number; plugins?: readonly string[] },
  options: RunOptions,
): Promise<FinishedRun> {
  const paths = runPaths(dir);
  if (fs.existsSync(paths.spec)) {
    throw new LatentkitError('INVALID_ARGUMENT', `${paths.root} already holds a run; continue it with "latentkit train --resume ${dir}" or pick another --run folder`);
  }
  const { data } = input;
  const spec: RunSpec = {
    format: RUN_FORMAT,
    data: data.spec,
    model: input.model,
    trainer: input.trainer,
    batchSize: input.batchSize,
    ...(input.plugins?.length ? { plugins: input.plugins } : {}),
    versions: packageVersions(),
  };
  writeRunSpec(dir, spec);
  if (data.preprocessing) writeFileAtomic(paths.preprocessing, `${JSON.stringify(data.preprocessing, null, 2)}\n`);
  const model = createModel(spec.model, { seed: spec.trainer.seed });
  const result = await train(model, spec.trainer, trainOptions(dir, spec, data, options));
  return finish(dir, spec, data, result);
}

export async function resumeRun(
  dir: string,
  overrides: { epochs?: number; maxSteps?: number },
  options: RunOptions,
): Promise<FinishedRun> {
  const spec = await readRunSpec(dir);
  const paths = runPaths(dir);
  if (!fs.existsSync(paths.checkpoint)) {
    throw new LatentkitError('FILE_NOT_FOUND', `${paths.checkpoint}: the run has no checkpoint to resume from`, { file: paths.checkpoint });
  }
  const data = await loadData(spec.data);
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const result = await resumeTraining(paths.checkpoint, trainOptions(dir, spec, data, options), given);
  const updated = { ...spec, trainer: { ...spec.trainer, ...given } };
  writeRunSpec(dir, updated);
  return finish(dir, updated, data, result);
}
