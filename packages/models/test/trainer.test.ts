import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initEngine, loadCheckpoint } from '@latentkit/core';
import { TextCorpus, Vocabulary } from '@latentkit/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LogRecord,
  type Model,
  type TrainData,
  createModel,
  evaluate,
  fixedTrainData,
  imageTrainData,
  loadModel,
  resumeTraining,
  textTrainData,
  train,
} from '../src/index.js';
import { imageBatch, imageSet, sentences } from './helpers.js';

let tmp: string;
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-trainer-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function weightsOf(model: Model): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(model.trainableVariables).map(([k, v]) => [k, v.dataSync() as Float32Array]));
}

function maxDiff(a: Record<string, Float32Array>, b: Record<string, Float32Array>): number {
  let worst = 0;
  for (const [k, va] of Object.entries(a)) {
    const vb = b[k] as Float32Array;
    va.forEach((x, i) => {
      worst = Math.max(worst, Math.abs(x - (vb[i] as number)));
    });
  }
  return worst;
}

const textData = () => {
  const s = sentences(24, 1);
  const corpus = TextCorpus.encode({ file: 'memory', sentences: s }, Vocabulary.fromSentences(s));
  return { corpus, vocabSize: Vocabulary.fromSentences(s).size };
};

describe('resume', () => {
  it('text VAE: stopping after 5 steps and resuming gives the weights of an uninterrupted 11-step run', async () => {
    const { corpus, vocabSize } = textData();
    const data = textTrainData(corpus, { batchSize: 4, seed: 7 }); // 6 batches an epoch: the stop falls mid-epoch
    const config = {
      kind: 'textVae',
      vocabSize,
      embeddingDim: 8,
      hiddenDim: 12,
      wordDropout: 0.2,
      bottleneck: { kind: 'gaussian', latentDim: 4, klSchedule: { kind: 'linear', warmupSteps: 6 } },
    } as const;
    const trainer = { seed: 3, epochs: 3, maxSteps: 11, clipNorm: 5, optimizer: { kind: 'adam', learningRate: 0.01 } } as const;

    const whole = await train(createModel(config, { seed: 1 }), trainer, { train: data, progress: false });
    expect(whole.state.step).toBe(11);

    const dir = path.join(tmp, 'text-ckpt');
    const first = await train(createModel(config, { seed: 1 }), { ...trainer, maxSteps: 5 }, { train: data, checkpointDir: dir, progress: false });
    expect(first.stopped).toBe('maxSteps');
    expect(first.lastCheckpoint).toBe(dir);
    const resumed = await resumeTraining(dir, { train: data, progress: false }, { maxSteps: 11 });
    expect(resumed.state).toEqual(whole.state);
    const diff = maxDiff(weightsOf(whole.model), weightsOf(resumed.model));
    // Bit-identical on the cpu backend: every weight, Adam moment, RNG draw and batch is the same.
    expect(diff).toBe(0);

    // Control: continuing from the same weights without the saved optimizer, RNG and data position drifts away.
    const naive = loadModel(dir);
    await train(naive, { ...trainer, maxSteps: 6 }, { train: data, progress: false });
    expect(maxDiff(weightsOf(whole.model), weightsOf(naive))).toBeGreaterThan(1e-4);
  });

  it('image MLP with shuffled epochs, SGD+momentum and a VQ bottleneck: resume across an epoch boundary', async () => {
    const set = imageSet(20, 2);
    const data = imageTrainData(set, { batchSize: 6, seed: 11 }); // 4 batches an epoch
    const config = { kind: 'imageMlp', size: 8, hiddenDims: [16], bottleneck: { kind: 'vq', inputDim: 4, codebookSize: 6, ema: { decay: 0.9 } } } as const;
    const trainer = { seed: 5, epochs: 3, optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.9 } } as const;
    const whole = await train(createModel(config), trainer, { train: data, progress: false });
    const dir = path.join(tmp, 'image-ckpt');
    await train(createModel(config), { ...trainer, maxSteps: 6 }, { train: data, checkpointDir: dir, progress: false });
    const resumed = await resumeTraining(dir, { train: data, progress: false }, { maxSteps: null });
    expect(resumed.state.step).toBe(12);
    expect(maxDiff(weightsOf(whole.model), weightsOf(resumed.model))).toBeLessThan(1e-6);
    const ema = Object.keys(whole.model.stateVariables);
    expect(ema.length).toBeGreaterThan(0);
    for (const k of ema) expect(Array.from(resumed.model.stateVariables[k]!.dataSync())).toEqual(Array.from(whole.model.stateVariables[k]!.dataSync()));
  });
});

describe('schedule and stopping', () => {
  it('divides the learning rate by 1.2 when validation does not improve, and stops early', async () => {
    const model = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } });
    const records: LogRecord[] = [];
    const valid = [imageBatch(4, 99)];
    // A learning rate this large makes validation worse after the first check.
    const result = await train(
      model,
      {
        seed: 1,
        epochs: 50,
        validateEvery: 1,
        plateau: { factor: 1.2, minLearningRate: 0 },
        earlyStopping: { patience: 3 },
        optimizer: { kind: 'sgd', learningRate: 5 },
      },
      { train: fixedTrainData([imageBatch(4, 1)]), valid: () => valid, onLog: (r) => records.push(r), progress: false },
    );
    const validations = records.filter((r) => r.type === 'valid');
    expect(result.stopped).toBe('earlyStopping');
    let lr = 5;
    for (const v of validations) {
      if (!v.improved) lr /= 1.2;
      expect(v.learningRate).toBeCloseTo(lr, 10);
    }
    expect(validations.slice(-3).every((v) => v.improved === false)).toBe(true);
    expect(result.state.learningRate).toBeCloseTo(lr, 10);
  });

  it('passes the step to the bottleneck: linear KL annealing weighs the KL 0 at the first step, 1 after warm-up', async () => {
    const records: LogRecord[] = [];
    const model = createModel({
      kind: 'bowVae',
      vocabSize: 12,
      hiddenDims: [8],
      bottleneck: { kind: 'gaussian', latentDim: 2, klSchedule: { kind: 'linear', warmupSteps: 4, start: 0 } },
    });
    await train(
      model,
      { seed: 1, maxSteps: 6, epochs: 6 },
      {
        train: fixedTrainData([{ size: 2, counts: Float32Array.from({ length: 24 }, (_, i) => i % 3) }]),
        onLog: (r) => records.push(r),
        progress: false,
      },
    );
    const steps = records.filter((r) => r.type === 'step') as unknown as { loss: number; reconstruction: number; kl: number }[];
    const weights = steps.map((r) => (r.loss - r.reconstruction) / r.kl);
    [0, 0.25, 0.5, 0.75, 1, 1].forEach((w, i) => {
      expect(weights[i]).toBeCloseTo(w, 3);
    });
  });

  it('clips the global gradient norm: an SGD step moves the weights by exactly lr × clipNorm', async () => {
    const model = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } });
    const before = weightsOf(model);
    const records: LogRecord[] = [];
    await train(
      model,
      { seed: 1, maxSteps: 1, clipNorm: 0.5, optimizer: { kind: 'sgd', learningRate: 0.1 } },
      {
        train: fixedTrainData([imageBatch(4, 1)]),
        onLog: (r) => records.push(r),
        progress: false,
      },
    );
    const after = weightsOf(model);
    let sq = 0;
    for (const [k, v] of Object.entries(after)) {
      v.forEach((x, i) => {
        sq += (x - (before[k]?.[i] as number)) ** 2;
      });
    }
    expect(records.find((r) => r.type === 'step')?.gradNorm).toBeGreaterThan(0.5);
    expect(Math.sqrt(sq)).toBeCloseTo(0.05, 5);
  });

  it('writes every step, validation and checkpoint as JSON lines', async () => {
    const log = path.join(tmp, 'run.jsonl');
    const dir = path.join(tmp, 'log-ckpt');
    await train(
      createModel({ kind: 'bowVae', vocabSize: 12, hiddenDims: [8], bottleneck: { kind: 'gaussian', latentDim: 2 } }),
      { seed: 1, epochs: 2, checkpointEvery: 2 },
      {
        train: fixedTrainData([
          { size: 2, counts: new Float32Array(24).fill(1) },
          { size: 2, counts: new Float32Array(24).fill(2) },
          { size: 1, counts: new Float32Array(12).fill(3) },
        ]),
        valid: () => [{ size: 1, counts: new Float32Array(12).fill(1) }],
        logFile: log,
        checkpointDir: dir,
        progress: false,
      },
    );
    const lines = fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step').map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(lines.filter((l) => l.type === 'valid')).toHaveLength(2);
    expect(lines.filter((l) => l.type === 'checkpoint').map((l) => [l.step, l.why])).toEqual(
      [
        [2, 'every'],
        [3, 'epoch'],
        [4, 'every'],
        [6, 'every'],
        [6, 'epoch'],
      ].filter((x, i, a) => i === a.findIndex((y) => y[0] === x[0] && y[1] === x[1])),
    );
    const step = lines.find((l) => l.type === 'step');
    for (const key of ['loss', 'reconstruction', 'kl', 'gradNorm', 'learningRate', 'units', 'examples']) expect(step).toHaveProperty(key);
    expect(loadCheckpoint<{ state: { step: number } }>(dir).config.state.step).toBe(6);
  });
});

describe('failures', () => {
  it('a NaN loss stops the run, naming the step and the last good checkpoint', async () => {
    const dir = path.join(tmp, 'nan-ckpt');
    const bad = imageBatch(4, 3);
    bad.pixels[5] = Number.NaN;
    const run = train(
      createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], likelihood: 'gaussian', bottleneck: { kind: 'identity' } }),
      { seed: 1, checkpointEvery: 1 },
      {
        train: fixedTrainData([imageBatch(4, 1), imageBatch(4, 2), bad]),
        checkpointDir: dir,
        progress: false,
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'NUMERIC_ERROR' });
    await expect(run).rejects.toThrow(`training stopped: the loss is NaN at step 3 (epoch 0, batch 3); last good checkpoint: ${dir} (step 2)`);
    expect(loadCheckpoint<{ state: { step: number } }>(dir).config.state.step).toBe(2);
  });

  it('an aborted signal checkpoints and stops with "interrupted"', async () => {
    const controller = new AbortController();
    const dir = path.join(tmp, 'abort-ckpt');
    let steps = 0;
    const data: TrainData = fixedTrainData(Array.from({ length: 50 }, (_, i) => imageBatch(2, i)));
    const result = await train(
      createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } }),
      { seed: 1 },
      {
        train: data,
        checkpointDir: dir,
        signal: controller.signal,
        onLog: (r) => {
          if (r.type === 'step' && ++steps === 3) controller.abort();
        },
        progress: false,
      },
    );
    expect(result.stopped).toBe('interrupted');
    expect(result.state.step).toBe(3);
    expect(loadCheckpoint<{ state: { step: number; offset: number } }>(dir).config.state).toMatchObject({ step: 3, offset: 3 });
  });

  it('resuming a run that already reached maxSteps takes no step', async () => {
    const dir = path.join(tmp, 'done-ckpt');
    await train(
      createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } }),
      { seed: 1, maxSteps: 2 },
      {
        train: fixedTrainData([imageBatch(2, 1), imageBatch(2, 2), imageBatch(2, 3)]),
        checkpointDir: dir,
        progress: false,
      },
    );
    const again = await resumeTraining(dir, { train: fixedTrainData([imageBatch(2, 1), imageBatch(2, 2), imageBatch(2, 3)]), progress: false });
    expect(again.stopped).toBe('maxSteps');
    expect(again.state.step).toBe(2);
  });

  it('resume refuses a folder that is not a training checkpoint', async () => {
    const dir = path.join(tmp, 'model-only');
    await createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } }).save(dir);
    await expect(resumeTraining(dir, { train: fixedTrainData([imageBatch(1, 1)]) })).rejects.toThrow(/not a training checkpoint/);
  });
});

describe('restoreBest', () => {
  // SGD at lr 5 makes validation worse after the first checks (as in the early-stopping test), so the best weights
  // are early ones and the last ones are far from them.
  const setup = () => ({
    model: createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], bottleneck: { kind: 'identity' } }),
    trainer: { seed: 1, epochs: 50, validateEvery: 1, restoreBest: true, optimizer: { kind: 'sgd', learningRate: 5 } } as const,
    data: () => fixedTrainData([imageBatch(4, 1)]),
    valid: [imageBatch(4, 99)],
  });
  const validations = (records: LogRecord[]) => records.filter((r) => r.type === 'valid') as unknown as { step: number; loss: number }[];

  it('gives the model back the weights of its best validation, and the checkpoint keeps the last ones', async () => {
    const { model, trainer, data, valid } = setup();
    const records: LogRecord[] = [];
    const dir = path.join(tmp, 'best-ckpt');
    const result = await train(
      model,
      { ...trainer, maxSteps: 8 },
      { train: data(), valid: () => valid, checkpointDir: dir, onLog: (r) => records.push(r), progress: false },
    );
    const seen = validations(records);
    const best = seen.reduce((a, b) => (b.loss < a.loss ? b : a));
    expect(best.step).toBeLessThan(8);
    expect(result.restoredBest).toEqual({ step: best.step, loss: best.loss });
    expect(evaluate(model, valid).loss).toBeCloseTo(best.loss, 4);
    expect(evaluate(model, valid).loss).toBeLessThan((seen.at(-1) as { loss: number }).loss - 1e-3);
    expect(records.find((r) => r.type === 'restore')).toMatchObject({ step: 8, bestStep: best.step, loss: best.loss });
    // The checkpoint's model weights are the last ones: loaded as a model, it scores the last validation's loss.
    const last = await loadModel(dir);
    expect(evaluate(last, valid).loss).toBeCloseTo((seen.at(-1) as { loss: number }).loss, 4);
    last.dispose();
    model.dispose();
  });

  it('a resumed run still knows the best weights from before the stop', async () => {
    const { model, trainer, data, valid } = setup();
    const dir = path.join(tmp, 'best-resume');
    const first = await train(model, { ...trainer, maxSteps: 4 }, { train: data(), valid: () => valid, checkpointDir: dir, progress: false });
    const bestBefore = first.restoredBest;
    model.dispose();
    const records: LogRecord[] = [];
    const again = await resumeTraining(dir, { train: data(), valid: () => valid, onLog: (r) => records.push(r), progress: false }, { maxSteps: 8 });
    const later = validations(records);
    // Validation only got worse after the resume, so the best is still the one before it.
    expect(later.every((v) => v.loss > (bestBefore as { loss: number }).loss)).toBe(true);
    expect(again.restoredBest).toEqual(bestBefore);
    expect(evaluate(again.model, valid).loss).toBeCloseTo((bestBefore as { loss: number }).loss, 4);
    again.model.dispose();
  });

  it('refuses to run without validation data, saying why', async () => {
    const { model, trainer, data } = setup();
    await expect(train(model, trainer, { train: data(), progress: false })).rejects.toThrow('trainer.restoreBest needs validation data');
    model.dispose();
  });
});
