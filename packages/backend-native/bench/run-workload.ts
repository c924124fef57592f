/**
 * One backend × one workload, in its own process (so backends never share a heap or a thread pool):
 * `node run-workload.js <backend> <workload> <steps> [warmup seconds, default 2]` prints one JSON line
 * {backend, workload, ms: [...]}. Before the measured steps it trains for at least two steps and the warm-up time,
 * as torch_reference.py does: V8 compiles a step's JavaScript only after it has run many times (the BoW VAE's step
 * went from 9.7 ms over its first 20 steps to 6 ms after 100), and a training run lasts thousands of steps.
 */
import { initEngine } from '@latentkit/core';
import { WORKLOADS, type WorkloadName } from './workloads.js';

const [backend, workload, stepsArg, warmupArg] = process.argv.slice(2) as [string, WorkloadName, string, string | undefined];
const steps = Number(stepsArg);
const warmupMs = 1000 * Number(warmupArg ?? 2);
const info = await initEngine({ backend: backend as 'native' | 'wasm' | 'cpu' });
const run = WORKLOADS[workload]();
const start = performance.now();
for (let i = 0; i < 2 || performance.now() - start < warmupMs; i++) run.step();
const ms: number[] = [];
const cpuMs: number[] = [];
let loss = Number.NaN;
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  loss = run.step();
  const c = process.cpuUsage(c0);
  ms.push(performance.now() - t0);
  cpuMs.push((c.user + c.system) / 1000);
}
run.dispose();
console.log(JSON.stringify({ backend, tfjsBackend: info.tfjsBackend, workload, ms, cpuMs, loss }));
