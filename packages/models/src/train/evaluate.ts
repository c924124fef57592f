/** Loss over a whole dataset, without gradients: what validation, early stopping and the benchmarks read. */
import { tf } from '@latentkit/core';
import type { Batch, ForwardContext, Model } from '../types.js';

export interface Evaluation {
  readonly examples: number;
  /** Tokens / words / pixels predicted. */
  readonly units: number;
  /** Mean over examples of −log p(x | code). */
  readonly reconstruction: number;
  /** Mean over examples of each bottleneck term (kl, commitment, …). */
  readonly terms: Readonly<Record<string, number>>;
  /** Mean over batches of the training objective (reconstruction mean + regularizer): what plateau and early stopping watch. */
  readonly loss: number;
  /** exp((Σ reconstruction + Σ kl) / units): the ELBO perplexity when the bottleneck has a KL term, else exp(NLL/unit). */
  readonly perplexity: number;
}

/**
 * Evaluates `model` on `batches`. Deterministic by default (`infer`: the code is the posterior mean); pass a train
 * context with `dropout: false` to sample codes as the ELBO does.
 */
export function evaluate<B extends Batch>(model: Model, batches: Iterable<B>, ctx: ForwardContext = { mode: 'infer' }): Evaluation {
  let examples = 0;
  let units = 0;
  let reconstruction = 0;
  let loss = 0;
  let count = 0;
  const terms: Record<string, number> = {};
  for (const batch of batches) {
    tf.tidy(() => {
      const out = (model as Model<never>).loss(batch as never, ctx);
      reconstruction += out.reconstruction.sum().dataSync()[0] as number;
      for (const [name, term] of Object.entries(out.terms)) terms[name] = (terms[name] ?? 0) + (term.sum().dataSync()[0] as number);
      loss += out.total.dataSync()[0] as number;
      examples += out.examples;
      units += out.units;
      count += 1;
    });
  }
  const kl = terms.kl ?? 0;
  return {
    examples,
    units,
    reconstruction: reconstruction / examples,
    terms: Object.fromEntries(Object.entries(terms).map(([k, v]) => [k, v / examples])),
    loss: loss / count,
    perplexity: Math.exp((reconstruction + kl) / units),
  };
}
