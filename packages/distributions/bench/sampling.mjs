// Samples per second of VonMisesFisher against PowerSpherical at batch 1024, d = 50, κ = 80, on the wasm and cpu
// backends, learned κ (a [b] tensor, as in training). Medians over repeats; the ratio is taken within one run.
//   pnpm --filter @latentkit/distributions bench      (env REPEATS=…, BACKENDS=wasm,cpu)
import { Rng, initEngine, tf } from '@latentkit/core';
import { PowerSpherical, VonMisesFisher } from '../dist/index.js';
import { samplePowerSphericalCosine } from '../dist/sampling/beta-cosine.js';
import { sampleVmfCosine } from '../dist/sampling/wood.js';

const BATCH = 1024;
const DIM = 50;
const KAPPA = 80;
const REPEATS = Number(process.env.REPEATS ?? 30);
const BACKENDS = (process.env.BACKENDS ?? 'wasm,cpu').split(',');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median wall time (ms) of each named task, the tasks interleaved within every repeat so that load from other
 * processes on a shared machine hits all of them alike. Each task returns a tensor, which is read back.
 */
function timeInterleaved(tasks) {
  const ms = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
  for (let i = 0; i < REPEATS + 2; i++) {
    for (const [name, run] of Object.entries(tasks)) {
      const t0 = performance.now();
      const out = run();
      out?.dataSync();
      if (i >= 2) ms[name].push(performance.now() - t0); // two warm-up rounds
      if (out) tf.dispose(out);
    }
  }
  return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)]));
}

const rng = Rng.fromSeed(0);
const results = [];
for (const backend of BACKENDS) {
  const info = await initEngine({ backend });
  const mu = tf.tidy(() => {
    const g = tf.randomNormal([BATCH, DIM], 0, 1, 'float32', 1);
    return g.div(tf.norm(g, 'euclidean', -1, true));
  });
  const kappa = tf.fill([BATCH], KAPPA);
  const families = { VonMisesFisher, PowerSpherical };
  const tasks = {};
  for (const [name, Family] of Object.entries(families)) {
    tasks[`${name} sample`] = () => tf.tidy(() => new Family(mu, kappa).sample(rng));
    // A training step's share: sample, then the gradient of a loss on the sample w.r.t. μ and κ.
    tasks[`${name} grad`] = () =>
      tf.tidy(() => {
        const [gMu, gKappa] = tf.grads((m, k) => new Family(m, k).sample(rng).square().sum())([mu, kappa]);
        return gMu.sum().add(gKappa.sum());
      });
  }
  // The float64 part alone (backend-independent): the cosine μ·z, and its κ-derivative as a backward pass needs it.
  const kappas = new Float64Array(BATCH).fill(KAPPA);
  tasks['VonMisesFisher cosine'] = () => void sampleVmfCosine(kappas, DIM, rng);
  tasks['PowerSpherical cosine'] = () => void samplePowerSphericalCosine(kappas, DIM, rng);
  tasks['VonMisesFisher cosine+derivative'] = () => void sampleVmfCosine(kappas, DIM, rng).cosDerivative();
  tasks['PowerSpherical cosine+derivative'] = () => void samplePowerSphericalCosine(kappas, DIM, rng).cosDerivative();
  const ms = timeInterleaved(tasks);
  for (const name of Object.keys(families)) {
    results.push({
      backend: info.tfjsBackend,
      threads: info.threads,
      name,
      sampleMs: ms[`${name} sample`],
      gradMs: ms[`${name} grad`],
      cosineMs: ms[`${name} cosine`],
      cosineDerivativeMs: ms[`${name} cosine+derivative`],
    });
  }
  tf.dispose([mu, kappa]);
}

console.log(`batch ${BATCH}, d = ${DIM}, κ = ${KAPPA}, learned κ, median of ${REPEATS} repeats (node ${process.version})`);
console.log('backend  threads  distribution     sample ms   samples/s   sample+grad ms   float64 cosine ms   +derivative ms');
for (const r of results) {
  console.log(
    `${r.backend.padEnd(8)} ${String(r.threads).padStart(7)}  ${r.name.padEnd(15)} ${r.sampleMs.toFixed(2).padStart(10)} ${Math.round(
      BATCH / (r.sampleMs / 1000),
    )
      .toLocaleString('en-US')
      .padStart(11)} ${r.gradMs.toFixed(2).padStart(16)} ${r.cosineMs.toFixed(2).padStart(19)} ${r.cosineDerivativeMs.toFixed(2).padStart(16)}`,
  );
}
for (const backend of new Set(results.map((r) => r.backend))) {
  const [v, p] = ['VonMisesFisher', 'PowerSpherical'].map((n) => results.find((r) => r.backend === backend && r.name === n));
  console.log(`${backend}: vMF / Power Spherical sample time ${(v.sampleMs / p.sampleMs).toFixed(2)}x, with gradient ${(v.gradMs / p.gradMs).toFixed(2)}x`);
}
