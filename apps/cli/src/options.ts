/**
 * Flags shared by every command, defined once so they mean the same thing everywhere.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { EngineInfo } from '@latentkit/core';
import { BACKEND_NAMES, type BackendChoice } from '@latentkit/core/base';
import { type ProgressBar, progressBar, writeLine } from './progress.js';

export interface CommonOptions extends OutputOptions {
  readonly backend: BackendChoice;
  readonly seed: number;
  readonly verbose: boolean;
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

/**
 * How a command talks, the same on every command: the result on stdout (`--json`: one JSON document, nothing else),
 * logs and progress bars on stderr, `--quiet` for errors only.
 */
export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Progress bars are drawn: `--progress`, or stderr is a terminal; never with `--quiet` or `--no-progress`. */
  readonly progress: boolean;
}

/**
 * `--json`, `-q/--quiet`, `--progress`/`--no-progress`. Part of `addCommonOptions`; a command that takes no engine
 * flags (sweep, worker, data) adds these alone. A new command adopts both in one line: `addCommonOptions(cmd)`.
 */
export function addOutputOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print the result as one JSON document on stdout (logs stay on stderr)')
    .option('-q, --quiet', 'print no logs or progress bars on stderr, only errors')
    .option('--progress', 'draw progress bars even when stderr is not a terminal (a plain line every 5 s)')
    .option('--no-progress', 'no progress bars (by default they are drawn only when stderr is a terminal)');
}

export function outputOptions(opts: Record<string, unknown>): OutputOptions {
  const quiet = Boolean(opts.quiet);
  return {
    json: Boolean(opts.json),
    quiet,
    progress: !quiet && (opts.progress === true || (opts.progress !== false && Boolean(process.stderr.isTTY))),
  };
}

/** Writes a command's result and logs the way `OutputOptions` says. */
export interface Output extends OutputOptions {
  /** A line on stderr, unless `--quiet`. */
  log(line: string): void;
  /** A warning on stderr, also under `--quiet` (a deprecated flag, a skipped part): the user must hear it once. */
  warn(line: string): void;
  /** The result: `value` as JSON with `--json`, else `text()` (nothing when it is empty). */
  result(value: unknown, text: () => string): void;
  /** A progress bar with ETA on stderr, drawn only when `progress` is on (see progress.ts). */
  bar(label: string, total: number, unit?: string): ProgressBar;
}

export function outputOf(opts: Record<string, unknown>): Output {
  const o = outputOptions(opts);
  return {
    ...o,
    log: (line) => {
      if (!o.quiet) writeLine(line);
    },
    warn: (line) => writeLine(`latentkit: warning: ${line}`),
    result: (value, text) => {
      if (o.json) {
        process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
        return;
      }
      const t = text();
      if (t) process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
    },
    bar: (label, total, unit) => progressBar(o.progress, label, total, unit),
  };
}

/** Typed arrays as plain arrays, NaN/Infinity as null (JSON has neither): a result is always valid JSON. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

export function addCommonOptions(cmd: Command): Command {
  return addOutputOptions(cmd)
    .addOption(
      new Option('--backend <name>', 'tensor backend: auto picks tfjs-node-gpu, tfjs-node, native, wasm, cpu in that order (env LATENTKIT_BACKEND)')
        .choices(['auto', ...BACKEND_NAMES])
        .default(process.env.LATENTKIT_BACKEND ?? 'auto'),
    )
    .option('--seed <n>', 'random seed: the same seed and flags give the same run', parseInteger('--seed'), 1)
    .option('--plugin <file...>', 'ES module(s) registering your own bottleneck, model or dataset kinds (see the README)')
    .option('--verbose', 'print stack traces and extra detail on errors');
}

export function commonOptions(opts: Record<string, unknown>): CommonOptions {
  return {
    backend: opts.backend as BackendChoice,
    seed: opts.seed as number,
    verbose: Boolean(opts.verbose),
    ...outputOptions(opts),
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
