import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LatentkitError, type Rng } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import { tf } from '@latentkit/core/layers';
import { describe, expect, it } from 'vitest';
import {
  BaseModel,
  type ExportPlan,
  type ForwardContext,
  type ImageBatch,
  type Model,
  type Reconstruction,
  bernoulliNll,
  createModel,
  defineModel,
  fixedTrainData,
  loadModel,
  modelKind,
  network,
  registerModel,
  resolveModelConfig,
  sequential,
  train,
} from '../src/index.js';
import { bowBatch, imageBatch, textBatch } from './helpers.js';

const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
const denseStack = (widths: number[], seed: number) =>
  widths.map((units, i) => tf.layers.dense({ units, activation: i < widths.length - 1 ? 'relu' : 'linear', kernelInitializer: seeded(seed + i) }));

function outputOf(model: Model, batch: ImageBatch): number[] {
  return tf.tidy(() => Array.from(model.decode(model.encode(batch as never).code).dataSync()));
}

describe('custom encoder and decoder networks', () => {
  it('replace an image model’s own, train, and save and load under stable names', async () => {
    const networks = () => ({ encoder: sequential(denseStack([12, 6], 1)), decoder: sequential(denseStack([7], 5)) });
    const nets = networks();
    const model = createModel({ kind: 'imageMlp', size: 8, bottleneck: { kind: 'gaussian', latentDim: 3 } }, { seed: 1, networks: nets });
    // The bottleneck takes the encoder's declared width; the model's own stack is gone, its output layer stays.
    expect(model.config.bottleneck.inputDim).toBe(6);
    expect(Object.keys(model.layers).sort()).toEqual(['dec.net0', 'dec.out', 'enc.net0', 'enc.net1']);
    expect(Object.keys(model.trainableVariables)).toContain('enc.net1/kernel');
    const batch = imageBatch(16, 3);
    const before = tf.tidy(() => model.loss(batch, { mode: 'infer' }).total.dataSync()[0] as number);
    await train(model, { seed: 1, epochs: 30, optimizer: { kind: 'adam', learningRate: 0.01 } }, { train: fixedTrainData([batch]), progress: false });
    const after = tf.tidy(() => model.loss(batch, { mode: 'infer' }).total.dataSync()[0] as number);
    expect(after).toBeLessThan(before);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-networks-'));
    await model.save(dir);
    const again = loadModel(dir, { networks: networks() });
    expect(outputOf(again, batch)).toEqual(outputOf(model, batch));
    // Without its networks the folder holds weights the kind's own layers do not have.
    expect(() => loadModel(dir)).toThrow(LatentkitError);
    model.dispose();
    again.dispose();
  });

  it('may be functions; a function does not export to ONNX, a sequential stack does', () => {
    const layer = tf.layers.dense({ units: 5, kernelInitializer: seeded(2) });
    const encoder = network((x) => tf.tanh(layer.apply(tf.log1p(x)) as tf.Tensor), { outputWidth: 5, layers: [layer] });
    const model = createModel({ kind: 'bowVae', vocabSize: 10, bottleneck: { kind: 'gaussian', latentDim: 2 } }, { networks: { encoder } });
    const out = tf.tidy(() => model.loss(bowBatch(4, 10, 1), { mode: 'infer' }).total.dataSync()[0] as number);
    expect(Number.isFinite(out)).toBe(true);
    expect(() => model.exportPlan()).toThrow(/custom encoder is a function; only a sequential\(\) stack/);
    const stacked = createModel(
      { kind: 'bowVae', vocabSize: 10, bottleneck: { kind: 'gaussian', latentDim: 2 } },
      { networks: { decoder: sequential(denseStack([4], 9)) } },
    );
    const plan = stacked.exportPlan() as Extract<ExportPlan, { kind: 'feedForward' }>;
    expect(plan.decoder).toEqual([
      { op: 'layer', layer: 'dec.net0' },
      { op: 'layer', layer: 'dec.out' },
    ]);
    model.dispose();
    stacked.dispose();
  });

  it('give the text model a custom encoder over the embedded sentence; a custom text decoder is refused', () => {
    const gru = tf.layers.gru({ units: 6, returnSequences: true, kernelInitializer: seeded(4), recurrentInitializer: seeded(5) });
    const model = createModel(
      { kind: 'textVae', vocabSize: 12, embeddingDim: 4, hiddenDim: 5, bottleneck: { kind: 'vmf', latentDim: 3, kappa: 10 } },
      { networks: { encoder: sequential([gru], { outputWidth: 6 }) } },
    );
    expect(model.config.bottleneck.inputDim).toBe(6);
    const out = tf.tidy(() => model.loss(textBatch([3, 5], 12, 1), { mode: 'infer' }).reconstruction.dataSync());
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
    expect(() =>
      createModel({ kind: 'textVae', vocabSize: 12, bottleneck: { kind: 'identity' } }, { networks: { decoder: sequential(denseStack([4], 1)) } }),
    ).toThrow(/custom encoder only/);
    model.dispose();
  });

  it('must output the width they declare', () => {
    const wrong = sequential(denseStack([4], 1), { outputWidth: 9 });
    expect(() => createModel({ kind: 'imageMlp', size: 8, bottleneck: { kind: 'identity' } }, { networks: { encoder: wrong } })).toThrow(
      'a custom network declares outputWidth 9 but outputs width 4 for input [batch, 64]',
    );
  });
});

interface LinearAeConfig {
  readonly kind: 'linearAe';
  readonly inputDim: number;
  readonly bottleneck: import('@latentkit/bottlenecks').BottleneckConfig;
}

/** A user's model kind: one linear encoder and decoder on row vectors, Bernoulli likelihood. */
class LinearAe extends BaseModel<LinearAeConfig> {
  private readonly enc: tf.layers.Layer;
  private readonly dec: tf.layers.Layer;
  constructor(config: LinearAeConfig, rng: Rng) {
    super(config, rng);
    this.enc = this.add(
      tf.layers.dense({ name: 'enc.dense', units: this.bottleneck.inputDim, inputShape: [config.inputDim], kernelInitializer: seeded(rng.int(1e6)) }),
    );
    this.dec = this.add(
      tf.layers.dense({ name: 'dec.out', units: config.inputDim, inputShape: [this.bottleneck.codeDim], kernelInitializer: seeded(rng.int(1e6)) }),
    );
    tf.tidy(() => this.dec.apply(this.enc.apply(tf.zeros([1, config.inputDim])) as tf.Tensor) as tf.Tensor);
  }
  features(batch: ImageBatch): tf.Tensor2D {
    return this.enc.apply(tf.tensor2d(batch.pixels, [batch.size, this.config.inputDim])) as tf.Tensor2D;
  }
  decode(code: tf.Tensor2D): tf.Tensor2D {
    return this.dec.apply(code) as tf.Tensor2D;
  }
  units(batch: ImageBatch): number {
    return batch.pixels.length;
  }
  reconstruction(batch: ImageBatch, code: tf.Tensor2D, _ctx?: ForwardContext): Reconstruction {
    return { nll: bernoulliNll(this.decode(code), tf.tensor2d(batch.pixels, [batch.size, this.config.inputDim])), units: batch.pixels.length };
  }
  exportPlan(): ExportPlan {
    return {
      kind: 'feedForward',
      input: { field: 'pixels', width: this.config.inputDim },
      encoder: [{ op: 'layer', layer: 'enc.dense' }],
      decoder: [{ op: 'layer', layer: 'dec.out' }],
      outputWidth: this.config.inputDim,
    };
  }
  protected batchSize(batch: ImageBatch): number {
    return batch.size;
  }
}

describe('registerModel', () => {
  it('adds a user kind that configs, createModel and loadModel accept', async () => {
    registerModel(
      defineModel<LinearAeConfig>({
        kind: 'linearAe',
        summary: 'a linear autoencoder',
        reads: 'image',
        schema: z.strictObject({ kind: z.literal('linearAe'), inputDim: schemas.positiveInt().default(64), bottleneck: z.looseObject({ kind: z.string() }) }),
        encoderWidth: () => 4,
        fromData: (shape) => (shape.kind === 'image' ? { inputDim: shape.height * shape.width * shape.channels } : {}),
        defaults: { latentDim: 4, batchSize: 16 },
        create: (config, rng) => new LinearAe(config, rng),
      }),
    );
    expect(modelKind('linearAe').cliName).toBe('linear-ae');
    expect(resolveModelConfig({ kind: 'linearAe', bottleneck: { kind: 'vq', codebookSize: 8 } } as never)).toMatchObject({
      inputDim: 64,
      bottleneck: { inputDim: 4, codebookSize: 8 },
    });
    expect(() => resolveModelConfig({ kind: 'linearAe', inputDims: 3, bottleneck: { kind: 'identity' } } as never)).toThrow(
      'inputDims: unknown key; did you mean inputDim?',
    );
    const model = createModel({ kind: 'linearAe', bottleneck: { kind: 'identity' } } as never, { seed: 2 }) as unknown as Model;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-kind-'));
    await model.save(dir);
    const batch = imageBatch(3, 1);
    expect(outputOf(loadModel(dir), batch)).toEqual(outputOf(model, batch));
    expect(() => registerModel(modelKind('imageMlp'))).toThrow(/already registered/);
  });
});
