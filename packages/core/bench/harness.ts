/** Timing helpers: medians over repeated runs, reported beside the reference they replace, measured in the same run. */
import { tf } from '../src/index.js';

export interface Timing {
  readonly medianMs: number;
  readonly runs: number;
}

/** Median wall time of `fn` (which must finish its work, e.g. by reading a value), after a warm-up run unless told. */
export function time(fn: () => void, runs: number, warmUp = true): Timing {
  if (warmUp) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const m = times.length >> 1;
  const medianMs = times.length % 2 ? (times[m] as number) : ((times[m - 1] as number) + (times[m] as number)) / 2;
  return { medianMs, runs };
}

/** Runs `fn` in a tidy and waits for its result. */
export function sync(fn: () => tf.Tensor | tf.Tensor[]): () => void {
  return () => {
    const out = tf.tidy(fn);
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    tf.dispose(out);
  };
}

/** Runs `fn` with `kernelFunc` registered as `kernelName` on `backend`, then puts back whatever was there. */
export function withKernel<T>(kernelName: string, backend: string, kernelFunc: tf.KernelFunc, fn: () => T): T {
  const current = tf.getKernel(kernelName, backend) as tf.KernelConfig | undefined;
  if (current) tf.unregisterKernel(kernelName, backend);
  tf.registerKernel({ kernelName, backendName: backend, kernelFunc });
  try {
    return fn();
  } finally {
    tf.unregisterKernel(kernelName, backend);
    if (current) tf.registerKernel(current);
  }
}

export interface Row {
  readonly name: string;
  readonly baseline: string;
  readonly baselineMs: number;
  readonly patchedMs: number;
}

export function printRows(title: string, rows: readonly Row[]): void {
  console.log(`\n${title}`);
  console.log('| case | baseline | baseline ms | latentkit ms | speed-up |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.baseline} | ${r.baselineMs.toFixed(2)} | ${r.patchedMs.toFixed(2)} | ${(r.baselineMs / r.patchedMs).toFixed(1)}× |`);
  }
}
