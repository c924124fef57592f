/**
 * `pnpm --filter @latentkit/backend-native bench [-- --rounds=N --cpu --steps-scale=k --warmup-seconds=s --runners=pytorch,native]`: the issue-9 training
 * workloads on every available backend and on PyTorch (Debian's python3-torch, one thread as in the issue) in the
 * same run. The native backend runs twice, as `native` (products on the system OpenBLAS) and `native-noblas`
 * (`LATENTKIT_BLAS=none`: products on onnxruntime's MLAS, what a machine without OpenBLAS gets). Each runner is its
 * own process; runners alternate in rounds so that a change in machine load hits all of them alike, and every round
 * also times a 2048² SGEMM (bench/peak.ts through both native product paths, bench/sgemm_reference.py through numpy
 * and PyTorch on all cores): the best of those medians is the machine's peak in this run. Prints median wall ms per
 * Adam step with ratios to PyTorch, each workload's FLOPs per step (bench/flops.ts) as GFLOP/s and share of that
 * peak, and writes all of it to bench-results/training.json (per-step wall and CPU times, date, load average).
 * The cpu backend takes ~1.5 min per LSTM-VAE step: only with --cpu.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workloadFlops } from './flops.js';
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
// Timed 2048² products per SGEMM process and round (after 2 untimed ones): ~0.1 s each on 2 cores.
const SGEMM_RUNS = 5;
const SGEMM_FLOPS = 2 * 2048 ** 3;
/** PyTorch's product on one thread, like its training runner: shown beside the peak, never taken as it. */
const ONE_THREAD = 'torch-1-thread';
/** Runners that are the native backend under another product path: the environment their process gets. */
const RUNNER_ENV: Record<string, NodeJS.ProcessEnv> = { 'native-noblas': { LATENTKIT_BLAS: 'none' } };
const backendOf = (runner: string) => (runner in RUNNER_ENV ? 'native' : runner);

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
const hasTorch = torchAvailable();

function command(runner: string, workload: WorkloadName): [string, string[]] {
  const n = String(steps(workload, runner));
  if (runner === 'pytorch') return [PYTHON, [path.join(packageDir, 'bench', 'torch_reference.py'), workload, '1', n, String(warmupSeconds)]];
  return [process.execPath, [path.join(here, 'run-workload.js'), backendOf(runner), workload, n, String(warmupSeconds)]];
}

/** Runs one bench process and parses the JSON line it ends with, or returns the last lines of its error output. */
function runJson<T>(cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv = {}): T | { error: string } {
  try {
    const out = execFileSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24, env: { ...process.env, ...env } });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '') as T;
  } catch (e) {
    return { error: ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n').slice(-3).join(' | ') };
  }
}

/** One process run: its per-step wall and CPU times. */
function runOnce(runner: string, workload: WorkloadName): { ms: number[]; cpuMs: number[] } | { error: string } {
  const [cmd, cmdArgs] = command(runner, workload);
  return runJson(cmd, cmdArgs, RUNNER_ENV[runner]);
}

/** The 2048² SGEMM samples of this run, per product path: `native` and `native-noblas` as the runners use them, numpy, torch. */
const sgemm = new Map<string, { library: string; ms: number[]; errors: string[] }>();
function sample(source: string, library: string, ms: readonly number[]): void {
  const s = sgemm.get(source) ?? { library, ms: [], errors: [] };
  s.ms.push(...ms);
  sgemm.set(source, s);
}
function sampleError(source: string, error: string): void {
  const s = sgemm.get(source) ?? { library: '', ms: [], errors: [] };
  s.errors.push(error);
  sgemm.set(source, s);
  process.stderr.write(`sgemm ${source} failed: ${error}\n`);
}
function measureSgemm(nativeRunners: readonly string[]): void {
  for (const runner of nativeRunners) {
    const r = runJson<{ blas: string; ms: number[] }>(process.execPath, [path.join(here, 'peak.js'), String(SGEMM_RUNS)], RUNNER_ENV[runner]);
    if ('error' in r) sampleError(runner, r.error);
    else sample(runner, r.blas, r.ms);
  }
  if (!hasTorch) return;
  type Reference = { threads: number; ms: number[] };
  const r = runJson<{ numpy: { blas: string; ms: number[] }; torch?: Reference; torch1?: Reference }>(PYTHON, [
    path.join(packageDir, 'bench', 'sgemm_reference.py'),
    String(SGEMM_RUNS),
  ]);
  if ('error' in r) {
    sampleError('numpy', r.error);
    return;
  }
  sample('numpy', r.numpy.blas, r.numpy.ms);
  if (r.torch) sample('torch', `torch.mm, ${r.torch.threads} threads`, r.torch.ms);
  if (r.torch1) sample(ONE_THREAD, 'torch.mm, 1 thread', r.torch1.ms);
}

const only = args
  .find((a) => a.startsWith('--runners='))
  ?.split('=')[1]
  ?.split(',');
const runners = [...(hasTorch ? ['pytorch'] : []), 'native', 'native-noblas', 'wasm', ...(withCpu ? ['cpu'] : [])].filter((r) => !only || only.includes(r));
const loadavgStart = os.loadavg().map((x) => Number(x.toFixed(2)));
const results: Measurement[] = [];
for (const workload of WORKLOAD_NAMES) {
  const acc = new Map(runners.map((r) => [r, { ms: [] as number[], cpuMs: [] as number[], errors: [] as string[] }]));
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`round ${round + 1}/${rounds} sgemm 2048² … `);
    measureSgemm(['native', 'native-noblas']);
    process.stderr.write(`${[...sgemm].map(([k, v]) => `${k} ${median(v.ms).toFixed(0)} ms`).join(', ')}\n`);
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

// The machine's peak in this run: the best median 2048² SGEMM on every core over the product paths measured (see bench/peak.ts).
const sgemmRows = [...sgemm].map(([source, v]) => ({ source, ...v, medianMs: median(v.ms), gflops: SGEMM_FLOPS / median(v.ms) / 1e6 }));
const best = sgemmRows.filter((r) => r.source !== ONE_THREAD && Number.isFinite(r.gflops)).sort((a, b) => b.gflops - a.gflops)[0];
const peakGflops = best?.gflops ?? Number.NaN;
const withFlops = results.map((r) => {
  const flops = workloadFlops(r.workload);
  const gflops = flops.step / r.median / 1e6;
  return { ...r, flopsPerStep: flops.step, forwardFlops: flops.forward, gflops, shareOfPeak: gflops / peakGflops };
});

const cell = (workload: WorkloadName, runner: string) => withFlops.find((r) => r.workload === workload && r.runner === runner);
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
const percent = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '–');
const flopLines = [
  `| workload | GFLOP per step | ${runners.map((r) => `${r} GFLOP/s (share of peak)`).join(' | ')} |`,
  `|${'---|'.repeat(2 + runners.length)}`,
  ...WORKLOAD_NAMES.map((workload) => {
    const perRunner = runners.map((r) => {
      const m = cell(workload, r);
      return m && Number.isFinite(m.gflops) ? `${m.gflops.toFixed(1)} (${percent(m.shareOfPeak)})` : '–';
    });
    return `| ${WORKLOAD_LABELS[workload]} | ${(workloadFlops(workload).step / 1e9).toFixed(2)} | ${perRunner.join(' | ')} |`;
  }),
];
const peakLines = [
  '| 2048² SGEMM through | library | median ms | GFLOP/s |',
  '|---|---|---|---|',
  ...sgemmRows.map((r) => `| ${r.source}${r === best ? ' (peak)' : ''} | ${r.library || 'failed'} | ${r.medianMs.toFixed(1)} | ${r.gflops.toFixed(1)} |`),
];
const machine = { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), loadavg: os.loadavg().map((x) => Number(x.toFixed(2))), node: process.version };
const date = new Date().toISOString();
console.log(lines.join('\n'));
console.log(
  `\nmedian wall ms per Adam step over ${rounds} interleaved rounds, each runner warmed up for ${warmupSeconds} s; CPU ms = process CPU time per step, all threads`,
);
console.log(`\n${flopLines.join('\n')}`);
console.log(
  `\nFLOPs: matrix products and convolutions, forward + weight and input gradients (bench/flops.ts); peak: the best median 2048² SGEMM of this run, ${best ? `${best.source} at ${best.gflops.toFixed(1)} GFLOP/s on ${machine.cores} cores` : 'not measured'} (PyTorch trains on 1 thread: torch-1-thread below is its own ceiling)`,
);
console.log(`\n${peakLines.join('\n')}`);
console.log(`\n${date}; load average at the start ${loadavgStart.join(', ')}, at the end ${machine.loadavg.join(', ')}`);

const outDir = path.join(packageDir, 'bench-results');
fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, 'training.json');
const peak = { n: 2048, flops: SGEMM_FLOPS, runsPerRound: SGEMM_RUNS, best: best?.source, gflops: peakGflops, sources: sgemmRows };
fs.writeFileSync(
  file,
  `${JSON.stringify({ date, machine, loadavgStart, rounds, warmupSeconds, peak, results: withFlops, table: lines, flopsTable: flopLines, peakTable: peakLines }, null, 2)}\n`,
);
console.log(`written ${path.relative(process.cwd(), file)}`);
