/** A conditional model has no condition input in the export plan yet: export refuses it plainly, before any graph is built. */
import { LatentkitError, initEngine } from '@latentkit/core';
import { createModel } from '@latentkit/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('conditional models', () => {
  it('export throws UNSUPPORTED naming the condition', () => {
    const model = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [8], condition: { classes: 3 }, bottleneck: { kind: 'gaussian', latentDim: 2 } });
    try {
      let error: unknown;
      try {
        exportModel(model);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(LatentkitError);
      expect((error as LatentkitError).code).toBe('UNSUPPORTED');
      expect((error as Error).message).toMatch(/conditional \(on label \(3 classes\)\)/);
    } finally {
      model.dispose();
    }
  });
});
