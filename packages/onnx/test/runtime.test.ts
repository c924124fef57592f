/** Export → files → loadOnnxModel: metadata, encode/decode, parity, and the error paths. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LatentkitError, initEngine } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { type BottleneckInput, type ImageBatch, type ImageMlp, createModel } from '@latentkit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder, LATENTKIT_VERSION, ONNX_FORMAT, attr, checkParity, exportModel, loadOnnxModel, saveOnnx } from '../src/index.js';
import { checkerUnavailable, maxAbsDiff, onnxCheck } from './helpers.js';

const skipChecker = checkerUnavailable();
let dir: string;

/** A tiny image MLP on 4×4 images with random weights. */
function tinyImageMlp(bottleneck: BottleneckInput): ImageMlp {
  return createModel({ kind: 'imageMlp', size: 4, hiddenDims: [8, 6], bottleneck }, { seed: 1 });
}

function pixels(size: number, seed: number): ImageBatch {
  return { size, pixels: tf.randomUniform([size, 16], 0, 1, 'float32', seed).dataSync() as Float32Array };
}

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-runtime-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<LatentkitError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LatentkitError);
    return e as LatentkitError;
  }
  throw new Error('expected a rejection');
}

describe('saveOnnx and loadOnnxModel', () => {
  it('round trip: metadata, files, encode and decode equal tfjs', async () => {
    const model = tinyImageMlp({ kind: 'gaussian', latentDim: 3 });
    const out = path.join(dir, 'gaussian');
    const files = saveOnnx(model, out);
    expect(Object.keys(files).sort()).toEqual(['decoder', 'encoder']);
    if (!skipChecker) onnxCheck(...Object.values(files).map((f) => fs.readFileSync(f)));

    const onnx = await loadOnnxModel(out);
    expect(onnx.kind).toBe('imageMlp');
    expect(onnx.config).toEqual(JSON.parse(JSON.stringify(model.config)));
    expect(onnx.metadata.format).toBe(ONNX_FORMAT);
    expect(onnx.metadata.latentkitVersion).toBe(LATENTKIT_VERSION);
    expect(onnx.vocabulary).toBeUndefined();

    const batch = pixels(5, 3);
    const report = await checkParity(model, onnx, batch);
    expect(report.examples).toBe(5);
    expect(report.max).toBeLessThanOrEqual(1e-4);
    const enc = await onnx.encode(batch);
    expect([enc.code.rows, enc.code.cols, enc.latent.cols]).toEqual([5, 3, 3]);
    await onnx.release();
  });

  it('checkParity reports a real difference (a decoder weight changed after export)', async () => {
    const model = tinyImageMlp({ kind: 'identity' });
    const out = path.join(dir, 'stale');
    saveOnnx(model, out);
    const layer = model.layers['dec.out'] as tf.layers.Layer;
    layer.setWeights(layer.getWeights().map((w, i) => (i === 1 ? tf.add(w, 0.5) : w)));
    const report = await checkParity(model, out, pixels(3, 4));
    expect(report.code).toBeLessThanOrEqual(1e-4);
    expect(report.logits).toBeCloseTo(0.5, 4);
  });

  it('a single file loads alone; the missing part is named when used', async () => {
    const model = tinyImageMlp({ kind: 'identity' });
    const out = path.join(dir, 'single');
    const files = saveOnnx(model, out);
    const encoderOnly = await loadOnnxModel(files.encoder);
    expect(encoderOnly.metadata.role).toBe('encoder');
    const e = await rejection(encoderOnly.decode({ data: new Float32Array(6), rows: 1, cols: 6 }));
    expect(e.message).toMatch(/without its decoder \(decoder\.onnx\)/);
    const t = await rejection(encoderOnly.initialState({ data: new Float32Array(6), rows: 1, cols: 6 }));
    expect(t.message).toMatch(/for text models; this one is imageMlp/);
    await encoderOnly.release();
  });

  it('vocabulary: stored when given; refused for images', () => {
    const model = tinyImageMlp({ kind: 'identity' });
    expect(() => exportModel(model, { vocabulary: ['a'] })).toThrow(/"vocabulary" is for text and bag-of-words models; this one is imageMlp/);
  });

  it('a model with a layer the exporter does not support fails, naming that layer', () => {
    const model = tinyImageMlp({ kind: 'identity' });
    const norm = tf.layers.layerNormalization({ name: 'dec.out' });
    norm.apply(tf.zeros([1, 6]));
    (model.layers as Record<string, tf.layers.Layer>)['dec.out'] = norm;
    let error: unknown;
    try {
      exportModel(model);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LatentkitError);
    expect((error as LatentkitError).code).toBe('UNSUPPORTED');
    expect((error as Error).message).toMatch(/^layer "dec\.out" \(LayerNormalization\) cannot be exported to ONNX/);
  });

  it('missing paths and foreign ONNX files fail with messages naming the file', async () => {
    const missing = await rejection(loadOnnxModel(path.join(dir, 'nope')));
    expect(missing.code).toBe('FILE_NOT_FOUND');
    expect(missing.message).toContain('nope');

    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    expect((await rejection(loadOnnxModel(empty))).message).toMatch(/holds none of encoder\.onnx/);

    const g = new GraphBuilder('foreign');
    g.input('x', 'float32', [1]);
    g.output('x', 'y', 'float32', [1]);
    const foreign = path.join(dir, 'foreign.onnx');
    fs.writeFileSync(foreign, g.toBytes({ producerVersion: 'x', metadata: {} }));
    const e = await rejection(loadOnnxModel(foreign));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toContain('foreign.onnx');
    expect(e.message).toContain('latentkit.format');

    const garbage = path.join(dir, 'garbage.onnx');
    fs.writeFileSync(garbage, 'not a protobuf at all, just text');
    expect((await rejection(loadOnnxModel(garbage))).message).toContain('garbage.onnx');
  });

  it('files from two different models in one folder are refused', async () => {
    const a = saveOnnx(tinyImageMlp({ kind: 'identity' }), path.join(dir, 'mixed'));
    const b = saveOnnx(tinyImageMlp({ kind: 'gaussian', latentDim: 2 }), path.join(dir, 'other'));
    fs.copyFileSync(b.decoder, a.decoder);
    const e = await rejection(loadOnnxModel(path.join(dir, 'mixed')));
    expect(e.message).toMatch(/exported from different models/);
  });

  it('a wrongly sized input is refused before onnxruntime sees it', async () => {
    const model = tinyImageMlp({ kind: 'identity' });
    const out = path.join(dir, 'sizes');
    saveOnnx(model, out);
    const onnx = await loadOnnxModel(out);
    const e = await rejection(onnx.encode({ size: 1, pixels: new Float32Array(10) }));
    expect(e.message).toMatch(/"batch.pixels" must be 16 values, got 10/);
    await onnx.release();
  });

  it.skipIf(skipChecker)('the independent checker is not vacuous: it rejects a graph with a dangling input and a wrong output shape', () => {
    const dangling = new GraphBuilder('dangling');
    dangling.input('x', 'float32', ['batch', 3]);
    dangling.output(dangling.op('Add', ['x', 'nowhere']), 'y', 'float32', ['batch', 3]);
    expect(() => onnxCheck(dangling.toBytes({ producerVersion: 'test', metadata: {} }))).toThrow(/nowhere/);

    const shape = new GraphBuilder('shape');
    shape.input('x', 'float32', [2, 3]);
    shape.output(shape.op('Flatten', ['x'], { axis: attr.int(0) }), 'y', 'float32', [2, 3]); // Flatten(axis 0) gives [1, 6]
    expect(() => onnxCheck(shape.toBytes({ producerVersion: 'test', metadata: {} }))).toThrow(/ShapeInferenceError|shape/i);
  });

  it('maxAbsDiff: hand values; NaN and a length mismatch are infinite, never 0', () => {
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 2])).toBe(1);
    expect(maxAbsDiff([1, Number.NaN], [1, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(maxAbsDiff([Number.NaN], [Number.NaN])).toBe(Number.POSITIVE_INFINITY);
    expect(maxAbsDiff([1, 2], [1])).toBe(Number.POSITIVE_INFINITY);
  });
});
