/** Where a checkpoint is read from, without loading tfjs (the CLI asks this before it starts the engine). */
import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder a checkpoint at `dir` is read from: `dir` itself, or `dir.old` when a crash between the two renames of
 * an atomic folder write left only that; undefined when there is no checkpoint. Every reader (resume, eval, encode,
 * export) should go through this (or `loadCheckpoint`, which does) so that the fallback is never missed.
 */
export function resolveCheckpointDir(dir: string): string | undefined {
  const target = path.resolve(dir);
  // model.json: a tf.io checkpoint; config.json: one written before checkpoints went through tf.io.
  for (const candidate of [target, `${target}.old`]) {
    if (fs.existsSync(path.join(candidate, 'model.json')) || fs.existsSync(path.join(candidate, 'config.json'))) return candidate;
  }
  return undefined;
}

/** True when `dir` (or its `.old` fallback) holds a checkpoint. */
export function checkpointExists(dir: string): boolean {
  return resolveCheckpointDir(dir) !== undefined;
}
