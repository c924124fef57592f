/**
 * Checkpoints through tf.io (issue 19, item 4): the folder is TensorFlow.js's model.json + weights.bin, and the same
 * checkpoint goes through our file:// handler, tf.io's in-memory handlers and its http:// loader bit for bit.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FORMAT,
  FileSystemIoHandler,
  LatentkitError,
  initEngine,
  loadCheckpoint,
  loadCheckpointFrom,
  readCheckpointConfig,
  saveCheckpoint,
  saveCheckpointTo,
  tf,
} from '../src/index.js';
import { saveLegacyCheckpoint } from './helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-tfjs-io-'));

// Values float32 rounding or a text round trip would change: -0, a subnormal, the largest float32, odd mantissas.
const AWKWARD = [-0, 1.4e-45, 3.4028234663852886e38, 0.1, -1 / 3, 2 ** -126, 123456.789, Math.PI];

function sampleWeights(): Record<string, tf.Tensor> {
  return {
    'enc/kernel': tf.tensor2d(AWKWARD, [2, 4]),
    'enc/bias': tf.tensor1d([7, -8, 9]),
    'vq/counts': tf.tensor1d([3, -2147483648, 2147483647], 'int32'),
  };
}

const CONFIG = { format: 'latentkit-model@1', model: { kind: 'test', hidden: [3, 2], lr: 0.001 } };

function bytesOf(t: tf.Tensor): Buffer {
  const v = t.dataSync() as Float32Array | Int32Array;
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** Every weight of `got` has the name, dtype, shape and bytes of the one in `want`. */
function expectBitExact(got: Record<string, tf.Tensor>, want: Record<string, tf.Tensor>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [name, w] of Object.entries(want)) {
    const g = got[name] as tf.Tensor;
    expect([g.dtype, g.shape], name).toEqual([w.dtype, w.shape]);
    expect(bytesOf(g).equals(bytesOf(w)), `${name} bytes`).toBe(true);
  }
}

function checkpointError(p: Promise<unknown>): Promise<LatentkitError> {
  return p.then(
    () => {
      throw new Error('expected a CHECKPOINT_ERROR');
    },
    (e) => {
      expect(e).toBeInstanceOf(LatentkitError);
      expect((e as LatentkitError).code).toBe('CHECKPOINT_ERROR');
      return e as LatentkitError;
    },
  );
}

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('a checkpoint folder is a tf.io model.json + weights.bin', () => {
  it('writes the weightsManifest and our config under userDefinedMetadata, and reads it back bit for bit', async () => {
    const dir = path.join(tmp(), 'model');
    const weights = sampleWeights();
    await saveCheckpoint(dir, { config: CONFIG, weights });
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(doc.weightsManifest).toEqual([
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'enc/kernel', shape: [2, 4], dtype: 'float32' },
          { name: 'enc/bias', shape: [3], dtype: 'float32' },
          { name: 'vq/counts', shape: [3], dtype: 'int32' },
        ],
      },
    ]);
    expect(doc.userDefinedMetadata.latentkit).toMatchObject({ format: CHECKPOINT_FORMAT, config: CONFIG });
    expect(doc.userDefinedMetadata.latentkit.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBe((8 + 3 + 3) * 4);
    const loaded = loadCheckpoint(dir);
    expect(loaded.config).toEqual(CONFIG);
    expect(readCheckpointConfig(dir)).toEqual(CONFIG);
    expectBitExact(loaded.weights, weights);
    tf.dispose([...Object.values(loaded.weights), ...Object.values(weights)]);
  });

  it('goes through tf.io by file:// URL in both directions (our handler, registered with tf.io)', async () => {
    const dir = path.join(tmp(), 'by-url');
    const url = pathToFileURL(dir).href;
    expect(tf.io.getSaveHandlers(url)[0]).toBeInstanceOf(FileSystemIoHandler);
    expect(tf.io.getLoadHandlers(`${url}/model.json`)[0]).toBeInstanceOf(FileSystemIoHandler);
    const weights = sampleWeights();
    await saveCheckpointTo(url, { config: CONFIG, weights });
    const loaded = await loadCheckpointFrom(`${url}/model.json`);
    expect(loaded.config).toEqual(CONFIG);
    expectBitExact(loaded.weights, weights);
    // tf.io's own decoder reads our weights.bin with our manifest: the folder is plain tfjs.
    const artifacts = await new FileSystemIoHandler(dir).load();
    expectBitExact(tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, artifacts.weightSpecs ?? []), weights);
    tf.dispose([...Object.values(loaded.weights), ...Object.values(weights)]);
  });

  it('round-trips through tf.io.withSaveHandler and tf.io.fromMemory', async () => {
    let saved: tf.io.ModelArtifacts | undefined;
    const weights = sampleWeights();
    await saveCheckpointTo(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { config: CONFIG, weights },
    );
    expect(saved?.userDefinedMetadata).toMatchObject({ latentkit: { format: CHECKPOINT_FORMAT, config: CONFIG } });
    const loaded = await loadCheckpointFrom(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expectBitExact(loaded.weights, weights);
    tf.dispose([...Object.values(loaded.weights), ...Object.values(weights)]);
  });

  describe('over http://', () => {
    let server: http.Server;
    let base = '';
    let dir = '';
    const weights = sampleWeights();

    beforeAll(async () => {
      dir = path.join(tmp(), 'served');
      await saveCheckpoint(dir, { config: CONFIG, weights });
      server = http.createServer((req, res) => {
        const file = path.join(dir, (req.url ?? '').replace(/^\/+/, ''));
        if (!fs.existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
        res.end(fs.readFileSync(file));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('loads the folder a static server serves, with tf.io’s own http handler, bit for bit', async () => {
      expect(tf.io.getLoadHandlers(`${base}/model.json`).length).toBe(1);
      const loaded = await loadCheckpointFrom(`${base}/model.json`);
      expect(loaded.config).toEqual(CONFIG);
      expectBitExact(loaded.weights, weights);
      tf.dispose(Object.values(loaded.weights));
    });

    it('names the URL when there is nothing there', async () => {
      const e = await checkpointError(loadCheckpointFrom(`${base}/missing/model.json`));
      expect(e.message).toContain(`${base}/missing/model.json`);
    });
  });
});

describe('what a tf.io checkpoint refuses', () => {
  it('a model.json that is not a latentkit checkpoint, a quantized weight, a tampered byte, a path out of the folder', async () => {
    const dir = path.join(tmp(), 'model');
    await saveCheckpoint(dir, { config: CONFIG, weights: sampleWeights() });
    const file = path.join(dir, 'model.json');
    const original = fs.readFileSync(file, 'utf8');
    type Doc = { userDefinedMetadata?: unknown; weightsManifest: { paths: string[]; weights: Record<string, unknown>[] }[] };
    const edit = (f: (doc: Doc) => void) => {
      const doc = JSON.parse(original);
      f(doc);
      fs.writeFileSync(file, JSON.stringify(doc));
    };
    const load = () => Promise.resolve().then(() => loadCheckpoint(dir));

    edit((doc) => delete doc.userDefinedMetadata);
    expect((await checkpointError(load())).message).toMatch(/model\.json: expected userDefinedMetadata\.latentkit\.format latentkit-checkpoint@2/);
    edit((doc) => {
      (doc.weightsManifest[0]?.weights[1] as Record<string, unknown>).quantization = { dtype: 'uint8', scale: 1, min: 0 };
    });
    expect((await checkpointError(load())).message).toMatch(/weight "enc\/bias" is quantized/);
    edit((doc) => {
      (doc.weightsManifest[0]?.weights[1] as Record<string, unknown>).shape = [4];
    });
    expect((await checkpointError(load())).message).toMatch(/weights\.bin: truncated/);
    edit((doc) => {
      (doc.weightsManifest[0] as { paths: string[] }).paths = ['../weights.bin'];
    });
    expect((await checkpointError(load())).message).toMatch(/weights path "\.\.\/weights\.bin" is outside the folder/);
    fs.writeFileSync(file, original);
    const bin = path.join(dir, 'weights.bin');
    const bytes = fs.readFileSync(bin);
    bytes[3] = (bytes[3] as number) ^ 1;
    fs.writeFileSync(bin, bytes);
    expect((await checkpointError(load())).message).toMatch(/weights\.bin: SHA-256 [0-9a-f]{64} does not match/);
  });
});

describe('folders written before tf.io', () => {
  it('load with the same weights, and saving one again writes the tf.io layout', async () => {
    const dir = path.join(tmp(), 'legacy');
    const weights = sampleWeights();
    await saveLegacyCheckpoint(dir, { config: CONFIG, weights });
    expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'weights.bin', 'weights.json']);
    const legacy = loadCheckpoint(dir);
    expect(legacy.config).toEqual(CONFIG);
    expectBitExact(legacy.weights, weights);
    await saveCheckpoint(dir, legacy);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const again = loadCheckpoint(dir);
    expectBitExact(again.weights, weights);
    tf.dispose([...Object.values(legacy.weights), ...Object.values(again.weights), ...Object.values(weights)]);
  });
});
