import { describe, expect, it } from 'vitest';
import { DEFAULT_SPECIAL_TOKENS, resolveModelConfig, resolveTrainerConfig } from '../src/index.js';

describe('resolveModelConfig', () => {
  it('fills the Xu & Durrett PTB defaults and gives the bottleneck the LSTM width', () => {
    const c = resolveModelConfig({ kind: 'textVae', vocabSize: 10_000, bottleneck: { kind: 'vmf', latentDim: 50, kappa: 80 } });
    expect(c).toMatchObject({ embeddingDim: 100, hiddenDim: 400, dropout: 0.5, wordDropout: 0, specialTokens: DEFAULT_SPECIAL_TOKENS });
    expect(c.bottleneck).toMatchObject({ kind: 'vmf', inputDim: 400, latentDim: 50, kappa: 80 });
  });

  it('fills the NVDM and Wu & Flierl defaults', () => {
    const bow = resolveModelConfig({ kind: 'bowVae', vocabSize: 2000, bottleneck: { kind: 'gaussian', latentDim: 25 } });
    expect(bow).toMatchObject({ hiddenDims: [400], activation: 'tanh', bottleneck: { inputDim: 400 } });
    const mlp = resolveModelConfig({ kind: 'imageMlp', bottleneck: { kind: 'identity' } });
    expect(mlp).toMatchObject({ size: 28, hiddenDims: [500, 500, 2000], likelihood: 'bernoulli', bottleneck: { inputDim: 2000 } });
    const conv = resolveModelConfig({ kind: 'imageConv', likelihood: 'gaussian', bottleneck: { kind: 'vq', inputDim: 16, codebookSize: 32 } });
    expect(conv).toMatchObject({ filters: [32, 64], denseDim: 256, bottleneck: { inputDim: 16 } });
  });

  it('is idempotent, so a saved config loads unchanged', () => {
    const c = resolveModelConfig({ kind: 'bowVae', vocabSize: 50, bottleneck: { kind: 'gaussian', latentDim: 5 } });
    expect(resolveModelConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('names the bad field', () => {
    expect(() => resolveModelConfig({ kind: 'textVae', vocabSize: 0, bottleneck: { kind: 'identity' } } as never)).toThrow(/"vocabSize" must be a positive integer, got 0/);
    expect(() => resolveModelConfig({ kind: 'textVae', vocabSize: 10, dropout: 1, bottleneck: { kind: 'identity' } } as never)).toThrow(/"dropout" must be a number in \[0, 1\)/);
    expect(() => resolveModelConfig({ kind: 'textVae', vocabSize: 3, bottleneck: { kind: 'identity' } } as never)).toThrow(/specialTokens.eos/);
    expect(() => resolveModelConfig({ kind: 'imageConv', size: 30, bottleneck: { kind: 'identity' } } as never)).toThrow(/"size" must be a multiple of 4/);
    expect(() => resolveModelConfig({ kind: 'rnn' } as never)).toThrow(/"kind" must be one of "textVae"/);
    expect(() => resolveModelConfig({ kind: 'bowVae', vocabSize: 5 } as never)).toThrow(/"bottleneck" must be a bottleneck config/);
  });
});

describe('resolveTrainerConfig', () => {
  it('defaults to Adam 1e-3, one epoch, no clipping', () => {
    expect(resolveTrainerConfig({ seed: 1 })).toMatchObject({ optimizer: { kind: 'adam', learningRate: 1e-3 }, epochs: 1, clipNorm: null, plateau: null });
  });
  it('names the bad field', () => {
    expect(() => resolveTrainerConfig({ seed: 1, plateau: { factor: 1, minLearningRate: 0 } })).toThrow(/"plateau.factor" must be a number above 1/);
    expect(() => resolveTrainerConfig({ seed: 1, optimizer: { kind: 'rmsprop' } as never })).toThrow(/"optimizer.kind"/);
    expect(() => resolveTrainerConfig({ seed: 1, maxSteps: 0 })).toThrow(/"maxSteps" must be a positive integer or null/);
  });
});
