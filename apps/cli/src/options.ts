/**
 * Flags shared by every command, defined once so they mean the same thing everywhere.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { EngineInfo } from '@latentkit/core';
import { BACKEND_NAMES, type BackendChoice } from '@latentkit/core/base';

export interface CommonOptions {
  readonly backend: BackendChoice;
  readonly seed: number;
  readonly verbose: boolean;
  readonly progress: boolean;
  /** `--plugin` files, loaded by `startEngine` before anything reads a config. */
  readonly plugins: readonly string[];
}

export function parseInteger(name: string, { min = Number.MIN_SAFE_INTEGER } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}, got "${value}".`);
    return n;
  };
}

export function parseNumber(name: string, { min = -Infinity, exclusiveMin = false } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || (exclusiveMin && n === min)) {
      throw new InvalidArgumentError(`${name} must be a number ${exclusiveMin ? '>' : '≥'} ${min}, got "${value}".`);
    }
    return n;
  };
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--backend <name>', 'tensor backend: auto picks tfjs-node-gpu, tfjs-node, native, wasm, cpu in that order (env LATENTKIT_BACKEND)')
        .choices(['auto', ...BACKEND_NAMES])
        .default(process.env.LATENTKIT_BACKEND ?? 'auto'),
    )
    .option('--seed <n>', 'random seed: the same seed and flags give the same run', parseInteger('--seed'), 1)
    .option('--plugin <file...>', 'ES module(s) registering your own bottleneck, model or dataset kinds (see the README)')
    .option('--no-progress', 'no progress bars (they are also off when output is not a terminal)')
    .option('--verbose', 'print stack traces and extra detail on errors', false);
}

export function commonOptions(opts: Record<string, unknown>): CommonOptions {
  return {
    backend: opts.backend as BackendChoice,
    seed: opts.seed as number,
    verbose: Boolean(opts.verbose),
    progress: opts.progress !== false && Boolean(process.stderr.isTTY),
    plugins: (opts.plugin as string[] | undefined) ?? [],
  };
}

export async function startEngine(common: CommonOptions, log: (line: string) => void): Promise<EngineInfo> {
  const { initEngine } = await import('@latentkit/core');
  const info = await initEngine({ backend: common.backend });
  const { loadPlugins } = await import('./run/plugins.js');
  await loadPlugins(common.plugins);
  log(`backend: ${info.backend} (${info.threads} thread${info.threads === 1 ? '' : 's'})`);
  return info;
}

/** Options as commander hands them to an action: untyped there, each action reads the flags its command declares. */
// biome-ignore lint/suspicious/noExplicitAny: commander's parsed options carry no static types.
export type ActionOptions = Record<string, any>;

/**
 * An action whose module (and so tfjs, the models, onnxruntime) loads only when the command runs: `--help` and flag
 * errors stay instant.
 */
export function lazyAction(load: () => Promise<{ run(opts: ActionOptions, cmd: Command): Promise<void> }>) {
  return async (opts: ActionOptions, cmd: Command): Promise<void> => (await load()).run(opts, cmd);
}

/** The flags the user typed (not defaults), as their long names: `--lr`, `--epochs`. */
export function givenFlags(cmd: Command): string[] {
  return cmd.options.filter((o) => cmd.getOptionValueSource(o.attributeName()) === 'cli').map((o) => o.long ?? o.flags);
}
