/**
 * `node run-forward.js <backend> <workload> <runs>`: median-ready ms of the tfjs deterministic forward pass (one
 * JSON line), the tfjs side of bench/inference.ts.
 */
import { initEngine } from '@latentkit/core';
import { WORKLOADS, type WorkloadName } from './workloads.js';

const [backend, workload, runsArg] = process.argv.slice(2) as [string, WorkloadName, string];
await initEngine({ backend: backend as 'native' | 'wasm' | 'cpu' });
const run = WORKLOADS[workload]();
const ms: number[] = [];
for (let i = 0; i < 2 + Number(runsArg); i++) {
  const t0 = performance.now();
  const y = run.forward();
  y.dataSync();
  if (i >= 2) ms.push(performance.now() - t0);
  y.dispose();
}
run.dispose();
console.log(JSON.stringify({ backend, workload, ms }));
