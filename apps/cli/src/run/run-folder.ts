/**
 * A run folder: everything one training run writes, so that `eval`, `encode`, `sample` and `export` (and another
 * person) can pick it up by its path alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, resolveCheckpointDir, writeFileAtomic } from '@latentkit/core';
import { parseConfig, schemas, z } from '@latentkit/core/schema';
import { type DataSpec, Preprocessing, dataSpecSchema } from '@latentkit/data';
import { type ModelConfig, type TrainerConfig, resolveModelConfig, trainerConfigSchema } from '@latentkit/models';
import { loadPlugins } from './plugins.js';

export const RUN_FORMAT = 'latentkit-run@1';

export interface RunSpec {
  readonly format: typeof RUN_FORMAT;
  readonly data: DataSpec;
  readonly model: ModelConfig;
  readonly trainer: TrainerConfig;
  readonly batchSize: number;
  /** Plugins (absolute paths) whose kinds the run uses; every command on the run loads them first. */
  readonly plugins?: readonly string[];
  readonly versions: Readonly<Record<string, string>>;
}

const runSpecSchema = z.strictObject({
  format: z.literal(RUN_FORMAT),
  data: dataSpecSchema,
  model: z.looseObject({ kind: z.string() }),
  trainer: trainerConfigSchema,
  batchSize: schemas.positiveInt(),
  plugins: z.array(z.string()).optional(),
  versions: z.record(z.string(), z.string()),
});

export function runPaths(dir: string) {
  const root = path.resolve(dir);
  const at = (name: string) => path.join(root, name);
  return {
    root,
    spec: at('run.json'),
    checkpoint: at('checkpoint'),
    model: at('model'),
    log: at('log.jsonl'),
    report: at('report.json'),
    html: at('report.html'),
    onnx: at('onnx'),
    parity: at('parity.json'),
    reconstructions: at('reconstructions.png'),
    samples: at('samples.png'),
    scatter: at('latent-pca.svg'),
    curves: at('training-curves.svg'),
    /** Text runs: held-out sentences and their reconstructions, prior samples, an interpolation (JSON). */
    textSamples: at('text-samples.json'),
    /** Bag-of-words runs: the words each latent direction raises and lowers most (JSON). */
    topWords: at('top-words.json'),
    /** Tables: the standardisation and category maps fitted on the training split, applied to new data again. */
    preprocessing: at('preprocessing.json'),
  };
}

export type RunPaths = ReturnType<typeof runPaths>;

export function writeRunSpec(dir: string, spec: RunSpec): void {
  writeFileAtomic(runPaths(dir).spec, `${JSON.stringify(spec, null, 2)}\n`);
}

/**
 * Reads and validates a run's `run.json`, loading the plugins it names first so their kinds validate too. A field a
 * hand edit broke is named, with what was expected.
 */
export async function readRunSpec(dir: string, extraPlugins: readonly string[] = []): Promise<RunSpec> {
  const file = runPaths(dir).spec;
  if (!fs.existsSync(file)) {
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: no run here; a run folder is made by "latentkit train --run ${dir}"`, { file });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  try {
    const raw = parseConfig(runSpecSchema, doc);
    await loadPlugins([...(raw.plugins ?? []), ...extraPlugins]);
    return { ...raw, model: resolveModelConfig(raw.model as never, 'model') } as RunSpec;
  } catch (e) {
    if (e instanceof LatentkitError && e.code === 'INVALID_CONFIG') throw new LatentkitError('PARSE_ERROR', `${file}: ${e.message}`, { file, ...e.details });
    throw e;
  }
}

/** The trained model of a run: the final model folder, or the last checkpoint of a run that has not finished. */
export function modelDirOf(dir: string): string {
  const paths = runPaths(dir);
  // resolveCheckpointDir knows both layouts (tf.io's model.json, and config.json from before it).
  if (resolveCheckpointDir(paths.model) === path.resolve(paths.model)) return paths.model;
  // A crash between a checkpoint's two renames leaves only checkpoint.old: that is the last good one.
  const checkpoint = resolveCheckpointDir(paths.checkpoint);
  if (checkpoint) return checkpoint;
  throw new LatentkitError('FILE_NOT_FOUND', `${paths.root}: no trained model yet (neither model/ nor checkpoint/); train it first`, { file: paths.root });
}

/** The run's saved preprocessing (tables), or undefined for data without one. */
export function readRunPreprocessing(dir: string): Preprocessing | undefined {
  const file = runPaths(dir).preprocessing;
  if (!fs.existsSync(file)) return undefined;
  try {
    return Preprocessing.fromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not a latentkit preprocessing file (${(e as Error).message})`, { file });
  }
}
