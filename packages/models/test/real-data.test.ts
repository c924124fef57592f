/** End to end on the shared 20 Newsgroups data: loader → model → trainer → evaluation. Skips without the data. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initEngine } from '@latentkit/core';
import { type BowCorpus, bowBatches, loadNewsgroups } from '@latentkit/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { bowTrainData, createModel, evaluate, train } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.LATENTKIT_DATA_DIR || path.resolve(here, '../../../../shared/data');
const present = fs.existsSync(path.join(dataDir, '20news-nvdm', 'train.feat'));
if (!present) console.log(`skipping the 20 Newsgroups test: ${dataDir}/20news-nvdm not found (set LATENTKIT_DATA_DIR)`);

describe.skipIf(!present)('NVDM on 20 Newsgroups', () => {
  let trainSet: BowCorpus;
  let testSet: BowCorpus;
  beforeAll(async () => {
    // wasm: about 15 times faster than the cpu backend on these 2,000-wide dense layers.
    await initEngine({ backend: 'wasm' });
    ({ train: trainSet, test: testSet } = await loadNewsgroups(dataDir));
  });

  it('starts near the uniform perplexity of 2,000 words and improves within 30 steps', async () => {
    const model = createModel({ kind: 'bowVae', vocabSize: trainSet.vocabSize, bottleneck: { kind: 'vmf', latentDim: 25, kappa: 100 } }, { seed: 1 });
    const test = () => [...bowBatches(testSet, { batchSize: 500, shuffle: false })].slice(0, 1);
    const before = evaluate(model, test());
    // Glorot-initialised logits from a unit-norm code are ~0.03 apart: the word distribution is nearly uniform.
    expect(Math.exp((before.reconstruction * before.examples) / before.units)).toBeGreaterThan(1990);
    expect(Math.exp((before.reconstruction * before.examples) / before.units)).toBeLessThan(2100);
    await train(
      model,
      { seed: 1, maxSteps: 30, optimizer: { kind: 'adam', learningRate: 0.02 } },
      { train: bowTrainData(trainSet, { batchSize: 64, seed: 1 }), progress: false },
    );
    const after = evaluate(model, test());
    expect(after.reconstruction).toBeLessThan(before.reconstruction * 0.98);
  });
});
