/**
 * Adapts a latentkit model (the `Model` contract of @latentkit/models) to `EvaluableModel`: codes are the
 * bottleneck's deterministic `latent`; models whose bottleneck has a density (Gaussian, vMF, Power Spherical) also
 * give likelihood pieces, with log p(x|z) from the model's own `reconstruction`.
 */
import { hasDensity } from '@latentkit/bottlenecks';
import { tf } from '@latentkit/core';
import type { BatchOf, Model, ModelConfigBase } from '@latentkit/models';
import type { EvaluableModel } from './report.js';

const INFER = { mode: 'infer' } as const;

export function fromModel<C extends ModelConfigBase>(model: Model<C>): EvaluableModel<BatchOf[C['kind']]> {
  const { bottleneck } = model;
  return {
    description: { kind: model.config.kind, bottleneck: bottleneck.config.kind, codeDim: bottleneck.codeDim },
    encode: (batch) => tf.tidy(() => model.encode(batch, INFER).latent),
    reconstruction: (batch) => {
      const out = model.loss(batch, INFER);
      return { nll: out.reconstruction, units: out.units };
    },
    likelihood: hasDensity(bottleneck)
      ? (batch) => {
          return {
            pieces: {
              posterior: bottleneck.posterior(model.features(batch, INFER)),
              prior: bottleneck.prior(),
              logLikelihood: (z) => tf.tidy(() => tf.neg(model.reconstruction(batch, z, INFER).nll)),
            },
            units: model.units(batch),
          };
        }
      : undefined,
    ...(model.stochasticLayers && { stochasticLayers: model.stochasticLayers.bind(model) }),
  };
}
