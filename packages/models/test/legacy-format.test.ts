/**
 * Model folders written before models were saved through tf.io (config.json + weights.json + weights.bin) still
 * load, and give the outputs they gave when they were written (fixture: scripts/make-legacy-model-fixture.mjs, run
 * by the code of that time). Saved again, such a model is a tf.io model.json that a file://, in-memory or http://
 * handler loads to the same outputs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Model, loadModel, loadModelFrom, saveModelTo } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/legacy-image-mlp/', import.meta.url));
const expected = JSON.parse(fs.readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as { code: number[][]; decoded: number[]; shape: number[] };

beforeAll(async () => {
  // The backend the fixture's outputs were computed on, so they must match bit for bit.
  await initEngine({ backend: 'cpu' });
});

function decoded(model: Model): { values: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const out = model.decode(tf.tensor2d(expected.code));
    return { values: out.dataSync() as Float32Array, shape: out.shape };
  });
}

describe('a model folder in the pre-tf.io layout', () => {
  it('loads and decodes a fixed code to exactly the values it gave when it was written', () => {
    expect(fs.readdirSync(fixture).sort()).toEqual(['config.json', 'expected.json', 'weights.bin', 'weights.json']);
    const model = loadModel(fixture);
    const { values, shape } = decoded(model);
    expect(shape).toEqual(expected.shape);
    expect(Array.from(values)).toEqual(Array.from(Float32Array.from(expected.decoded)));
    model.dispose();
  });

  it('saved again, is a tf.io model.json that file:// and in-memory handlers load to the same outputs', async () => {
    const legacy = loadModel(fixture);
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-legacy-')), 'model');
    await legacy.save(dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    let memory: tf.io.ModelArtifacts | undefined;
    await saveModelTo(
      legacy,
      tf.io.withSaveHandler(async (a) => {
        memory = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const want = Array.from(decoded(legacy).values);
    for (const model of [loadModel(dir), await loadModelFrom(pathToFileURL(dir).href), await loadModelFrom(tf.io.fromMemory(memory as tf.io.ModelArtifacts))]) {
      expect(model.config).toEqual(legacy.config);
      expect(Array.from(decoded(model).values)).toEqual(want);
      model.dispose();
    }
    expect(want).toEqual(Array.from(Float32Array.from(expected.decoded)));
    legacy.dispose();
  });
});
