/**
 * One sweep trial as a normal run folder, run by child `latentkit` processes (the same CLI, so a trial is exactly
 * what `train --config` + `eval` would make by hand): a new run, or the continuation of one whose worker died
 * (from its last checkpoint), or nothing at all when report.json shows it is already done. A run folder with a
 * run.json but no checkpoint yet died before its first one: it holds nothing worth keeping and starts over.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LatentkitError, writeFileAtomic } from '@latentkit/core/base';
import type { TrialRunner, TrialTask } from '@latentkit/sweep';
import { EXIT } from '../exit-codes.js';
import { runPaths } from '../run/run-folder.js';

const BIN = fileURLToPath(new URL('../bin.js', import.meta.url));

function cli(args: readonly string[], task: TrialTask): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches only the sweep or worker, which decides (a sweep
      // stops its trials with a checkpoint; a worker finishes its current trial first).
      detached: true,
      env: { ...process.env, LATENTKIT_PARENT_PID: String(process.pid) },
    });
    let tail = '';
    child.stderr.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
    });
    const stop = () => child.kill('SIGINT');
    task.signal.addEventListener('abort', stop, { once: true });
    child.on('error', (e) => reject(new Error(`${task.trialId}: cannot start latentkit (${e.message})`)));
    child.on('exit', (code, signal) => {
      task.signal.removeEventListener('abort', stop);
      if (code === 0) return resolve();
      const last =
        tail
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('latentkit:'))
          .pop() ??
        tail.trim().split('\n').pop() ??
        '';
      const message = `trial ${task.trialId}: latentkit ${args[0]} exited with ${signal ?? code}: ${last.replace(/^latentkit: /, '')}`;
      // A bad config or a diverging loss fails the same way on any worker: not worth a retry.
      if (code === EXIT.usage) return reject(new LatentkitError('INVALID_CONFIG', message));
      if (code === EXIT.numeric) return reject(new LatentkitError('NUMERIC_ERROR', message));
      reject(new Error(message));
    });
  });
}

export function cliTrialRunner(options: { backend?: string; seed?: number } = {}): TrialRunner {
  return async (task) => {
    const paths = runPaths(task.runDir);
    const common = ['--no-progress', ...(options.backend ? ['--backend', options.backend] : [])];
    if (!fs.existsSync(paths.report)) {
      if (fs.existsSync(paths.spec) && fs.existsSync(paths.checkpoint)) {
        task.log(`trial ${task.trialId}: resuming ${task.runDir} from its checkpoint`);
        await cli(['train', '--resume', task.runDir, ...common], task);
      } else {
        fs.rmSync(task.runDir, { recursive: true, force: true });
        const configFile = `${task.runDir}.config.json`;
        writeFileAtomic(configFile, `${JSON.stringify(task.config, null, 2)}\n`);
        const seed = (task.config.trainer as { seed?: unknown } | undefined)?.seed ?? options.seed ?? 1;
        await cli(['train', '--config', configFile, '--run', task.runDir, '--seed', String(seed), ...common], task);
      }
      const e = task.eval;
      await cli(
        [
          'eval',
          '--run',
          task.runDir,
          '--json',
          ...(e.importanceSamples !== undefined ? ['--importance-samples', String(e.importanceSamples)] : []),
          ...(e.kmeansRestarts !== undefined ? ['--kmeans-restarts', String(e.kmeansRestarts)] : []),
          ...(e.probe === false ? ['--no-probe'] : []),
          ...(e.knn === false ? ['--no-knn'] : []),
          ...(e.kmeans === false ? ['--no-kmeans'] : []),
          ...common,
        ],
        task,
      );
    }
    try {
      return JSON.parse(fs.readFileSync(paths.report, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`trial ${task.trialId}: ${path.relative(process.cwd(), paths.report)}: ${(e as Error).message}`);
    }
  };
}
