#!/usr/bin/env node
/**
 * Writes test/fixtures/legacy-image-mlp/: a tiny imageMlp model folder in the format latentkit wrote before models
 * were saved through tf.io (config.json + weights.json + weights.bin), and expected.json with its decoder's output
 * for a fixed code. Run once, at commit 5ce652f (the last whose saveModel wrote that format), from packages/models
 * after `pnpm build`: `node scripts/make-legacy-model-fixture.mjs`. The fixture is committed; newer code must keep
 * loading it and give the same numbers (test/legacy-format.test.ts).
 */
import fs from 'node:fs';
import { initEngine, tf } from '@latentkit/core';
import { createModel } from '../dist/index.js';

await initEngine({ backend: 'cpu' });
const dir = new URL('../test/fixtures/legacy-image-mlp/', import.meta.url);
fs.rmSync(dir, { recursive: true, force: true });
const model = createModel({ kind: 'imageMlp', size: 4, hiddenDims: [3], bottleneck: { kind: 'gaussian', inputDim: 6, latentDim: 2 } }, { seed: 11 });
await model.save(dir.pathname);
const code = tf.tensor2d([[0.5, -1.25], [2, 0.125]]);
const out = model.decode(code);
const expected = { code: code.arraySync(), decoded: Array.from(await out.data()), shape: out.shape };
fs.writeFileSync(new URL('expected.json', dir), `${JSON.stringify(expected, null, 2)}\n`);
console.log(fs.readdirSync(dir), expected.shape);
