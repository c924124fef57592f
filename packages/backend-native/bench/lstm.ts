/**
 * `pnpm --filter @latentkit/backend-native bench:lstm [-- --rounds=N]`: one forward and backward pass of an LSTM
 * on the native backend three ways, alternating in rounds, medians in ms: `tf.layers.lstm` differentiated by tfjs
 * through its step loop (what the text models ran before), core's `lstmSequence` with its tf-ops cell (the compiled
 * cell kernels unregistered for the round), and `lstmSequence` with the compiled cell. Shapes: the LSTM-VAE
 * workload's decoder and PTB's (Xu & Durrett's) decoder. Writes `bench-results/lstm.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LSTM_CELL, LSTM_CELL_GRAD, initEngine, lstmSequence } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';

const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 5);
const STEPS_PER_ROUND = 3;
await initEngine({ backend: 'native' });
const NATIVE_BACKEND = tf.getBackend();
const compiled = [LSTM_CELL, LSTM_CELL_GRAD].map((name) => tf.getKernel(name, NATIVE_BACKEND));

const SHAPES = [
  { name: 'LSTM-VAE decoder: batch 32, 35 steps, input 256, 512 units, sigmoid gates', batch: 32, time: 35, input: 256, units: 512, gate: 'sigmoid' },
  {
    name: 'PTB decoder (Xu & Durrett): batch 32, 28 steps, input 150, 400 units, hard-sigmoid gates',
    batch: 32,
    time: 28,
    input: 150,
    units: 400,
    gate: 'hardSigmoid',
  },
] as const;

type Way = 'tf.layers.lstm' | 'lstmSequence, tf-ops cell' | 'lstmSequence, compiled cell';
const WAYS: Way[] = ['tf.layers.lstm', 'lstmSequence, tf-ops cell', 'lstmSequence, compiled cell'];

function withCompiledCell(on: boolean): void {
  for (const config of compiled) {
    if (!config) continue;
    const registered = tf.getKernel(config.kernelName, NATIVE_BACKEND) !== undefined;
    if (on && !registered) tf.registerKernel(config);
    if (!on && registered) tf.unregisterKernel(config.kernelName, NATIVE_BACKEND);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const results: { shape: string; way: Way; ms: number[] }[] = [];
for (const shape of SHAPES) {
  const { batch, time, input, units, gate } = shape;
  const layer = tf.layers.lstm({ units, returnSequences: true, returnState: true, recurrentActivation: gate });
  layer.apply(tf.zeros([1, time, input]));
  const [kernel, recurrent, bias] = layer.trainableWeights.map((w) => w.read()) as [tf.Variable, tf.Variable, tf.Variable];
  const x = tf.randomUniform([batch, time, input], -1, 1, 'float32', 1);
  const h0 = tf.randomUniform([batch, units], -0.5, 0.5, 'float32', 2);
  const c0 = tf.zeros([batch, units]);
  const readOut = tf.randomUniform([batch, time, units], -1, 1, 'float32', 3);
  const loss: Record<Way, () => tf.Scalar> = {
    'tf.layers.lstm': () => {
      const [seq] = layer.apply(x, { initialState: [h0, c0] } as unknown as tf.serialization.ConfigDict) as tf.Tensor[];
      return tf.sum(seq!.mul(readOut));
    },
    'lstmSequence, tf-ops cell': () => {
      const out = lstmSequence(x as tf.Tensor3D, h0 as tf.Tensor2D, c0 as tf.Tensor2D, { kernel, recurrentKernel: recurrent, bias } as never, gate);
      return tf.sum(out.sequence.mul(readOut));
    },
    'lstmSequence, compiled cell': () => loss['lstmSequence, tf-ops cell'](),
  };
  const samples = new Map<Way, number[]>(WAYS.map((w) => [w, []]));
  for (let r = 0; r <= rounds; r++) {
    for (const way of WAYS) {
      if (way === 'lstmSequence, compiled cell' && !compiled.every(Boolean)) continue;
      withCompiledCell(way === 'lstmSequence, compiled cell');
      for (let s = 0; s < STEPS_PER_ROUND; s++) {
        const t0 = performance.now();
        const { value, grads } = tf.variableGrads(loss[way], [kernel, recurrent, bias]);
        // Every kernel of this backend is synchronous: done when variableGrads returns.
        const ms = performance.now() - t0;
        tf.dispose([value, ...Object.values(grads)]);
        if (r > 0) samples.get(way)!.push(ms); // round 0 warms every way up
      }
    }
  }
  withCompiledCell(true);
  console.log(`\n${shape.name}: forward + backward, median ms of ${rounds} × ${STEPS_PER_ROUND}`);
  const base = median(samples.get('tf.layers.lstm')!);
  for (const way of WAYS) {
    const ms = samples.get(way)!;
    if (ms.length === 0) {
      console.log(`${way.padEnd(30)} (no compiled addon)`);
      continue;
    }
    console.log(`${way.padEnd(30)} ${median(ms).toFixed(1).padStart(8)} ms   ${(median(ms) / base).toFixed(2)}× tf.layers.lstm`);
    results.push({ shape: shape.name, way, ms });
  }
}
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench-results/lstm.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), loadavg: os.loadavg(), rounds, stepsPerRound: STEPS_PER_ROUND, results }, null, 1)}\n`);
console.log(`\nwrote ${out}`);
