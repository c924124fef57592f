/**
 * A self-test of the engine on whatever backend it chose: a few Adam steps of the two model shapes latentkit trains
 * (an embedding → LSTM → dense language model, and a conv2d → conv2dTranspose image autoencoder), each on one fixed
 * random batch so the loss must fall. It finds missing kernels, wrong gradients that stop learning, leaked tensors,
 * and gives the speed of a training step.
 */
import { type BackendChoice, type EngineInfo, initEngine } from './backend.js';
import { check, checkPositiveInt } from './errors.js';
import { orthogonal } from './orthogonal.js';
import { Rng } from './rng.js';
import * as tf from './tf-with-layers.js';

export interface SelfTestOptions {
  /** Backend to test; default: the current one (or `initEngine()`'s choice when none is set up). */
  readonly backend?: BackendChoice;
  /** Adam steps per model (at least 2). Default 5. */
  readonly steps?: number;
  readonly seed?: number | string;
  readonly batchSize?: number;
  /** Language model: vocabulary, sequence length, LSTM units. Defaults 1000, 20, 128. */
  readonly vocabSize?: number;
  readonly sequenceLength?: number;
  readonly lstmUnits?: number;
}

export interface ModelCheck {
  readonly name: string;
  readonly ok: boolean;
  /** Loss after each step, starting with the first. */
  readonly losses: readonly number[];
  /** Median time of the steps after the first (which compiles and allocates). */
  readonly msPerStep: number;
  readonly firstStepMs: number;
  /** Kernels the backend lacked, from tfjs's "not registered" errors. */
  readonly missingKernels: readonly string[];
  /** Tensors alive afterwards that were not before. */
  readonly leakedTensors: number;
  /** Why `ok` is false. */
  readonly problems: readonly string[];
}

export interface SelfTestReport {
  readonly ok: boolean;
  readonly backend: EngineInfo['backend'];
  readonly tfjsBackend: string;
  readonly threads: number;
  readonly tfjsVersion: string;
  readonly models: readonly ModelCheck[];
}

interface Trainable {
  readonly model: tf.LayersModel;
  readonly inputs: tf.Tensor;
  loss(output: tf.Tensor): tf.Scalar;
  /** Frees the model and the fixed batch. */
  dispose(): void;
}

const LEARNING_RATE = 0.01;

function languageModel(rng: Rng, o: Required<Pick<SelfTestOptions, 'batchSize' | 'vocabSize' | 'sequenceLength' | 'lstmUnits'>>): Trainable {
  const glorot = () => tf.initializers.glorotUniform({ seed: rng.tfSeed() });
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: o.vocabSize, outputDim: 64, inputLength: o.sequenceLength, embeddingsInitializer: glorot() }),
      tf.layers.lstm({
        units: o.lstmUnits,
        returnSequences: true,
        kernelInitializer: glorot(),
        recurrentInitializer: orthogonal({ seed: rng.tfSeed() }),
      }),
      tf.layers.dense({ units: o.vocabSize, kernelInitializer: glorot() }),
    ],
  });
  // Random tokens; the model learns to predict each next one of this fixed batch.
  const tokens = Int32Array.from({ length: o.batchSize * (o.sequenceLength + 1) }, () => rng.int(o.vocabSize));
  const [inputs, targets] = tf.tidy(() => {
    const all = tf.tensor2d(tokens, [o.batchSize, o.sequenceLength + 1], 'int32');
    return [all.slice([0, 0], [o.batchSize, o.sequenceLength]), tf.oneHot(all.slice([0, 1], [o.batchSize, o.sequenceLength]), o.vocabSize)];
  });
  return {
    model,
    inputs,
    loss: (logits) => tf.losses.softmaxCrossEntropy(targets, logits),
    dispose: () => {
      model.dispose();
      tf.dispose([inputs, targets]);
    },
  };
}

function imageAutoencoder(rng: Rng, batchSize: number): Trainable {
  const glorot = () => tf.initializers.glorotUniform({ seed: rng.tfSeed() });
  const conv = (filters: number) => ({
    filters,
    kernelSize: 3,
    strides: 2,
    padding: 'same' as const,
    activation: 'relu' as const,
    kernelInitializer: glorot(),
  });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ ...conv(16), inputShape: [28, 28, 1] }),
      tf.layers.conv2d(conv(32)),
      tf.layers.conv2dTranspose(conv(16)),
      tf.layers.conv2dTranspose({ ...conv(1), activation: 'sigmoid' }),
    ],
  });
  const images = tf.tensor4d(
    Float32Array.from({ length: batchSize * 28 * 28 }, () => rng.uniform()),
    [batchSize, 28, 28, 1],
  );
  return {
    model,
    inputs: images,
    loss: (reconstruction) => tf.losses.meanSquaredError(images, reconstruction),
    dispose: () => {
      model.dispose();
      images.dispose();
    },
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const NOT_REGISTERED = /Kernel '([^']+)' not registered/;

function train(name: string, build: () => Trainable, steps: number): ModelCheck {
  const tensorsBefore = tf.memory().numTensors;
  const losses: number[] = [];
  const times: number[] = [];
  const problems: string[] = [];
  const missingKernels: string[] = [];
  let trainable: Trainable | undefined;
  const optimizer = tf.train.adam(LEARNING_RATE);
  try {
    trainable = build();
    const t = trainable;
    for (let step = 0; step < steps; step++) {
      const start = performance.now();
      const loss = optimizer.minimize(() => t.loss(t.model.apply(t.inputs, { training: true }) as tf.Tensor), true) as tf.Scalar;
      losses.push(loss.dataSync()[0] as number); // reading the loss waits for the step to finish
      times.push(performance.now() - start);
      loss.dispose();
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const kernel = NOT_REGISTERED.exec(message)?.[1];
    if (kernel) missingKernels.push(kernel);
    problems.push(kernel ? `kernel ${kernel} is missing on ${tf.getBackend()}` : `training failed: ${message.split('\n')[0]}`);
  } finally {
    optimizer.dispose();
    trainable?.dispose();
  }
  if (losses.some((l) => !Number.isFinite(l))) problems.push(`the loss became ${losses.find((l) => !Number.isFinite(l))}`);
  else if (losses.length === steps && !((losses.at(-1) as number) < (losses[0] as number))) {
    problems.push(`the loss did not decrease: ${losses[0]} → ${losses.at(-1)}`);
  }
  const leakedTensors = tf.memory().numTensors - tensorsBefore;
  if (leakedTensors !== 0) problems.push(`${leakedTensors} tensors were left allocated`);
  return {
    name,
    ok: problems.length === 0,
    losses,
    msPerStep: times.length > 1 ? median(times.slice(1)) : Number.NaN,
    firstStepMs: times[0] ?? Number.NaN,
    missingKernels,
    leakedTensors,
    problems,
  };
}

export async function runSelfTest(options: SelfTestOptions = {}): Promise<SelfTestReport> {
  const steps = options.steps ?? 5;
  check(Number.isInteger(steps) && steps >= 2, 'steps', 'an integer of at least 2 (the first step only warms up)', steps);
  const sizes = {
    batchSize: options.batchSize ?? 16,
    vocabSize: options.vocabSize ?? 1000,
    sequenceLength: options.sequenceLength ?? 20,
    lstmUnits: options.lstmUnits ?? 128,
  };
  for (const [name, value] of Object.entries(sizes)) checkPositiveInt(value, name);
  const info = await initEngine(options.backend === undefined ? {} : { backend: options.backend });
  const rng = Rng.fromSeed(options.seed ?? 0);
  const models = [
    train('embedding → LSTM → dense language model', () => languageModel(rng.fork('language model'), sizes), steps),
    train('conv2d → conv2dTranspose autoencoder', () => imageAutoencoder(rng.fork('autoencoder'), sizes.batchSize), steps),
  ];
  return {
    ok: models.every((m) => m.ok),
    backend: info.backend,
    tfjsBackend: info.tfjsBackend,
    threads: info.threads,
    tfjsVersion: info.tfjsVersion,
    models,
  };
}

/** The report as a few lines for a terminal. */
export function formatSelfTestReport(report: SelfTestReport): string {
  const lines = [`backend ${report.backend} (tfjs ${report.tfjsBackend} ${report.tfjsVersion}), ${report.threads} thread(s)`];
  for (const m of report.models) {
    const loss = m.losses.length ? `loss ${m.losses[0]?.toFixed(4)} → ${m.losses.at(-1)?.toFixed(4)}` : 'no loss';
    lines.push(`${m.ok ? 'ok  ' : 'FAIL'} ${m.name}: ${m.msPerStep.toFixed(1)} ms/step, ${loss}`);
    for (const p of m.problems) lines.push(`     ${p}`);
  }
  lines.push(report.ok ? 'self-test passed' : 'self-test FAILED');
  return lines.join('\n');
}
