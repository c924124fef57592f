/**
 * Pseudo-Gibbs sampling (Rezende et al. 2014): start from the single-pass imputation, then repeat: encode the
 * completed row (every cell shown as observed), draw z ~ q(z | x), redraw the missing cells from p(x_miss | z). The
 * observed cells never move. The point value averages the predictive distributions of the second half of the
 * iterations (the first half is burn-in) over all chains; each of the `draws` chains gives its last state as one
 * multiple imputation. Without a density the chain uses the deterministic code (iterated reconstruction).
 */
import { tf } from '@latentkit/core';
import { completed, decodeAt, fillMissing, meanOfCopies, repeatRows } from './rows.js';
import { singlePassPoints } from './single.js';
import type { ImputableModel, MaskedRows, MethodOptions, MethodResult } from './types.js';

export function gibbs(model: ImputableModel, rows: MaskedRows, options: MethodOptions): MethodResult {
  const chains = Math.max(1, options.draws);
  const all = repeatRows(rows, chains);
  let x = fillMissing(all, repeatRows({ ...rows, values: singlePassPoints(model, rows) }, chains).values);
  const burnIn = Math.floor(options.iterations / 2);
  const expectations = new Float64Array(all.size * model.expectationWidth);
  for (let t = 0; t < options.iterations; t++) {
    const shown = completed(all, x);
    const z = tf.tidy(() => (model.density ? model.density.posterior(shown).sample(options.rng) : model.code(shown)));
    const params = decodeAt(model.decode, z);
    z.dispose();
    if (t >= burnIn) {
      const e = model.expectations(params, all.size);
      for (let i = 0; i < e.length; i++) expectations[i] = (expectations[i] as number) + (e[i] as number);
    }
    x = fillMissing(all, model.sample(params, all.size, options.rng));
  }
  const kept = options.iterations - burnIn;
  const mean = meanOfCopies(expectations, chains, rows.size * model.expectationWidth).map((v) => v / kept);
  return { points: model.points(mean, rows.size), ...(options.draws > 1 && { draws: x }) };
}
