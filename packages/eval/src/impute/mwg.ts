/**
 * Metropolis-within-Gibbs (Mattei & Frellsen 2018, "Leveraging the exact likelihood of deep latent variable
 * models"): the chain on (z, x_miss) whose stationary distribution is the model's own p(z, x_miss | x_obs), which
 * pseudo-Gibbs only approximates. Each iteration proposes z' ~ q(z | x) for the completed row x and accepts it with
 * probability min(1, p(x|z') p(z') q(z|x) / (p(x|z) p(z) q(z'|x))), then redraws x_miss ~ p(x_miss | z). It starts
 * from the masked row's inference code and its single-pass imputation. Point values and draws as in pseudo-Gibbs.
 */
import { tf } from '@latentkit/core';
import { requireDensity } from './density.js';
import { completed, decodeAt, fillMissing, meanOfCopies, read, repeatRows } from './rows.js';
import type { ImputableModel, MaskedRows, MethodOptions, MethodResult } from './types.js';

export function mwg(model: ImputableModel, rows: MaskedRows, options: MethodOptions): MethodResult {
  const density = requireDensity(model, 'the mwg method');
  const chains = Math.max(1, options.draws);
  const all = repeatRows(rows, chains);
  let z = tf.tidy(() => model.code(all));
  let params = decodeAt(model.decode, z);
  let x = fillMissing(all, model.points(model.expectations(params, all.size), all.size));
  const burnIn = Math.floor(options.iterations / 2);
  const expectations = new Float64Array(all.size * model.expectationWidth);
  let accepted = 0;
  try {
    for (let t = 0; t < options.iterations; t++) {
      const shown = completed(all, x);
      const [proposal, logRatio] = tf.tidy(() => {
        const q = density.posterior(shown);
        const prior = density.prior();
        const zp = q.sample(options.rng);
        const logWeight = (code: tf.Tensor2D) => model.logLikelihood(model.decode(code), shown).add(prior.logProb(code)).sub(q.logProb(code));
        return [zp, logWeight(zp).sub(logWeight(z))] as const;
      });
      const ratio = read(logRatio);
      const accept = Uint8Array.from(ratio, (r) => (Number.isNaN(r) ? 0 : Math.log(1 - options.rng.uniform()) < r ? 1 : 0));
      for (const a of accept) accepted += a;
      const next = tf.tidy(() => tf.where(tf.tensor1d(accept, 'bool').expandDims(1), proposal, z) as tf.Tensor2D);
      proposal.dispose();
      z.dispose();
      z = next;
      params = decodeAt(model.decode, z);
      if (t >= burnIn) {
        const e = model.expectations(params, all.size);
        for (let i = 0; i < e.length; i++) expectations[i] = (expectations[i] as number) + (e[i] as number);
      }
      x = fillMissing(all, model.sample(params, all.size, options.rng));
    }
  } finally {
    z.dispose();
  }
  const kept = options.iterations - burnIn;
  const mean = meanOfCopies(expectations, chains, rows.size * model.expectationWidth).map((v) => v / kept);
  return {
    points: model.points(mean, rows.size),
    ...(options.draws > 1 && { draws: x }),
    acceptance: accepted / (options.iterations * all.size),
  };
}
