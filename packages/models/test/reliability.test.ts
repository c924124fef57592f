/**
 * Issue 21's library cases: model folders and training checkpoints whose manifests were tampered with, a log with a
 * partial last line and a resume's repeated steps, checkpoints by time (a fake clock), the `.old` fallback and the
 * temporary folders of killed writers.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LatentkitError, initEngine, loadCheckpoint } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LogRecord,
  createModel,
  fixedTrainData,
  loadModel,
  loadModelWeights,
  parseRunLog,
  readModelFolderConfig,
  readRunLog,
  resolveTrainerConfig,
  resumeTraining,
  train,
  truncatePartialLastLine,
} from '../src/index.js';
import { plannedWeights } from '../src/layers.js';
import { imageBatch } from './helpers.js';

let tmp: string;
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-reliability-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const mlp = { kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } } as const;
const batches = Array.from({ length: 40 }, (_, i) => imageBatch(2, i));

type Entry = { name: string; shape: number[]; dtype: string };
type Manifest = { weightsManifest: { paths: string[]; weights: Entry[] }[] };
/** Edits the tf.io model.json of a saved model folder. */
function editManifest(dir: string, edit: (m: Manifest) => void): void {
  const file = path.join(dir, 'model.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  edit(m);
  fs.writeFileSync(file, JSON.stringify(m));
}
const weightsOf = (m: Manifest) => m.weightsManifest[0]?.weights as Entry[];

function errorOf(fn: () => unknown): LatentkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentkitError);
    return e as LatentkitError;
  }
  throw new Error('expected an error');
}

describe('model folders are untrusted', () => {
  it('refuses a weights path out of the folder and a dtype it does not hold, with CHECKPOINT_ERROR naming model.json', async () => {
    const dir = path.join(tmp, 'outside');
    await createModel(mlp, { seed: 1 }).save(dir);
    editManifest(dir, (m) => {
      (m.weightsManifest[0] as { paths: string[] }).paths = ['../../weights.bin'];
    });
    const e = errorOf(() => loadModel(dir));
    expect(e.code).toBe('CHECKPOINT_ERROR');
    expect(e.message).toMatch(/model\.json: weights path "\.\.\/\.\.\/weights\.bin" is outside the folder/);
    const typed = path.join(tmp, 'float16');
    await createModel(mlp, { seed: 1 }).save(typed);
    editManifest(typed, (m) => {
      (weightsOf(m)[1] as Entry).dtype = 'float16';
    });
    expect(errorOf(() => loadModel(typed)).message).toMatch(/model\.json: entry 1 \(".*"\): "dtype" must be "float32" or "int32", got "float16"/);
  });

  it('refuses a weight the model does not have and a transposed shape, before and after reading', async () => {
    const dir = path.join(tmp, 'renamed');
    const model = createModel(mlp, { seed: 1 });
    await model.save(dir);
    const name = Object.keys(model.trainableVariables)[0] as string;
    editManifest(dir, (m) => {
      (weightsOf(m).find((w) => w.name === name) as { name: string }).name = 'attacker/w';
    });
    // loadModel checks the manifest against the model before reading a byte, as loadModelWeights does.
    expect(errorOf(() => loadModel(dir)).message).toMatch(/model\.json: entry \d+ \("attacker\/w"\): "attacker\/w" is not a weight of this imageMlp model/);
    const fresh = createModel(readModelFolderConfig(dir));
    expect(errorOf(() => loadModelWeights(fresh, dir)).message).toMatch(
      /model\.json: entry \d+ \("attacker\/w"\): "attacker\/w" is not a weight of this imageMlp model/,
    );

    const shaped = path.join(tmp, 'transposed');
    await model.save(shaped);
    const matrix = Object.entries(model.trainableVariables).find(([, v]) => v.shape.length === 2 && v.shape[0] !== v.shape[1]) as [string, { shape: number[] }];
    editManifest(shaped, (m) => {
      const entry = weightsOf(m).find((w) => w.name === matrix[0]) as { shape: number[] };
      entry.shape = [...entry.shape].reverse();
    });
    expect(errorOf(() => loadModel(shaped)).message).toMatch(/: shape \[.*\], this imageMlp model's ".*" is \[/);
    expect(errorOf(() => loadModelWeights(createModel(mlp), shaped)).message).toMatch(/: shape \[.*\], this imageMlp model's ".*" is \[/);
  });

  it('loadModelWeights loads an untouched folder exactly', async () => {
    const dir = path.join(tmp, 'exact');
    const model = createModel(mlp, { seed: 5 });
    await model.save(dir);
    const other = createModel(readModelFolderConfig(dir), { seed: 9 });
    loadModelWeights(other, dir);
    for (const [k, v] of Object.entries(model.trainableVariables))
      expect(Array.from(other.trainableVariables[k]!.dataSync())).toEqual(Array.from(v.dataSync()));
  });

  it('resume refuses a tampered training checkpoint (hash mismatch), and resumes from checkpoint.old alone', async () => {
    const dir = path.join(tmp, 'tampered-ckpt');
    await train(createModel(mlp, { seed: 1 }), { seed: 1, maxSteps: 2 }, { train: fixedTrainData(batches), checkpointDir: dir, progress: false });
    const bin = path.join(dir, 'weights.bin');
    const bytes = fs.readFileSync(bin);
    bytes[0] = (bytes[0] as number) ^ 1;
    fs.writeFileSync(bin, bytes);
    await expect(resumeTraining(dir, { train: fixedTrainData(batches), progress: false })).rejects.toThrow(/weights\.bin: SHA-256 .* does not match/);

    const crashed = path.join(tmp, 'crashed-ckpt');
    await train(createModel(mlp, { seed: 1 }), { seed: 1, maxSteps: 2 }, { train: fixedTrainData(batches), checkpointDir: crashed, progress: false });
    fs.renameSync(crashed, `${crashed}.old`);
    const resumed = await resumeTraining(
      crashed,
      { train: fixedTrainData(batches), checkpointDir: crashed, progress: false, handleSigint: false },
      { maxSteps: 4 },
    );
    expect(resumed.state.step).toBe(4);
    expect(loadCheckpoint<{ state: { step: number } }>(crashed).config.state.step).toBe(4);
    expect(fs.existsSync(`${crashed}.old`)).toBe(false);
  });
});

describe('the run log', () => {
  it('reports a truncated final line with the file and line, and keeps the latest record of a repeated step', () => {
    const lines = [
      { type: 'step', step: 1, loss: 9 },
      { type: 'checkpoint', step: 1 },
      { type: 'step', step: 2, loss: 8 },
      { type: 'valid', step: 2, loss: 7 },
      { type: 'resume', step: 1 },
      { type: 'step', step: 2, loss: 5 },
      { type: 'step', step: 3, loss: 4 },
    ].map((r) => JSON.stringify({ time: 't', ...r }));
    const text = `${lines.join('\n')}\n{"type":"step","step":4,"lo`;
    const log = parseRunLog(text, 'run/log.jsonl');
    expect(log.records.map((r) => [r.type, r['step'], r['loss']])).toEqual([
      ['step', 1, 9],
      ['checkpoint', 1, undefined],
      ['resume', 1, undefined],
      ['step', 2, 5],
      ['step', 3, 4],
    ]);
    expect(log.superseded).toBe(2);
    expect(log.skipped).toEqual([{ file: 'run/log.jsonl', line: 8, reason: 'truncated final line', text: '{"type":"step","step":4,"lo' }]);
    expect(log.warnings[0]).toMatch(/^run\/log\.jsonl:8: skipped a truncated final line/);
    // without a resume record (lost in a partial line), a repeated step still appears once: the later one
    const dup = parseRunLog(`${JSON.stringify({ type: 'step', step: 1, loss: 2 })}\n${JSON.stringify({ type: 'step', step: 1, loss: 1 })}\n`, 'x');
    expect(dup.records.map((r) => r['loss'])).toEqual([1]);
  });

  it('truncatePartialLastLine cuts only an unfinished line', () => {
    const file = path.join(tmp, 'cut.jsonl');
    fs.writeFileSync(file, '{"a":1}\n{"b":');
    expect(truncatePartialLastLine(file)).toBe(5);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(truncatePartialLastLine(file)).toBe(0);
    fs.writeFileSync(file, 'no newline at all');
    expect(truncatePartialLastLine(file)).toBe(17);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    expect(truncatePartialLastLine(path.join(tmp, 'none.jsonl'))).toBe(0);
  });

  it('a resumed run repairs a partial line and the reader sees each step once', async () => {
    const dir = path.join(tmp, 'log-resume-ckpt');
    const logFile = path.join(tmp, 'log-resume.jsonl');
    await train(createModel(mlp, { seed: 1 }), { seed: 1, maxSteps: 3 }, { train: fixedTrainData(batches), checkpointDir: dir, logFile, progress: false });
    const atThree = path.join(tmp, 'log-resume-at-3');
    fs.cpSync(dir, atThree, { recursive: true });
    await resumeTraining(dir, { train: fixedTrainData(batches), logFile, progress: false, handleSigint: false }, { maxSteps: 5 });
    // a kill during an append, then a resume from the older checkpoint (steps 4 and 5 are taken again)
    fs.appendFileSync(logFile, '{"type":"step","st');
    await resumeTraining(atThree, { train: fixedTrainData(batches), logFile, progress: false, handleSigint: false }, { maxSteps: 6 });
    const raw = fs.readFileSync(logFile, 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    expect(raw).not.toContain('{"type":"step","st{');
    const log = readRunLog(logFile);
    expect(log.skipped).toEqual([]);
    expect(log.records.filter((r) => r.type === 'step').map((r) => r['step'])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.superseded).toBeGreaterThanOrEqual(2);
    expect(log.records.filter((r) => r.type === 'resume').at(-1)).toMatchObject({ step: 3, repairedLogBytes: 18 });
  });
});

describe('checkpoints by time', () => {
  it('checkpointSeconds is validated and defaults to 300', () => {
    expect(resolveTrainerConfig({ seed: 1 }).checkpointSeconds).toBe(300);
    expect(resolveTrainerConfig({ seed: 1, checkpointSeconds: null }).checkpointSeconds).toBeNull();
    for (const bad of [0, -5, Number.NaN, '60']) {
      expect(() => resolveTrainerConfig({ seed: 1, checkpointSeconds: bad as number })).toThrow(
        /^checkpointSeconds: expected (a number > 0|a finite number), got/,
      );
    }
  });

  it('writes a checkpoint whenever checkpointSeconds have passed on the (fake) clock', async () => {
    const run = async (checkpointSeconds: number | null | undefined) => {
      let now = 0;
      const records: LogRecord[] = [];
      await train(
        createModel(mlp, { seed: 1 }),
        { seed: 1, maxSteps: 12, ...(checkpointSeconds !== undefined && { checkpointSeconds }) },
        {
          train: fixedTrainData(batches),
          checkpointDir: path.join(tmp, `time-ckpt-${checkpointSeconds}`),
          progress: false,
          clock: () => now,
          onLog: (r) => {
            records.push(r);
            if (r.type === 'step') now += 70_000; // each step "takes" 70 s
          },
        },
      );
      return records.filter((r) => r.type === 'checkpoint').map((r) => [r['step'], r['why']]);
    };
    // 300 s: after 5 steps (350 s), then 5 more after that checkpoint; the run's end writes the last
    expect(await run(undefined)).toEqual([
      [5, 'time'],
      [10, 'time'],
      [12, 'stop'],
    ]);
    expect(await run(100)).toEqual([
      [2, 'time'],
      [4, 'time'],
      [6, 'time'],
      [8, 'time'],
      [10, 'time'],
      [12, 'time'],
    ]);
    expect(await run(null)).toEqual([[12, 'stop']]);
  });
});

describe('temporary folders of killed writers', () => {
  it('are removed when training starts', async () => {
    const root = fs.mkdtempSync(path.join(tmp, 'temps-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const leftover = path.join(root, `.checkpoint.${dead}.deadbeef.tmp`);
    fs.mkdirSync(leftover);
    fs.writeFileSync(path.join(leftover, 'weights.bin'), Buffer.alloc(4096));
    let seen: boolean | undefined;
    await train(
      createModel(mlp, { seed: 1 }),
      { seed: 1, maxSteps: 1 },
      {
        train: fixedTrainData(batches),
        checkpointDir: path.join(root, 'checkpoint'),
        progress: false,
        onLog: (r) => {
          if (r.type === 'step') seen ??= fs.existsSync(leftover);
        },
      },
    );
    expect(seen).toBe(false);
    expect(fs.readdirSync(root)).toEqual(['checkpoint']);
  });
});

describe('a model too large for the machine', () => {
  it('is refused before allocation with INVALID_CONFIG naming the layer and the memory it needs', async () => {
    await initEngine({ backend: 'cpu' });
    const before = process.memoryUsage.rss();
    const err = (() => {
      try {
        createModel({ kind: 'imageMlp', size: 28, bottleneck: { kind: 'gaussian', latentDim: 100_000_000 } });
      } catch (e) {
        return e as LatentkitError;
      }
    })();
    expect(err).toBeInstanceOf(LatentkitError);
    expect(err?.code).toBe('INVALID_CONFIG');
    expect(err?.message).toMatch(/by layer \S+ .* would need about [\d.]+ GB to train .* more than the [\d.]+ GB this machine can give/);
    // Nothing near the refused size was allocated (that would be tens of GB).
    expect(process.memoryUsage.rss() - before).toBeLessThan(512 * 2 ** 20);
  });

  it('counts weights as the layers create them: Dense, Embedding, LSTM, Conv2D against their built weights', async () => {
    await initEngine({ backend: 'cpu' });
    const cases: [tf.layers.Layer, number[]][] = [
      [tf.layers.dense({ units: 7 }), [5]],
      [tf.layers.embedding({ inputDim: 11, outputDim: 3 }), [4]],
      [tf.layers.lstm({ units: 6 }), [4, 5]],
      [tf.layers.conv2d({ filters: 4, kernelSize: 3 }), [8, 8, 2]],
    ];
    for (const [layer, shape] of cases) {
      const planned = plannedWeights(layer, shape);
      tf.tidy(() => layer.apply(tf.zeros([1, ...shape])) as tf.Tensor);
      expect(planned).toBe(layer.weights.reduce((a, w) => a + w.shape.reduce((x: number, y) => x * (y ?? 1), 1), 0));
    }
  });
});
