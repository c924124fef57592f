import { Rng, initEngine, tf } from '@latentkit/core';
import { TextCorpus, Vocabulary, collateText } from '@latentkit/data';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type TextVae,
  beamDecode,
  createModel,
  fixedTrainData,
  greedyDecode,
  interpolate,
  interpolateCodes,
  reconstruct,
  sampleDecode,
  train,
} from '../src/index.js';

const SENTENCES = [
  ['the', 'cat', 'sat', 'on', 'the', 'mat'],
  ['a', 'dog', 'ran', 'home'],
];
const vocabulary = Vocabulary.fromSentences(SENTENCES);
const corpus = TextCorpus.encode({ file: 'memory', sentences: SENTENCES }, vocabulary);
const pair = collateText(corpus, Int32Array.from([0, 1]), { indices: Int32Array.from([0, 1]), position: { epoch: 0, offset: 1 }, batchesInEpoch: 1 });
const words = (ids: number[][]) => ids.map((row) => row.map((id) => vocabulary.token(id)));

let model: TextVae;

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  // Small enough to memorise two sentences in a few hundred steps.
  model = createModel(
    { kind: 'textVae', vocabSize: vocabulary.size, embeddingDim: 8, hiddenDim: 24, dropout: 0, bottleneck: { kind: 'gaussian', latentDim: 4, beta: 0.05 } },
    { seed: 1 },
  );
  await train(
    model,
    { seed: 1, maxSteps: 120, epochs: 120, optimizer: { kind: 'adam', learningRate: 0.03 } },
    { train: fixedTrainData([pair]), progress: false },
  );
});

describe('text decoding', () => {
  it('reconstructs memorised sentences through the latent code', () => {
    expect(words(reconstruct(model, pair))).toEqual(SENTENCES);
  });

  it('sampling is seeded, and a very low temperature reproduces greedy decoding', () => {
    const { code } = model.encode(pair);
    const greedy = greedyDecode(model, code);
    expect(sampleDecode(model, code, { rng: Rng.fromSeed(1), temperature: 1e-3 })).toEqual(greedy);
    const hot = (seed: number) => sampleDecode(model, code, { rng: Rng.fromSeed(seed), temperature: 5, maxLength: 12 });
    expect(hot(3)).toEqual(hot(3));
    const draws = new Set(Array.from({ length: 6 }, (_, s) => JSON.stringify(hot(s))));
    expect(draws.size).toBeGreaterThan(1);
    expect(hot(3).every((row) => row.length <= 12)).toBe(true);
  });

  it('beam search of width 1 is greedy decoding; a wider beam also recovers the memorised sentences', () => {
    const { code } = model.encode(pair);
    const noisy = code.add(tf.randomNormal(code.shape, 0, 0.5, 'float32', 4)) as tf.Tensor2D;
    expect(beamDecode(model, noisy, { beamWidth: 1, maxLength: 12 })).toEqual(greedyDecode(model, noisy, { maxLength: 12 }));
    expect(words(beamDecode(model, code, { beamWidth: 4 }))).toEqual(SENTENCES);
    expect(() => beamDecode(model, code, { beamWidth: 0 })).toThrow(/"beamWidth" must be a positive integer/);
  });

  it('interpolation starts and ends at the two reconstructions', () => {
    const path = words(interpolate(model, pair, { steps: 4 }));
    expect(path).toHaveLength(4);
    expect(path[0]).toEqual(SENTENCES[0]);
    expect(path[3]).toEqual(SENTENCES[1]);
  });

  it('interpolateCodes: linear midpoints, and slerp stays on the sphere', () => {
    const a = tf.tensor1d([1, 0]);
    const b = tf.tensor1d([0, 1]);
    expect(interpolateCodes(a, b, 3).arraySync()).toEqual([
      [1, 0],
      [0.5, 0.5],
      [0, 1],
    ]);
    const mid = interpolateCodes(a, b, 3, 'slerp').arraySync()[1] as number[];
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(mid[1]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(() => interpolateCodes(a, b, 1)).toThrow(/"steps" must be an integer of at least 2/);
    expect(() => interpolate(model, { ...pair, size: 1 }, {})).toThrow(/exactly 2 sentences/);
  });
});
