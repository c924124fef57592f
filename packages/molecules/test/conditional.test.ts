/** The conditional VAE's one condition reaches the SMILES model too: it builds on the text model, which reads it. */
import { initEngine, tf } from '@latentkit/core';
import { createModel } from '@latentkit/models';
import { beforeAll, describe, expect, it } from 'vitest';
// Importing the package registers the smilesVae kind.
import type { SmilesVae } from '../src/index.js';
import '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('conditional smilesVae', () => {
  it('widens the bottleneck input and the decoder reads the class', () => {
    const tokens = ['<pad>', '<unk>', '<bos>', '<eos>', 'C', 'O', 'N'];
    const model = createModel({
      kind: 'smilesVae',
      vocabSize: tokens.length,
      tokens,
      embeddingDim: 4,
      hiddenDim: 8,
      condition: { classes: 2 },
      bottleneck: { kind: 'gaussian', latentDim: 3 },
    } as never) as unknown as SmilesVae;
    try {
      expect(model.bottleneck.inputDim).toBe(8 + 2);
      const batch = { size: 2, steps: 2, inputs: Int32Array.from([2, 4, 2, 5]), targets: Int32Array.from([4, 3, 5, 3]), mask: Float32Array.from([1, 1, 1, 1]) };
      const nll = (labels: number[]) => tf.tidy(() => Array.from(model.reconstruction({ ...batch, labels }, tf.zeros([2, 3]) as tf.Tensor2D).nll.dataSync()));
      const [a, b] = [nll([0, 0]), nll([1, 1])];
      for (let i = 0; i < 2; i++) expect(Math.abs((a[i] as number) - (b[i] as number))).toBeGreaterThan(1e-6);
    } finally {
      model.dispose();
    }
  });
});
