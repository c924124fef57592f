/**
 * Bring your own kind, as a user would: a plugin module in a folder outside the packages (no node_modules next to
 * it) registers a bottleneck; `train --plugin` accepts its name, the run records the plugin, and eval, encode and
 * export (with ONNX parity) pick it up from the run folder alone. Also --print-config and config errors.
 */
import { spawnSync } from 'node:child_process';
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

// A deterministic spherical autoencoder: the code is the features scaled to unit length.
const PLUGIN = `
export default function register({ core, bottlenecks }) {
  const { tf, z } = core;
  class UnitSphere {
    constructor(config) {
      this.config = config;
      this.inputDim = config.inputDim;
      this.codeDim = config.inputDim;
      this.trainableVariables = {};
      this.stateVariables = {};
    }
    apply(h) {
      return tf.tidy(() => {
        const code = tf.div(h, tf.maximum(tf.norm(h, 'euclidean', 1, true), 1e-12));
        // As for vMF, the unit vector is also what downstream tasks (and the exported "latent") use.
        return { code, latent: code.clone(), terms: {}, regularizer: tf.scalar(0) };
      });
    }
    stats() { return {}; }
    inference() {
      return { kind: 'unitSphere', inputDim: this.inputDim, codeDim: this.codeDim, steps: [{ op: 'l2Normalize', epsilon: 1e-12 }], weights: {} };
    }
    dispose() {}
  }
  bottlenecks.registerBottleneck(bottlenecks.defineBottleneck({
    kind: 'unitSphere',
    summary: 'the features scaled to unit length',
    schema: z.strictObject({ kind: z.literal('unitSphere'), inputDim: bottlenecks.sizes.inputDim() }),
    latentField: 'inputDim',
    create: (config) => new UnitSphere(config),
  }));
}
`;

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-plugin-'));
  fs.writeFileSync(path.join(cwd, 'unit-sphere.mjs'), PLUGIN);
  fs.writeFileSync(path.join(cwd, 'small.json'), JSON.stringify({ model: { hiddenDims: [32] }, batchSize: 50 }));
});

describe('--plugin', () => {
  it('trains, evaluates, encodes and exports a run of a plugin bottleneck', () => {
    const train = cli(
      'train',
      '--plugin',
      'unit-sphere.mjs',
      '--bottleneck',
      'unit-sphere',
      '--latent-dim',
      '5',
      '--config',
      'small.json',
      '--limit',
      '200',
      '--max-steps',
      '3',
      '--run',
      'runs/sphere',
    );
    expect(train.stderr).toContain('maxSteps after 3 steps');
    expect(train.code).toBe(0);
    const spec = JSON.parse(fs.readFileSync(path.join(cwd, 'runs/sphere/run.json'), 'utf8'));
    expect(spec.model.bottleneck).toEqual({ kind: 'unitSphere', inputDim: 5 });
    expect(spec.plugins).toEqual([path.join(cwd, 'unit-sphere.mjs')]);

    // No --plugin from here on: the run folder names it.
    const encode = cli('encode', '--run', 'runs/sphere', '--out', 'codes.csv', '--which', 'code', '--limit', '20');
    expect(encode.code).toBe(0);
    const rows = fs.readFileSync(path.join(cwd, 'codes.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      const values = row.split(',').slice(1).map(Number); // label, z0 … z4
      expect(Math.hypot(...values)).toBeCloseTo(1, 4);
    }
    expect(cli('eval', '--run', 'runs/sphere', '--importance-samples', '0', '--kmeans-restarts', '1').code).toBe(0);
    const exported = cli('export', '--run', 'runs/sphere');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/parity on \d+ examples/);
  });

  it('a kind name without its plugin fails with exit 2 and the known names', () => {
    const r = cli('train', '--bottleneck', 'unit-sphere', '--limit', '50', '--max-steps', '1', '--run', 'runs/missing');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bottleneck: expected one of "identity"');
    expect(fs.existsSync(path.join(cwd, 'runs/missing'))).toBe(false);
  });
});

describe('one validated config', () => {
  it('--print-config prints the resolved config and writes nothing', () => {
    const r = cli('train', '--print-config', '--bottleneck', 'soft-vq', '--latent-dim', '8', '--run', 'runs/printed');
    expect(r.code).toBe(0);
    const config = JSON.parse(r.stdout);
    expect(config.model.bottleneck).toEqual({
      kind: 'softVq',
      inputDim: 8,
      codebookSize: 64,
      latentDim: null,
      variant: 'noise',
      sigma: 1,
      beta: 0.25,
      straightThrough: false,
    });
    expect(config.trainer).toMatchObject({ epochs: 5, clipNorm: 5, optimizer: { kind: 'adam', learningRate: 0.001 } });
    expect(fs.existsSync(path.join(cwd, 'runs/printed'))).toBe(false);
  });

  it('keeps the soft-VQ variant’s own straight-through default (the CLI no longer forces it off)', () => {
    fs.writeFileSync(path.join(cwd, 'pv.json'), JSON.stringify({ model: { bottleneck: { kind: 'softVq', variant: 'predictedVariance' } } }));
    const config = JSON.parse(cli('train', '--print-config', '--config', 'pv.json').stdout);
    expect(config.model.bottleneck).toMatchObject({ variant: 'predictedVariance', straightThrough: true });
  });

  it('stops before any work with exit 2, naming the key path, what was expected and what was given', () => {
    const cases: [object, string][] = [
      [{ data: { train: 'my.txt' } }, 'data.train: unknown key'],
      [{ trainer: { epoch: 3 } }, 'trainer.epoch: unknown key; did you mean trainer.epochs?'],
      [{ batchSize: 0 }, 'batchSize: expected a number > 0, got 0'],
      [{ model: { bottleneck: { kind: 'vmf', kappa: 0 } } }, 'model.bottleneck.kappa: expected a number > 0, got 0'],
      [{ model: { bottleneck: { kind: 'gaussian', latentDim: 0 } } }, 'model.bottleneck.latentDim: expected a number > 0, got 0'],
      [{ trainer: { optimizer: { kind: 'adam', learningRate: -1 } } }, 'trainer.optimizer.learningRate: expected a number > 0, got -1'],
      [{ modle: {} }, 'modle: unknown key; did you mean model?'],
    ];
    for (const [config, message] of cases) {
      fs.writeFileSync(path.join(cwd, 'bad.json'), JSON.stringify(config));
      const r = cli('train', '--config', 'bad.json', '--run', 'runs/never');
      expect(r.code, JSON.stringify(config)).toBe(2);
      expect(r.stderr).toContain(message);
      expect(fs.existsSync(path.join(cwd, 'runs/never'))).toBe(false);
    }
    const flag = cli('train', '--bottleneck', 'vq', '--kappa', '3', '--run', 'runs/never');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--kappa does not apply to a vq bottleneck (its options: inputDim, codebookSize, beta, ema, restart, init)');
  });
});
