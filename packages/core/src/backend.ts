/**
 * Chooses the tfjs backend at run time.
 *
 * Order for `auto`: tfjs-node-gpu, tfjs-node, then latentkit's own native addon, then wasm, then the plain cpu
 * backend. The first three are optional packages loaded at run time, never dependencies: tfjs-node's install
 * downloads libtensorflow, which many machines cannot reach, and `@latentkit/backend-native` depends on this package.
 * `LATENTKIT_BACKEND` or the `backend` option forces one, and then failing to get it is an error, not a fallback.
 */
import os from 'node:os';
import { silenceCpuBanner } from './banner.js';
import { LatentkitError, invalidArgument } from './errors.js';
import { registerGradientPatches } from './gradients/reduction-grads.js';
import { type AppliedPatch, registerKernelPatches } from './kernels/index.js';
import { NATIVE_TFJS_BACKEND } from './kernels/patch.js';
import { importOptional } from './optional-import.js';
import { tf } from './tf.js';

export { NATIVE_TFJS_BACKEND };

import { BACKEND_NAMES, type BackendChoice, type BackendName } from './backend-names.js';

export { BACKEND_NAMES };
export type { BackendChoice, BackendName };

export interface EngineOptions {
  /** Which backend to use; `auto` (default) takes the fastest one available. When absent, `LATENTKIT_BACKEND` decides. */
  backend?: BackendChoice;
}

export interface BackendAttempt {
  readonly backend: BackendName;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface EngineInfo {
  /** The backend in use. */
  readonly backend: BackendName;
  /** tfjs's own name for it (`tensorflow`, `latentkit-native`, `wasm`, `cpu`). */
  readonly tfjsBackend: string;
  /** Threads the backend computes with. */
  readonly threads: number;
  readonly tfjsVersion: string;
  /** What was tried, in order, and why a candidate was passed over. */
  readonly attempts: readonly BackendAttempt[];
  /** Kernels latentkit added to or replaced in this backend (see src/kernels). */
  readonly kernelPatches: readonly AppliedPatch[];
}

interface Candidate {
  /** tfjs's name for the backend the candidate registers. */
  readonly tfjsBackend: string;
  /** The optional package that registers it, if it is not built into latentkit's dependencies. */
  readonly packageName?: string;
  threads(module: Record<string, unknown> | undefined): Promise<number>;
}

const allCores = async () => os.availableParallelism();

const CANDIDATES: Record<BackendName, Candidate> = {
  'tensorflow-gpu': { tfjsBackend: 'tensorflow', packageName: '@tensorflow/tfjs-node-gpu', threads: allCores },
  tensorflow: { tfjsBackend: 'tensorflow', packageName: '@tensorflow/tfjs-node', threads: allCores },
  native: {
    tfjsBackend: NATIVE_TFJS_BACKEND,
    packageName: '@latentkit/backend-native',
    // The addon reports its pool size when it exports getThreadsCount (as tfjs-backend-wasm does).
    threads: async (module) => (typeof module?.getThreadsCount === 'function' ? Number(module.getThreadsCount()) : os.availableParallelism()),
  },
  wasm: {
    tfjsBackend: 'wasm',
    threads: async () => Number((await importWasm()).getThreadsCount?.() ?? 1),
  },
  cpu: { tfjsBackend: 'cpu', threads: async () => 1 },
};

/**
 * tfjs-backend-wasm is an optional peer dependency (13 MB): the packages that train depend on it, core alone runs on
 * cpu. Missing, `auto` passes over it with this reason; `backend: 'wasm'` fails with it.
 */
async function importWasm(): Promise<Record<string, unknown> & { getThreadsCount?: () => number }> {
  try {
    return await import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error('@tensorflow/tfjs-backend-wasm is not installed (npm install @tensorflow/tfjs-backend-wasm@4.22.0 for a faster backend than cpu)');
    }
    throw e;
  }
}

let current: EngineInfo | undefined;

function parseChoice(value: string, source: string): BackendChoice {
  if (value === 'auto' || (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendChoice;
  throw invalidArgument(source, `one of auto, ${BACKEND_NAMES.join(', ')}`, value);
}

/** Makes `name` the active backend, loading its package first unless a program already registered it. */
async function activate(name: BackendName): Promise<Record<string, unknown> | undefined> {
  const candidate = CANDIDATES[name];
  let module: Record<string, unknown> | undefined;
  if (name === 'wasm') module = await importWasm();
  // tfjs-node-gpu and tfjs-node register the same name, so the gpu one is always imported to know which we have.
  else if (candidate.packageName && (name === 'tensorflow-gpu' || !tf.findBackendFactory(candidate.tfjsBackend))) {
    module = await importOptional(candidate.packageName);
    if (!tf.findBackendFactory(candidate.tfjsBackend)) {
      throw new Error(`${candidate.packageName} loaded but registered no '${candidate.tfjsBackend}' backend`);
    }
    // A package that can tell whether it works here (checkNativeBackend) turns a broken install into a reason in
    // the report, where tfjs's setBackend would print a stack trace and return false.
    if (typeof module.checkNativeBackend === 'function') module.checkNativeBackend();
  }
  if (!(await tf.setBackend(candidate.tfjsBackend))) throw new Error(`the ${candidate.tfjsBackend} backend did not initialise`);
  return module;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Sets up the engine once per process and reports what it got. Calling it again with the same choice (or `auto`)
 * returns the same info; with a different explicit choice it switches backend. Concurrent calls run one after another.
 */
export function initEngine(options: EngineOptions = {}): Promise<EngineInfo> {
  const run = queue.then(() => start(options));
  queue = run.catch(() => undefined);
  return run;
}

async function start(options: EngineOptions): Promise<EngineInfo> {
  const envChoice = process.env.LATENTKIT_BACKEND;
  const choice: BackendChoice =
    options.backend !== undefined ? parseChoice(options.backend, 'backend') : envChoice ? parseChoice(envChoice, 'LATENTKIT_BACKEND') : 'auto';
  if (current && (choice === 'auto' || choice === current.backend) && tf.getBackend() === current.tfjsBackend) return current;

  silenceCpuBanner();
  const candidates: readonly BackendName[] = choice === 'auto' ? BACKEND_NAMES : [choice];
  const attempts: BackendAttempt[] = [];
  for (const backend of candidates) {
    try {
      const module = await activate(backend);
      const { tfjsBackend, threads } = CANDIDATES[backend];
      const kernelPatches = registerKernelPatches(tfjsBackend);
      registerGradientPatches();
      attempts.push({ backend, ok: true });
      current = { backend, tfjsBackend, threads: await threads(module), tfjsVersion: tf.version_core, attempts, kernelPatches };
      return current;
    } catch (e) {
      attempts.push({ backend, ok: false, reason: firstLine(e) });
    }
  }
  throw new LatentkitError('BACKEND_UNAVAILABLE', `could not start the ${choice} backend: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`, {
    choice,
    attempts,
  });
}

/** The engine set up by `initEngine`, or undefined before it ran. */
export function engineInfo(): EngineInfo | undefined {
  return current;
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
