/**
 * `node peak.js <runs> [warmup runs, default 2]`: a 2048 × 2048 float32 product, `tf.matMul` on the native backend,
 * timed `runs` times after the warm-up; prints one JSON line {blas, n, ms: [...]}. It runs the product exactly as the
 * training workloads' products run: on the system BLAS split over the addon's pool, or with `LATENTKIT_BLAS=none`
 * on onnxruntime's MLAS. tfjs adds an output allocation per call (reused heap memory after the warm-up), well under 1%
 * of an ~80 ms product. bench/run.ts takes the best of these and numpy's product as the machine's peak.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine, tf } from '@latentkit/core';

const PEAK_N = 2048;

const [runsArg, warmupArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 10);
const warmup = Number(warmupArg ?? 2);
await initEngine({ backend: 'native' });
// The addon is already loaded by the backend: require returns the same instance, to ask it which BLAS it opened.
const addonPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/Release/latentkit_native.node');
const addon = createRequire(import.meta.url)(addonPath) as { blasName(): string };
const blas = addon.blasName() || 'none (onnxruntime MLAS)';
const a = tf.randomUniform([PEAK_N, PEAK_N], -1, 1, 'float32', 1);
const b = tf.randomUniform([PEAK_N, PEAK_N], -1, 1, 'float32', 2);
const ms: number[] = [];
for (let i = 0; i < warmup + runs; i++) {
  const t0 = performance.now();
  // Synchronous: every kernel of this backend has finished when it returns, so no read-back (a 16 MB copy) is needed.
  const c = tf.matMul(a, b);
  const t = performance.now() - t0;
  c.dispose();
  if (i >= warmup) ms.push(t);
}
console.log(JSON.stringify({ blas, n: PEAK_N, ms }));
