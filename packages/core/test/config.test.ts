import { describe, expect, it } from 'vitest';
import { LatentkitError } from '../src/base.js';
import { closestKey, objectKeys, parseConfig, z } from '../src/schema.js';

const trainer = z
  .object({
    epochs: z.number().int().positive().default(5),
    optimizer: z
      .strictObject({ kind: z.enum(['adam', 'sgd']).default('adam'), learningRate: z.number().positive().default(1e-3) })
      .default({ kind: 'adam', learningRate: 1e-3 }),
  })
  .strict();
const run = z.strictObject({
  trainer: trainer.default({ epochs: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } }),
  batchSize: z.number().int().positive().default(32),
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LatentkitError);
    expect((e as LatentkitError).code).toBe('INVALID_CONFIG');
    return (e as Error).message;
  }
  throw new Error('expected an INVALID_CONFIG error');
}

describe('parseConfig', () => {
  it('fills defaults and returns the parsed config', () => {
    expect(parseConfig(run, {})).toEqual({ trainer: { epochs: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } }, batchSize: 32 });
    expect(parseConfig(run, { trainer: { epochs: 2 } }).trainer.epochs).toBe(2);
  });

  it('names an unknown key and the closest valid one, with the prefix', () => {
    expect(messageOf(() => parseConfig(run, { trainer: { epoch: 3 } }))).toBe('trainer.epoch: unknown key; did you mean trainer.epochs?');
    expect(messageOf(() => parseConfig(trainer, { optimizer: { kind: 'adam', learningrate: 1 } }, 'trainer'))).toBe(
      'trainer.optimizer.learningrate: unknown key; did you mean trainer.optimizer.learningRate?',
    );
  });

  it('lists the valid keys when nothing is close', () => {
    expect(messageOf(() => parseConfig(run, { zzzzzzzz: 1 }))).toBe('zzzzzzzz: unknown key; the keys here are trainer, batchSize');
  });

  it('says what was expected and what was given', () => {
    expect(messageOf(() => parseConfig(run, { batchSize: 0 }))).toBe('batchSize: expected a number > 0, got 0');
    expect(messageOf(() => parseConfig(run, { trainer: { optimizer: { learningRate: Number.NaN } } }))).toBe(
      'trainer.optimizer.learningRate: expected a finite number, got NaN',
    );
    expect(messageOf(() => parseConfig(run, { trainer: { optimizer: { kind: 'adm' } } }))).toBe(
      'trainer.optimizer.kind: expected one of "adam", "sgd", got "adm"',
    );
    expect(messageOf(() => parseConfig(run, { batchSize: '3' }))).toBe('batchSize: expected a finite number, got "3"');
  });

  it('reports every issue, the first one on the first line', () => {
    const message = messageOf(() => parseConfig(run, { batchSize: -1, trainer: { epochs: 1.5 } }));
    expect(message.split('\n')).toHaveLength(2);
    expect(message).toContain('trainer.epochs: expected an integer, got 1.5');
  });
});

describe('closestKey and objectKeys', () => {
  it('suggests only near misses', () => {
    expect(closestKey('epoch', ['epochs', 'seed'])).toBe('epochs');
    expect(closestKey('colour', ['epochs', 'seed'])).toBeUndefined();
  });

  it('sees through defaults and pipes', () => {
    expect(objectKeys(run.default({ trainer: { epochs: 1, optimizer: { kind: 'sgd', learningRate: 1 } }, batchSize: 1 }))).toEqual(['trainer', 'batchSize']);
    expect(objectKeys(trainer.transform((t) => t))).toEqual(['epochs', 'optimizer']);
  });
});
