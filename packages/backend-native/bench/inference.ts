/**
 * `pnpm --filter @latentkit/backend-native bench:inference`: issue 9's second goal, onnxruntime inference vs a
 * tfjs forward pass, for the three workload models. PyTorch exports each model's deterministic forward pass
 * (bench/torch_reference.py export) and onnxruntime-node runs it through its public async API, as an application
 * would; tfjs runs the same architecture (bench/workloads.ts) on wasm and on latentkit-native, each in its own
 * process. Same batch shapes as training. Writes bench-results/inference.json. Needs Debian's python3-torch for
 * the export (the ONNX files of @latentkit/onnx would do as well, once it exports these models).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOAD_LABELS, WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '../..');
const outDir = path.join(packageDir, 'bench-results');
const RUNS = 10;

interface OrtSession {
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
}
interface Ort {
  InferenceSession: { create(file: string, options: object): Promise<OrtSession> };
  Tensor: new (type: string, data: unknown, dims: number[]) => unknown;
}
const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function feeds(workload: WorkloadName): Record<string, unknown> {
  if (workload === 'lstm-vae') {
    const tokens = BigInt64Array.from({ length: 35 * 32 }, (_, i) => BigInt(1 + ((i * 7919) % 9999)));
    return { tokens: new ort.Tensor('int64', tokens, [35, 32]), decoder_input: new ort.Tensor('int64', tokens, [35, 32]) };
  }
  if (workload === 'bow-vae') return { x: new ort.Tensor('float32', new Float32Array(64 * 2000).fill(0.05), [64, 2000]) };
  return { x: new ort.Tensor('float32', new Float32Array(128 * 28 * 28).fill(0.2), [128, 1, 28, 28]) };
}

async function onnxruntimeMs(workload: WorkloadName): Promise<number[]> {
  const file = path.join(outDir, 'onnx', `${workload}.onnx`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('/usr/bin/python3', [path.join(packageDir, 'bench', 'torch_reference.py'), 'export', workload, file], { stdio: 'ignore' });
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: os.availableParallelism(), graphOptimizationLevel: 'all' });
  const input = feeds(workload);
  const ms: number[] = [];
  for (let i = 0; i < 2 + RUNS; i++) {
    const t0 = performance.now();
    await session.run(input);
    if (i >= 2) ms.push(performance.now() - t0);
  }
  return ms;
}

function tfjsMs(backend: string, workload: WorkloadName): number[] {
  const out = execFileSync(process.execPath, [path.join(here, 'run-forward.js'), backend, workload, String(RUNS)], { encoding: 'utf8' });
  return (JSON.parse(out.trim().split('\n').at(-1) ?? '') as { ms: number[] }).ms;
}

const rows: { workload: WorkloadName; onnxruntime: number; wasm: number; native: number }[] = [];
for (const workload of WORKLOAD_NAMES) {
  process.stderr.write(`${workload} … `);
  const row = {
    workload,
    onnxruntime: median(await onnxruntimeMs(workload)),
    wasm: median(tfjsMs('wasm', workload)),
    native: median(tfjsMs('native', workload)),
  };
  process.stderr.write(`${JSON.stringify(row)}\n`);
  rows.push(row);
}
const lines = [
  '| model (forward pass, training batch) | onnxruntime ms | tfjs wasm ms | tfjs native ms | wasm / onnxruntime | native / onnxruntime |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${WORKLOAD_LABELS[r.workload]} | ${r.onnxruntime.toFixed(1)} | ${r.wasm.toFixed(1)} | ${r.native.toFixed(1)} | ${(r.wasm / r.onnxruntime).toFixed(1)}× | ${(r.native / r.onnxruntime).toFixed(1)}× |`,
  ),
];
console.log(lines.join('\n'));
const loadavg = os.loadavg().map((x) => Number(x.toFixed(2)));
console.log(`\nmedian of ${RUNS} runs; load average at the end ${loadavg.join(', ')}`);
fs.writeFileSync(path.join(outDir, 'inference.json'), `${JSON.stringify({ date: new Date().toISOString(), loadavg, rows, table: lines }, null, 2)}\n`);
