/**
 * A run folder: everything one training run writes, so that `eval`, `encode`, `sample` and `export` (and another
 * person) can pick it up by its path alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import type { ModelConfig, TrainerConfig } from '@latentkit/models';
import type { DataSpec } from './data-source.js';

export const RUN_FORMAT = 'latentkit-run@1';

export interface RunSpec {
  readonly format: typeof RUN_FORMAT;
  readonly data: DataSpec;
  readonly model: ModelConfig;
  readonly trainer: TrainerConfig;
  readonly batchSize: number;
  readonly versions: Readonly<Record<string, string>>;
}

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
  };
}

export type RunPaths = ReturnType<typeof runPaths>;

export function writeRunSpec(dir: string, spec: RunSpec): void {
  writeFileAtomic(runPaths(dir).spec, `${JSON.stringify(spec, null, 2)}\n`);
}

export function readRunSpec(dir: string): RunSpec {
  const file = runPaths(dir).spec;
  if (!fs.existsSync(file)) {
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: no run here; a run folder is made by "latentkit train --run ${dir}"`, { file });
  }
  let spec: RunSpec;
  try {
    spec = JSON.parse(fs.readFileSync(file, 'utf8')) as RunSpec;
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
  if (spec?.format !== RUN_FORMAT) throw new LatentkitError('PARSE_ERROR', `${file}: expected format ${RUN_FORMAT}, got ${JSON.stringify(spec?.format)}`, { file });
  return spec;
}

/** The trained model of a run: the final model folder, or the last checkpoint of a run that has not finished. */
export function modelDirOf(dir: string): string {
  const paths = runPaths(dir);
  if (fs.existsSync(path.join(paths.model, 'config.json'))) return paths.model;
  if (fs.existsSync(path.join(paths.checkpoint, 'config.json'))) return paths.checkpoint;
  throw new LatentkitError('FILE_NOT_FOUND', `${paths.root}: no trained model yet (neither model/ nor checkpoint/); train it first`, { file: paths.root });
}
