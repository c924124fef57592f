/**
 * `pnpm --filter @latentkit/backend-native bench [-- --rounds=N --cpu --steps-scale=k --warmup-seconds=s --runners=pytorch,native]`: the issue-9 training
 * workloads on every available backend and on PyTorch (Debian's python3-torch, one thread as in the issue) in the
 * same run. Each runner is its own process; runners alternate in rounds so that a change in machine load hits all
 * of them alike. Prints median wall ms per Adam step with ratios to PyTorch and writes bench-results/training.json
 * (per-step wall and CPU times, load average). The cpu backend takes ~1.5 min per LSTM-VAE step: only with --cpu.
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
const option = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const withCpu = args.includes('--cpu');
const rounds = option('rounds', 3);
// Every runner trains this long (and at least two steps) before its measured steps: see run-workload.ts.
const warmupSeconds = option('warmup-seconds', 2);
const scale = option('steps-scale', 1);
const STEPS: Record<WorkloadName, number> = { 'lstm-vae': 3, 'bow-vae': 20, 'conv-ae': 10 };
const steps = (w: WorkloadName, runner: string) => Math.max(1, Math.round((runner === 'cpu' ? 1 : STEPS[w]) * scale));

interface Measurement {
  readonly runner: string;
  readonly workload: WorkloadName;
  readonly ms: number[];
  readonly cpuMs: number[];
  readonly median: number;
  readonly cpuMedian: number;
  readonly errors: string[];
}

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function torchAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function command(runner: string, workload: WorkloadName): [string, string[]] {
  const n = String(steps(workload, runner));
  if (runner === 'pytorch') return [PYTHON, [path.join(packageDir, 'bench', 'torch_reference.py'), workload, '1', n, String(warmupSeconds)]];
  return [process.execPath, [path.join(here, 'run-workload.js'), runner, workload, n, String(warmupSeconds)]];
}

/** One process run: its per-step wall and CPU times, or the last lines of its error output. */
function runOnce(runner: string, workload: WorkloadName): { ms: number[]; cpuMs: number[] } | { error: string } {
  const [cmd, cmdArgs] = command(runner, workload);
  try {
    const out = execFileSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '') as { ms: number[]; cpuMs: number[] };
  } catch (e) {
    return { error: ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n').slice(-3).join(' | ') };
  }
}

const only = args
  .find((a) => a.startsWith('--runners='))
  ?.split('=')[1]
  ?.split(',');
const runners = [...(torchAvailable() ? ['pytorch'] : []), 'native', 'wasm', ...(withCpu ? ['cpu'] : [])].filter((r) => !only || only.includes(r));
const results: Measurement[] = [];
for (const workload of WORKLOAD_NAMES) {
  const acc = new Map(runners.map((r) => [r, { ms: [] as number[], cpuMs: [] as number[], errors: [] as string[] }]));
  for (let round = 0; round < rounds; round++) {
    for (const runner of runners) {
      if (runner === 'cpu' && round > 0) continue;
      process.stderr.write(`round ${round + 1}/${rounds} ${runner} ${workload} … `);
      const r = runOnce(runner, workload);
      const a = acc.get(runner)!;
      if ('error' in r) {
        a.errors.push(r.error);
        process.stderr.write(`failed: ${r.error}\n`);
      } else {
        a.ms.push(...r.ms);
        a.cpuMs.push(...r.cpuMs);
        process.stderr.write(`${median(r.ms).toFixed(1)} ms\n`);
      }
    }
  }
  for (const [runner, a] of acc) results.push({ runner, workload, ...a, median: median(a.ms), cpuMedian: median(a.cpuMs) });
}

const cell = (workload: WorkloadName, runner: string) => results.find((r) => r.workload === workload && r.runner === runner);
const others = runners.filter((r) => r !== 'pytorch');
const lines = [
  `| workload | ${runners.map((r) => `${r} ms`).join(' | ')} | ${others.map((r) => `${r} / pytorch`).join(' | ')} | CPU ms ${runners.join(' / ')} |`,
  `|${'---|'.repeat(2 + runners.length + others.length)}`,
];
for (const workload of WORKLOAD_NAMES) {
  const ref = cell(workload, 'pytorch')?.median ?? Number.NaN;
  const times = runners.map((r) => {
    const m = cell(workload, r);
    return m && m.ms.length > 0 ? m.median.toFixed(1) : 'failed';
  });
  const ratios = others.map((r) => {
    const ratio = (cell(workload, r)?.median ?? Number.NaN) / ref;
    return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
  });
  const cpu = runners.map((r) => cell(workload, r)?.cpuMedian.toFixed(0) ?? '–').join(' / ');
  lines.push(`| ${WORKLOAD_LABELS[workload]} | ${times.join(' | ')} | ${ratios.join(' | ')} | ${cpu} |`);
}
const machine = { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), loadavg: os.loadavg().map((x) => Number(x.toFixed(2))), node: process.version };
console.log(lines.join('\n'));
console.log(
  `\nmedian wall ms per Adam step over ${rounds} interleaved rounds, each runner warmed up for ${warmupSeconds} s; CPU ms = process CPU time per step, all threads; load average at the end ${machine.loadavg.join(', ')}`,
);

const outDir = path.join(packageDir, 'bench-results');
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, 'training.json');
fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, rounds, warmupSeconds, results, table: lines }, null, 2)}\n`);
console.log(`written ${path.relative(process.cwd(), file)}`);
