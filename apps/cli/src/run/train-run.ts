/**
 * Training into a run folder: a new run, or the continuation of one from its last checkpoint. The `train` command
 * and the quickstart both come through here.
 */
import fs from 'node:fs';
import { LatentkitError, acquireDirLock, checkpointExists, writeFileAtomic } from '@latentkit/core';
import { type LoadedData, loadData } from '@latentkit/data';
import { type LogRecord, type ModelConfig, type TrainResult, type TrainerConfig, createModel, resumeTraining, saveModel, train } from '@latentkit/models';
import { packageVersions } from '../versions.js';
import { type RunSpec, RUN_FORMAT, readRunSpec, runPaths, writeRunSpec } from './run-folder.js';

export interface RunOptions {
  readonly progress: boolean;
  readonly onLog?: (record: LogRecord) => void;
  /** Where a note for the user goes (Output.log, silent under --quiet); default stderr. */
  readonly log?: (line: string) => void;
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
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `${paths.root} already holds a run; continue it with "latentkit train --resume ${dir}" or pick another --run folder`,
    );
  }
  const lock = acquireDirLock(dir, 'train');
  try {
    return await trainNew(dir, input, options);
  } finally {
    lock.release();
  }
}

async function trainNew(
  dir: string,
  input: { data: LoadedData; model: ModelConfig; trainer: TrainerConfig; batchSize: number; plugins?: readonly string[] },
  options: RunOptions,
): Promise<FinishedRun> {
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
  if (data.preprocessing) writeFileAtomic(runPaths(dir).preprocessing, `${JSON.stringify(data.preprocessing, null, 2)}\n`);
  const model = createModel(spec.model, { seed: spec.trainer.seed });
  const result = await train(model, spec.trainer, trainOptions(dir, spec, data, options));
  return finish(dir, spec, data, result);
}

/** What `--resume` may change: how long to go on, and the learning rate (to recover from a NaN, say). */
export interface ResumeOverrides {
  readonly epochs?: number;
  readonly maxSteps?: number;
  readonly learningRate?: number;
}

export async function resumeRun(dir: string, overrides: ResumeOverrides, options: RunOptions): Promise<FinishedRun> {
  const lock = acquireDirLock(dir, 'train --resume');
  try {
    return await resume(dir, overrides, options);
  } finally {
    lock.release();
  }
}

async function resume(dir: string, overrides: ResumeOverrides, options: RunOptions): Promise<FinishedRun> {
  const spec = await readRunSpec(dir);
  const paths = runPaths(dir);
  const data = await loadData(spec.data);
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as ResumeOverrides;
  const { learningRate, ...limits } = given;
  const trainer: TrainerConfig = {
    ...spec.trainer,
    ...limits,
    ...(learningRate === undefined ? {} : { optimizer: { ...spec.trainer.optimizer, learningRate } }),
  };
  // A run killed (or stopped by a late error) before its first checkpoint starts again from step 0.
  if (!checkpointExists(paths.checkpoint)) {
    (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`${paths.root}: no checkpoint yet; starting the run from step 0`);
    const updated = { ...spec, trainer };
    writeRunSpec(dir, updated);
    const model = createModel(spec.model, { seed: spec.trainer.seed });
    return finish(dir, updated, data, await train(model, trainer, trainOptions(dir, updated, data, options)));
  }
  const result = await resumeTraining(paths.checkpoint, trainOptions(dir, spec, data, options), given);
  const updated = { ...spec, trainer };
  writeRunSpec(dir, updated);
  return finish(dir, updated, data, result);
}
