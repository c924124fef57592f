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

  it('names the bad field, what it expected and what it got, under the given prefix', () => {
    const message = (input: unknown, where = '') => {
      try {
        resolveModelConfig(input as never, where);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('INVALID_CONFIG');
        return (e as Error).message;
      }
      throw new Error('expected an INVALID_CONFIG error');
    };
    expect(message({ kind: 'textVae', vocabSize: 0, bottleneck: { kind: 'identity' } })).toBe('vocabSize: expected a number > 0, got 0');
    expect(message({ kind: 'textVae', vocabSize: 10, dropout: 1, bottleneck: { kind: 'identity' } }, 'model')).toBe(
      'model.dropout: expected a number < 1, got 1',
    );
    expect(message({ kind: 'textVae', vocabSize: 3, bottleneck: { kind: 'identity' } })).toMatch(/^specialTokens\.\w+: expected a token id in \[0, 3\)/);
    expect(message({ kind: 'imageConv', size: 30, bottleneck: { kind: 'identity' } })).toBe(
      'size: expected a multiple of 4 (two stride-2 convolutions), got 30',
    );
    expect(message({ kind: 'rnn' })).toBe('kind: expected one of "imageMlp", "imageConv", "textVae", "bowVae", "tabular", "imageLadder", got "rnn"');
    expect(message({ kind: 'imagemlp' })).toMatch(/did you mean "imageMlp"\?$/);
    expect(message({ kind: 'bowVae', vocabSize: 5 })).toBe('bottleneck: expected an object, got nothing');
    expect(message({ kind: 'bowVae', vocabSize: 5, hiddenDim: [3], bottleneck: { kind: 'identity' } }, 'model')).toBe(
      'model.hiddenDim: unknown key; did you mean model.hiddenDims?',
    );
    expect(message({ kind: 'bowVae', vocabSize: 5, bottleneck: { kind: 'vmf', latentDim: 3, kappa: -1 } }, 'model')).toBe(
      'model.bottleneck.kappa: expected a number > 0, got -1',
    );
  });
});

describe('resolveTrainerConfig', () => {
  it('defaults to Adam 1e-3, five epochs, clipping at norm 5 (the one place these defaults live)', () => {
    expect(resolveTrainerConfig({ seed: 1 })).toEqual({
      seed: 1,
      optimizer: { kind: 'adam', learningRate: 1e-3 },
      epochs: 5,
      maxSteps: null,
      clipNorm: 5,
      validateEvery: null,
      plateau: null,
      earlyStopping: null,
      restoreBest: false,
      checkpointEvery: null,
      checkpointSeconds: 300,
    });
  });
  it('names the bad field', () => {
    expect(() => resolveTrainerConfig({ seed: 1, plateau: { factor: 1, minLearningRate: 0 } })).toThrow('plateau.factor: expected a number > 1, got 1');
    expect(() => resolveTrainerConfig({ seed: 1, optimizer: { kind: 'rmsprop' } as never })).toThrow(/^optimizer\.kind: expected/);
    expect(() => resolveTrainerConfig({ seed: 1, maxSteps: 0 })).toThrow('maxSteps: expected a number > 0, got 0');
    expect(() => resolveTrainerConfig({ seed: 1, epoch: 3 } as never, 'trainer')).toThrow('trainer.epoch: unknown key; did you mean trainer.epochs?');
    expect(() => resolveTrainerConfig({ seed: 1, optimizer: { kind: 'adam', learningRate: Number.NaN } }, 'trainer')).toThrow(
      'trainer.optimizer.learningRate: expected a finite number, got NaN',
    );
  });
});
