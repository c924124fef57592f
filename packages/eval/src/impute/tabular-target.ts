/**
 * The tabular model as an `ImputableModel`: its encoder reads the missing-cell mask itself, log p(x_obs | z) is the
 * model's own `tabularNll` (missing cells add nothing), and the per-cell predictive distribution comes from
 * `tabularExpectations` / `tabularPoints` / `sampleTabularCells` next to it. Values are the model's units:
 * standardised numbers, category slots, 0/1.
 */
import { hasDensity } from '@latentkit/bottlenecks';
import { tf } from '@latentkit/core';
import { type Tabular, sampleTabularCells, tabularExpectationLayout, tabularExpectations, tabularNll, tabularPoints } from '@latentkit/models';
import type { ImputableModel } from './types.js';

const INFER = { mode: 'infer' } as const;

export function tabularImputable(model: Tabular): ImputableModel {
  const { columns } = model.config;
  const { bottleneck } = model;
  return {
    width: columns.length,
    expectationWidth: tabularExpectationLayout(columns).width,
    numeric: columns.map((c) => c.type === 'numeric'),
    code: (rows) => model.encode(rows, INFER).code,
    ...(hasDensity(bottleneck) && {
      density: { posterior: (rows) => bottleneck.posterior(model.features(rows, INFER)), prior: () => bottleneck.prior() },
    }),
    decode: (z) => model.decode(z, undefined, INFER),
    logLikelihood: (params, rows) => tf.neg(tabularNll(columns, params, rows)),
    expectations: (params, size) => tabularExpectations(columns, params, size),
    points: (expectations, size) => tabularPoints(columns, expectations, size),
    sample: (params, size, rng) => sampleTabularCells(columns, params, size, rng),
  };
}
