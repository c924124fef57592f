import { describe, expect, it } from 'vitest';
import { initEngine } from '../src/index.js';
import { formatSelfTestReport, runSelfTest, tf } from '../src/layers.js';

describe('runSelfTest', () => {
  it('trains the LSTM language model and the conv autoencoder on wasm with no missing kernel', async () => {
    const report = await runSelfTest({ backend: 'wasm', steps: 4, vocabSize: 200, lstmUnits: 32, sequenceLength: 10, batchSize: 8 });
    expect(report.backend).toBe('wasm');
    expect(report.threads).toBeGreaterThanOrEqual(1);
    expect(report.models.map((m) => m.name)).toEqual(['embedding → LSTM → dense language model', 'conv2d → conv2dTranspose autoencoder']);
    for (const m of report.models) {
      expect(m.problems).toEqual([]);
      expect(m.missingKernels).toEqual([]);
      expect(m.leakedTensors).toBe(0);
      expect(m.losses).toHaveLength(4);
      expect(m.losses.at(-1)!).toBeLessThan(m.losses[0]!);
      expect(m.msPerStep).toBeGreaterThan(0);
    }
    // Cross-entropy of an untrained model over 200 tokens starts near ln 200.
    expect(report.models[0]!.losses[0]!).toBeCloseTo(Math.log(200), 0);
    expect(report.ok).toBe(true);
    expect(formatSelfTestReport(report)).toMatch(/^backend wasm .*\n(ok {3}.*\n){2}self-test passed$/);
  });

  it('is reproducible from its seed', async () => {
    const small = { backend: 'wasm' as const, steps: 2, vocabSize: 50, lstmUnits: 8, sequenceLength: 5, batchSize: 4, seed: 3 };
    const a = await runSelfTest(small);
    const b = await runSelfTest(small);
    expect(b.models.map((m) => m.losses)).toEqual(a.models.map((m) => m.losses));
  });

  it('reports a missing kernel instead of throwing', async () => {
    await initEngine({ backend: 'wasm' }); // registers the patches, so removing one now sticks
    const kernel = tf.getKernel('UnsortedSegmentSum', 'wasm');
    tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
    try {
      const report = await runSelfTest({ backend: 'wasm', steps: 2, vocabSize: 50, lstmUnits: 8, sequenceLength: 5, batchSize: 4 });
      expect(report.ok).toBe(false);
      expect(report.models[0]!.missingKernels).toEqual(['UnsortedSegmentSum']);
      // (tfjs leaks the tensors its tape saved when a backward pass throws; the report says so too.)
      expect(report.models[0]!.problems[0]).toBe('kernel UnsortedSegmentSum is missing on wasm');
      expect(report.models[1]!.ok).toBe(true);
    } finally {
      tf.registerKernel(kernel);
    }
  });

  it('rejects too few steps by name', async () => {
    await expect(runSelfTest({ steps: 1 })).rejects.toThrow(/argument "steps" must be an integer of at least 2/);
  });
});
