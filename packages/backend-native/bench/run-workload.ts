/**
 * One backend × one workload, in its own process (so backends never share a heap or a thread pool):
 * `node run-workload.js <backend> <workload> <steps>` prints one JSON line {backend, workload, ms: [...]}.
 */
import { initEngine } from '@latentkit/core';
import { WORKLOADS, type WorkloadName } from './workloads.js';

const [backend, workload, stepsArg] = process.argv.slice(2) as [string, WorkloadName, string];
const steps = Number(stepsArg);
const info = await initEngine({ backend: backend as 'native' | 'wasm' | 'cpu' });
const run = WORKLOADS[workload]();
const warmup = 2;
const ms: number[] = [];
const cpuMs: number[] = [];
let loss = Number.NaN;
for (let i = 0; i < warmup + steps; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  loss = run.step();
  const c = process.cpuUsage(c0);
  if (i >= warmup) {
    ms.push(performance.now() - t0);
    cpuMs.push((c.user + c.system) / 1000);
  }
}
run.dispose();
console.log(JSON.stringify({ backend, tfjsBackend: info.tfjsBackend, workload, ms, cpuMs, loss }));
