/**
 * Where a training step spends its time, per kernel:
 * `node bench/dist/profile.js <backend> <workload> [--cpu] [--warmup=steps before profiling, default 3] [--repeat=profiled steps, default 1]`.
 * With --cpu, kernels are timed in process CPU time (all threads) instead of wall time, which a busy machine
 * inflates at random.
 */
import { initEngine, tf } from '@latentkit/core';
import { WORKLOADS, type WorkloadName } from './workloads.js';

const [backend, workload] = process.argv.slice(2) as [string, WorkloadName];
await initEngine({ backend: backend as 'native' | 'wasm' | 'cpu' });
if (process.argv.includes('--cpu')) {
  tf.backend().time = async (f: () => void) => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return { kernelMs: (c.user + c.system) / 1000 };
  };
}
const run = WORKLOADS[workload]();
const warmup = Number(process.argv.find((a) => a.startsWith('--warmup='))?.split('=')[1] ?? 3);
for (let i = 0; i < warmup; i++) run.step();
// Each kernel call's time is its minimum over the profiled steps, which filters out what a busy machine adds at
// random; the step time is the minimum too.
const repeat = Number(process.argv.find((a) => a.startsWith('--repeat='))?.split('=')[1] ?? 1);
let info: Awaited<ReturnType<typeof tf.profile>> | undefined;
let total = Number.POSITIVE_INFINITY;
for (let r = 0; r < repeat; r++) {
  const t0 = performance.now();
  const next = await tf.profile(() => {
    run.step();
  });
  total = Math.min(total, performance.now() - t0);
  if (info)
    next.kernels.forEach((k, i) => {
      const seen = info?.kernels[i];
      if (seen && seen.name === k.name) seen.kernelTimeMs = Math.min(seen.kernelTimeMs as number, k.kernelTimeMs as number);
    });
  else info = next;
}
if (!info) throw new Error('--repeat must be at least 1');
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += k.kernelTimeMs as number;
  entry.calls += 1;
  byKernel.set(k.name, entry);
}
const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
const kernelMs = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(`${backend} ${workload}: step ${total.toFixed(1)} ms (profiled), kernels ${kernelMs.toFixed(1)} ms in ${info.kernels.length} calls`);
for (const [name, e] of rows.slice(0, 25)) console.log(`${name.padEnd(28)} ${e.ms.toFixed(2).padStart(9)} ms ${String(e.calls).padStart(6)} calls`);
console.log('\nby kernel and input shapes:');
const byShape = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  const entry = byShape.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += k.kernelTimeMs as number;
  entry.calls += 1;
  byShape.set(key, entry);
}
for (const [key, e] of [...byShape.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${e.ms.toFixed(2).padStart(9)} ms ${String(e.calls).padStart(5)} × ${(e.ms / e.calls).toFixed(3).padStart(8)} ms  ${key}`);
}
console.log('\nslowest single calls:');
const slowest = [...info.kernels].filter((k) => !k.name.endsWith('__op')).sort((a, b) => (b.kernelTimeMs as number) - (a.kernelTimeMs as number));
for (const k of slowest.slice(0, 15))
  console.log(`${k.name.padEnd(20)} ${(k.kernelTimeMs as number).toFixed(2).padStart(9)} ms  ${JSON.stringify(k.inputShapes)}`);
run.dispose();
