/**
 * Spec → trials, a pure function of the spec: the grid's cartesian product (keys in the order written, the last
 * varying fastest), then `random.n` seeded draws from `random.space`, each applied over the base config. The same
 * spec gives the same trials with the same ids on every machine.
 */
import { Rng } from '@latentkit/core/base';
import { setKeyPath } from './key-path.js';
import type { SweepSpec } from './spec.js';

export type ParamValue = number | string | boolean | null;

export interface Trial {
  /** "t000", "t001", …: the trial's run folder name under the sweep's folder. */
  readonly id: string;
  readonly index: number;
  /** The varied keys and this trial's values. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The run config (`--config` shape) for this trial. */
  readonly config: Readonly<Record<string, unknown>>;
}

function gridPoints(grid: Record<string, readonly ParamValue[]>): Record<string, ParamValue>[] {
  let points: Record<string, ParamValue>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  }
  return points;
}

type Dimension = NonNullable<SweepSpec['random']>['space'][string];

function draw(dim: Dimension, rng: Rng): ParamValue {
  if ('values' in dim) return dim.values[Math.min(dim.values.length - 1, Math.floor(rng.uniform() * dim.values.length))] as ParamValue;
  const u = rng.uniform();
  const x = dim.log ? Math.exp(Math.log(dim.min) + u * (Math.log(dim.max) - Math.log(dim.min))) : dim.min + u * (dim.max - dim.min);
  return dim.int ? Math.min(Math.floor(dim.max), Math.max(Math.ceil(dim.min), Math.round(x))) : x;
}

function randomPoints(random: SweepSpec['random']): Record<string, ParamValue>[] {
  if (!random) return [];
  const rng = Rng.fromSeed(random.seed);
  const keys = Object.keys(random.space).sort();
  return Array.from({ length: random.n }, () => Object.fromEntries(keys.map((k) => [k, draw(random.space[k] as Dimension, rng)])));
}

export function expandTrials(spec: SweepSpec): Trial[] {
  const grid = spec.grid ? gridPoints(spec.grid) : [];
  const random = randomPoints(spec.random);
  // Random draws vary on top of each grid point; with only one of the two, it alone defines the trials.
  const points = grid.length && random.length ? grid.flatMap((g) => random.map((r) => ({ ...g, ...r }))) : grid.length ? grid : random.length ? random : [{}];
  const width = Math.max(3, String(points.length - 1).length);
  return points.map((params, index) => ({
    id: `t${String(index).padStart(width, '0')}`,
    index,
    params,
    config: Object.entries(params).reduce((doc, [key, value]) => setKeyPath(doc, key, value), spec.base as Record<string, unknown>),
  }));
}
