/**
 * `pnpm --filter @latentkit/backend-native bench [--cpu] [--steps-scale=k]`: the issue-9 training workloads on every
 * available backend (each run in its own process) and on PyTorch (Debian's python3-torch, one thread as in the
 * issue) in the same run; prints median ms per Adam step with ratios to PyTorch and writes
 * bench-results/training.json. The cpu backend takes ~1.5 min per LSTM-VAE step, so it runs only with --cpu.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOAD_LABELS, WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '../..');
const PYTHON = '/usr/bin/python3';
const args = process.argv.slice(2);
const withCpu = args.includes('--cpu');
const scale = Number(args.find((a) => a.startsWith('--steps-scale='))?.split('=')[1] ?? 1);
const STEPS: Record<WorkloadName, number> = { 'lstm-vae': 5, 'bow-vae': 30, 'conv-ae': 15 };
const steps = (w: WorkloadName, backend: string) => Math.max(1, Math.round((backend === 'cpu' ? 2 : STEPS[w]) * scale));

interface Measurement {
  readonly runner: string;
  readonly workload: WorkloadName;
  readonly ms: number[];
  readonly median: number;
  readonly error?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function runJson(command: string, commandArgs: string[]): { ms: number[] } {
  const out = execFileSync(command, commandArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
  const line = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as { ms: number[] };
}

function measure(runner: string, workload: WorkloadName, command: string, commandArgs: string[]): Measurement {
  process.stderr.write(`${runner} ${workload} … `);
  try {
    const { ms } = runJson(command, commandArgs);
    const m = median(ms);
    process.stderr.write(`${m.toFixed(1)} ms\n`);
    return { runner, workload, ms, median: m };
  } catch (e) {
    const error = ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n').slice(-3).join(' | ');
    process.stderr.write(`failed: ${error}\n`);
    return { runner, workload, ms: [], median: Number.NaN, error };
  }
}

function torchAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const backends = ['native', 'wasm', ...(withCpu ? ['cpu'] : [])];
const hasTorch = torchAvailable();
const results: Measurement[] = [];
for (const workload of WORKLOAD_NAMES) {
  if (hasTorch) {
    const script = path.join(packageDir, 'bench', 'torch_reference.py');
    results.push(measure('pytorch', workload, PYTHON, [script, workload, '1', String(steps(workload, 'pytorch'))]));
  }
  for (const backend of backends) {
    const script = path.join(here, 'run-workload.js');
    results.push(measure(backend, workload, process.execPath, [script, backend, workload, String(steps(workload, backend))]));
  }
}

const runners = [...(hasTorch ? ['pytorch'] : []), ...backends];
const cell = (workload: WorkloadName, runner: string) => results.find((r) => r.workload === workload && r.runner === runner);
const header = `| workload | ${runners.map((r) => `${r} ms`).join(' | ')} | ${runners.filter((r) => r !== 'pytorch').map((r) => `${r} / pytorch`).join(' | ')} |`;
const lines = [header, `|${'---|'.repeat(1 + runners.length + runners.length - 1)}`];
for (const workload of WORKLOAD_NAMES) {
  const ref = cell(workload, 'pytorch')?.median ?? Number.NaN;
  const times = runners.map((r) => {
    const m = cell(workload, r);
    return m?.error ? 'failed' : (m?.median.toFixed(1) ?? '–');
  });
  const ratios = runners.filter((r) => r !== 'pytorch').map((r) => {
    const ratio = (cell(workload, r)?.median ?? Number.NaN) / ref;
    return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
  });
  lines.push(`| ${WORKLOAD_LABELS[workload]} | ${times.join(' | ')} | ${ratios.join(' | ')} |`);
}
console.log(lines.join('\n'));

const outDir = path.join(packageDir, 'bench-results');
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, 'training.json');
const machine = { cpus: os.cpus()[0]?.model, cores: os.availableParallelism(), loadavg: os.loadavg(), node: process.version };
fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`);
console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
