/**
 * The fault cases of the reliability issue that live in the CLI, reproduced with spawned processes and real files:
 * a run folder without a checkpoint, a truncated log line, a second writer on one run, a crash between the two
 * checkpoint renames, SIGTERM, and what --resume may change.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TINY = ['--config', 'small.json', '--latent-dim', '3', '--limit', '200'];
const steps = (run: string) =>
  fs
    .readFileSync(path.join(cwd, run, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"step"'))
    .map((l) => JSON.parse(l).step as number);

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-reliability-'));
  fs.writeFileSync(path.join(cwd, 'small.json'), JSON.stringify({ model: { hiddenDims: [16] }, batchSize: 50 }));
});

describe('run folders that never die', () => {
  it('--resume of a run with no checkpoint yet starts it from step 0 and says so', () => {
    expect(cli('train', '--run', 'runs/early', ...TINY, '--max-steps', '2').code).toBe(0);
    fs.rmSync(path.join(cwd, 'runs/early/checkpoint'), { recursive: true, force: true });
    fs.rmSync(path.join(cwd, 'runs/early/model'), { recursive: true, force: true });
    fs.rmSync(path.join(cwd, 'runs/early/log.jsonl'));
    const r = cli('train', '--resume', 'runs/early', '--max-steps', '3');
    expect(r.stderr).toContain('no checkpoint yet; starting the run from step 0');
    expect(r.code).toBe(0);
    expect(steps('runs/early')).toEqual([1, 2, 3]);
  });

  it('a truncated last log line is skipped by readers and repaired by the resumed run', () => {
    expect(cli('train', '--run', 'runs/partial', ...TINY, '--max-steps', '2', '--checkpoint-every', '1').code).toBe(0);
    fs.appendFileSync(path.join(cwd, 'runs/partial/log.jsonl'), '{"type":"step","ti');
    const evaluated = cli('eval', '--run', 'runs/partial', '--importance-samples', '0', '--kmeans-restarts', '1');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stderr).toMatch(/log\.jsonl:\d+: skipped a truncated final line/);
    const resumed = cli('train', '--resume', 'runs/partial', '--max-steps', '4');
    expect(resumed.code).toBe(0);
    expect(steps('runs/partial')).toEqual([1, 2, 3, 4]);
  });

  it('a crash between the two checkpoint renames (only checkpoint.old) still resumes and encodes', () => {
    expect(cli('train', '--run', 'runs/renamed', ...TINY, '--max-steps', '2').code).toBe(0);
    fs.rmSync(path.join(cwd, 'runs/renamed/model'), { recursive: true, force: true });
    fs.renameSync(path.join(cwd, 'runs/renamed/checkpoint'), path.join(cwd, 'runs/renamed/checkpoint.old'));
    expect(cli('encode', '--run', 'runs/renamed', '--out', 'renamed.npy', '--limit', '10').code).toBe(0);
    const r = cli('train', '--resume', 'runs/renamed', '--max-steps', '3');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('maxSteps after 3 steps');
  });
});

describe('one writer per run, and what --resume may change', () => {
  it('a second train on a run being trained fails at once with exit 2 naming the holder', async () => {
    const child = spawn(process.execPath, [BIN, 'train', '--run', 'runs/locked', ...TINY, '--epochs', '200'], {
      cwd,
      env: { ...process.env, LATENTKIT_BACKEND: 'auto' },
    });
    const lockFile = path.join(cwd, 'runs/locked/.latentkit.lock');
    while (!fs.existsSync(path.join(cwd, 'runs/locked/log.jsonl'))) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(lockFile)).toBe(true);
    const second = cli('train', '--resume', 'runs/locked', '--max-steps', '5');
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is in use by "train" (PID ${child.pid}`);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // SIGTERM checkpoints like Ctrl-C, and exits as a shell expects (128 + 15).
    expect(code).toBe(143);
    expect(fs.existsSync(lockFile)).toBe(false);
    const resumed = cli('train', '--resume', 'runs/locked', '--max-steps', String(Math.max(...steps('runs/locked')) + 1), '--lr', '0.0005');
    expect(resumed.code).toBe(0);
    const resume = fs
      .readFileSync(path.join(cwd, 'runs/locked/log.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"resume"'))
      .map((l) => JSON.parse(l));
    expect(resume.at(-1)).toMatchObject({ learningRate: 0.0005 });
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'runs/locked/run.json'), 'utf8')).trainer.optimizer.learningRate).toBe(0.0005);
  });

  it('refuses flags --resume cannot honour instead of ignoring them', () => {
    const r = cli('train', '--resume', 'runs/early', '--bottleneck', 'vq', '--batch-size', '7');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bottleneck, --batch-size: a resumed run keeps the config in its run.json');
  });
});

/** Mounts a small tmpfs (root only); undefined where the test cannot, so the disk tests say they skip. */
function tmpfs(dir: string, options: string): string | undefined {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? dir : undefined;
}

describe('the machine refusing a write', () => {
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  if (!canMount) console.warn('skipping the disk-full and read-only tests: they mount a tmpfs, which needs root');

  it.skipIf(!canMount)('a full disk and a read-only folder exit 8 naming the path and what to do, and leave no partial file', () => {
    expect(cli('train', '--run', 'runs/disk', ...TINY, '--max-steps', '2').code).toBe(0);
    const full = tmpfs(path.join(cwd, 'full'), 'size=16k');
    const readOnly = tmpfs(path.join(cwd, 'ro'), 'ro,size=16k');
    try {
      expect(full && readOnly).toBeTruthy();
      // 200 codes of 3 float32 as CSV text do not fit in 16 KB together with the filler.
      fs.writeFileSync(path.join(full as string, 'filler'), Buffer.alloc(12 * 1024));
      const r = cli('encode', '--run', 'runs/disk', '--out', path.join(full as string, 'codes.csv'));
      expect(r.code).toBe(8);
      expect(r.stderr).toMatch(/cannot write .*full.*: the disk is full; free some space or write somewhere else .*\(ENOSPC\)/);
      expect(fs.readdirSync(full as string)).toEqual(['filler']);
      const ro = cli('encode', '--run', 'runs/disk', '--out', path.join(readOnly as string, 'codes.csv'));
      expect(ro.code).toBe(8);
      expect(ro.stderr).toMatch(/cannot open .*ro.*: the file system is read-only; choose a writable folder .*\(EROFS\)/);
    } finally {
      for (const d of [full, readOnly]) if (d) spawnSync('umount', [d]);
    }
  });
});
