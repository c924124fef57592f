/**
 * The sweep spec (sweep.json): a base run config, the keys to vary (a grid, a seeded random search, or both), the
 * metric to rank on and its goal. Validated with the same `parseConfig` as every other config, so a typo gets a
 * "did you mean" and a bad value names its key.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { LatentkitError } from '@latentkit/core/base';
import { parseConfig, schemas, z } from '@latentkit/core/schema';
import { isConfigKey } from './key-path.js';

const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One dimension of a random search: a list to choose from, or a numeric range (log-uniform with `log`, integers with `int`). */
const dimensionSchema = z.union([
  z.strictObject({ values: z.array(scalar).min(1) }),
  z.strictObject({ min: z.number(), max: z.number(), log: z.boolean().default(false), int: z.boolean().default(false) }),
]);

/** How each trial is evaluated (the flags of `latentkit eval`); defaults are those of `eval`. */
const evalSchema = z.strictObject({
  importanceSamples: z.number().int().min(0).optional(),
  kmeansRestarts: schemas.positiveInt().optional(),
  probe: z.boolean().optional(),
  knn: z.boolean().optional(),
  kmeans: z.boolean().optional(),
});

export const sweepSpecSchema = z.strictObject({
  /** Names the sweep's folder and queue jobs; default "sweep". */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, "-" and "_" (at most 64)')
    .default('sweep'),
  /** A run config as `latentkit train --config` takes it: data, model, trainer, batchSize. */
  base: z.looseObject({}).default({}),
  grid: z.record(z.string(), z.array(scalar).min(1)).optional(),
  random: z
    .strictObject({
      n: schemas.positiveInt(),
      seed: z.number().int().default(1),
      space: z.record(z.string(), dimensionSchema),
    })
    .optional(),
  /** A key path of the trial's report.json, e.g. "clustering.accuracy" or "likelihood.elbo". */
  metric: z.string().min(1),
  goal: z.enum(['max', 'min']),
  eval: evalSchema.default({}),
  /** Extra attempts of a trial that failed (a crash, a lost worker); a config error is never retried. */
  retries: z.number().int().min(0).max(10).default(2),
});

export type SweepSpec = z.output<typeof sweepSpecSchema>;
export type SweepEvalOptions = SweepSpec['eval'];

export function parseSweepSpec(doc: unknown, where = 'sweep'): SweepSpec {
  const spec = parseConfig(sweepSpecSchema, doc);
  if ('plugins' in spec.base) {
    throw new LatentkitError(
      'INVALID_CONFIG',
      `${where}: base.plugins: not allowed in a sweep (workers run configs, never code); install plugins on the workers instead`,
    );
  }
  const keys = [...Object.keys(spec.grid ?? {}).map((k) => `grid.${k}`), ...Object.keys(spec.random?.space ?? {}).map((k) => `random.space.${k}`)];
  for (const key of keys) {
    const configKey = key.replace(/^(grid|random\.space)\./, '');
    if (!isConfigKey(configKey))
      throw new LatentkitError(
        'INVALID_CONFIG',
        `${where}: ${key}: expected a key of a run config (data.*, model.*, trainer.* or batchSize), got "${configKey}"`,
      );
  }
  if (spec.random) {
    for (const [key, dim] of Object.entries(spec.random.space)) {
      if ('min' in dim && !(dim.max > dim.min))
        throw new LatentkitError('INVALID_CONFIG', `${where}: random.space.${key}: expected max > min, got min ${dim.min}, max ${dim.max}`);
      if ('min' in dim && dim.log && !(dim.min > 0))
        throw new LatentkitError('INVALID_CONFIG', `${where}: random.space.${key}: a log range needs min > 0, got ${dim.min}`);
    }
  }
  return spec;
}

export function readSweepSpec(file: string): SweepSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: sweep file not found`, { file });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not JSON (${(e as Error).message}); expected {"base", "grid" or "random", "metric", "goal"}`, { file });
  }
  try {
    return parseSweepSpec(doc, file);
  } catch (e) {
    if (e instanceof LatentkitError && e.message.startsWith(file)) throw e;
    throw new LatentkitError('INVALID_CONFIG', `${file}: ${(e as Error).message}`, { file });
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The sweep's id: its name and a hash of the validated spec. Every machine computes the same id from the same
 * sweep.json, which is how `--status` and `--cancel` find the sweep's jobs without any other shared state.
 */
export function sweepId(spec: SweepSpec): string {
  return `${spec.name}-${createHash('sha256').update(canonical(spec)).digest('hex').slice(0, 10)}`;
}
