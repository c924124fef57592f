/**
 * Chooses the tfjs backend at run time.
 *
 * Order for `auto`: tfjs-node-gpu, tfjs-node (both optional: their install downloads libtensorflow, which many
 * machines cannot reach, so they are never a hard dependency), then wasm, then the plain cpu backend.
 * `LATENTKIT_BACKEND` or the `backend` option forces one, and then failing to get it is an error, not a fallback.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { LatentkitError, invalidArgument } from './errors.js';
import { registerKernelPatches } from './kernels/index.js';
import { tf } from './tf.js';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export type BackendChoice = BackendName | 'auto';

export interface EngineOptions {
  /** Which backend to use; `auto` (default) takes the fastest one available. Overridden by nothing: the env var only sets the default. */
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
  /** tfjs's own name for it (`tensorflow`, `wasm`, `cpu`). */
  readonly tfjsBackend: string;
  /** Threads the backend computes with. */
  readonly threads: number;
  readonly tfjsVersion: string;
  /** What was tried, in order, and why a candidate was passed over. */
  readonly attempts: readonly BackendAttempt[];
}

const NODE_PACKAGES: Record<'tensorflow-gpu' | 'tensorflow', string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let current: EngineInfo | undefined;

function parseChoice(value: string, source: string): BackendChoice {
  if (value === 'auto' || (BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendChoice;
  throw invalidArgument(source, `one of auto, ${BACKEND_NAMES.join(', ')}`, value);
}

/** Loads an optional package from latentkit's own dependencies or, failing that, from the user's project. */
function requireOptional(name: string): void {
  const bases = [import.meta.url, path.join(process.cwd(), 'package.json')];
  let lastError: unknown;
  for (const base of bases) {
    try {
      createRequire(base)(name);
      return;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

async function tryBackend(name: BackendName): Promise<string> {
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    // Requiring tfjs-node registers its 'tensorflow' backend against the shared tfjs-core engine.
    requireOptional(NODE_PACKAGES[name]);
    if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
    return 'tensorflow';
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
    return 'wasm';
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  return 'cpu';
}

async function threadsOf(tfjsBackend: string): Promise<number> {
  if (tfjsBackend === 'tensorflow') return os.availableParallelism();
  if (tfjsBackend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    return wasm.getThreadsCount();
  }
  return 1;
}

/**
 * Sets up the engine once per process and reports what it got. Calling it again with the same choice returns the
 * same info; with a different explicit choice it switches backend.
 */
export async function initEngine(options: EngineOptions = {}): Promise<EngineInfo> {
  const envChoice = process.env.LATENTKIT_BACKEND;
  const choice: BackendChoice =
    options.backend !== undefined
      ? parseChoice(options.backend, 'backend')
      : envChoice
        ? parseChoice(envChoice, 'LATENTKIT_BACKEND')
        : 'auto';
  if (current && (choice === 'auto' || choice === current.backend) && tf.getBackend() === current.tfjsBackend) return current;

  const candidates: readonly BackendName[] = choice === 'auto' ? BACKEND_NAMES : [choice];
  const attempts: BackendAttempt[] = [];
  for (const backend of candidates) {
    try {
      const tfjsBackend = await tryBackend(backend);
      registerKernelPatches(tfjsBackend);
      attempts.push({ backend, ok: true });
      current = { backend, tfjsBackend, threads: await threadsOf(tfjsBackend), tfjsVersion: tf.version.tfjs, attempts };
      return current;
    } catch (e) {
      attempts.push({ backend, ok: false, reason: firstLine(e) });
    }
  }
  throw new LatentkitError(
    'BACKEND_UNAVAILABLE',
    `could not start the ${choice} backend: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`,
    { choice, attempts },
  );
}

/** The engine set up by `initEngine`, or undefined before it ran. */
export function engineInfo(): EngineInfo | undefined {
  return current;
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
