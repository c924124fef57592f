/**
 * Across processes: a model saved here is loaded and used to encode by a separate Node process, and a training
 * child process stops cleanly on SIGINT after writing a checkpoint. The child runs this package's source compiled
 * by tsc into a throwaway folder (inside node_modules, so it resolves the workspace dependencies).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine, loadCheckpoint } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, loadModel, resumeTraining } from '../src/index.js';
import { imageBatch } from './helpers.js';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let lib: string;
let tmp: string;

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-process-'));
  lib = fs.mkdtempSync(path.join(pkg, 'node_modules', '.test-dist-'));
  const tsc = path.join(pkg, '..', '..', 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, [
    '-p',
    path.join(pkg, 'tsconfig.build.json'),
    '--outDir',
    lib,
    '--declaration',
    'false',
    '--declarationMap',
    'false',
    '--sourceMap',
    'false',
    '--inlineSources',
    'false',
  ]);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(lib, { recursive: true, force: true });
});

function child(source: string): string {
  const file = path.join(lib, `child-${Math.random().toString(36).slice(2)}.mjs`);
  fs.writeFileSync(file, source);
  return file;
}

describe('across processes', () => {
  it('another process loads a saved model folder and encodes to the same latents', async () => {
    const model = createModel({ kind: 'imageConv', size: 8, filters: [4, 8], denseDim: 12, bottleneck: { kind: 'gaussian', latentDim: 3 } }, { seed: 4 });
    const dir = path.join(tmp, 'model');
    await model.save(dir);
    const batch = imageBatch(3, 9);
    const here = model.encode(batch).latent.arraySync();
    expect(loadModel(dir).encode(batch).latent.arraySync()).toEqual(here);

    const script = child(`
      import { initEngine } from '@latentkit/core';
      import { loadModel } from './index.js';
      await initEngine({ backend: 'cpu' });
      const [dir, pixels] = process.argv.slice(2);
      const model = loadModel(dir);
      const latent = model.encode({ size: 3, pixels: Float32Array.from(JSON.parse(pixels)) }).latent.arraySync();
      process.stdout.write(JSON.stringify(latent));
    `);
    const out = execFileSync(process.execPath, [script, dir, JSON.stringify(Array.from(batch.pixels))], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(here);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s makes a training process write a checkpoint and exit cleanly; the run resumes from it', async (signal) => {
    const dir = path.join(tmp, `${signal}-ckpt`);
    const script = child(`
      import { Rng, initEngine } from '@latentkit/core';
      import { createModel, fixedTrainData, train } from './index.js';
      await initEngine({ backend: 'cpu' });
      const rng = Rng.fromSeed(1);
      const batches = Array.from({ length: 100000 }, () => ({ size: 2, pixels: Float32Array.from({ length: 128 }, () => rng.uniform()) }));
      const model = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } });
      const result = await train(model, { seed: 1 }, {
        train: fixedTrainData(batches),
        checkpointDir: process.argv[2],
        progress: false,
        onLog: (r) => { if (r.type === 'step') process.stdout.write('step ' + r.step + '\\n'); },
      });
      process.stdout.write(JSON.stringify({ stopped: result.stopped, signal: result.signal, step: result.state.step }) + '\\n');
    `);
    const proc = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let signalled = false;
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!signalled && /step 5\n/.test(out)) {
        signalled = true;
        proc.kill(signal);
      }
    });
    let err = '';
    proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    const last = JSON.parse(out.trim().split('\n').at(-1) as string) as { stopped: string; signal: string; step: number };
    expect(last.stopped).toBe('interrupted');
    expect(last.signal).toBe(signal);
    expect(last.step).toBeGreaterThanOrEqual(5);
    expect(loadCheckpoint<{ state: { step: number; offset: number } }>(dir).config.state).toMatchObject({ step: last.step, offset: last.step });

    const asked: number[] = [];
    const resumed = await resumeTraining(
      dir,
      {
        train: {
          batchesPerEpoch: 100000,
          batches: (_epoch, offset) => {
            asked.push(offset);
            return [imageBatch(2, 1), imageBatch(2, 2)];
          },
        },
        progress: false,
        handleSigint: false,
      },
      { maxSteps: last.step + 2 },
    );
    expect(asked).toEqual([last.step]);
    expect(resumed.state).toMatchObject({ step: last.step + 2, offset: last.step + 2 });
  });
});
