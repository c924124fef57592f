/**
 * The condition of a conditional VAE (Sohn et al. 2015), one design for every model kind: a class label, one-hot,
 * appended to the encoder's features (before the bottleneck, and before `enc.proj` when there is one) and to the
 * code the decoder reads. A config says `condition: { classes: 10 }`; the labels come with each batch (`labels`,
 * as every @latentkit/data batch carries them), or as ready-made rows in `condition`.
 */
import { LatentkitError, tf } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';

export interface ConditionConfig {
  /** How many classes the label takes: the condition is its one-hot over `classes` slots. */
  readonly classes: number;
  /** Where the label comes from: `label` (the data's own labels) or the name of the table column that holds it. */
  readonly source: string;
  /** Each class's name (a table column's categories, an image folder's sub-folders), so `--condition "col=value"` can name one. */
  readonly names?: readonly string[];
}

export const conditionSchema = z
  .strictObject({
    classes: schemas.positiveInt().min(2, { error: 'at least 2 classes' }),
    source: z.string().min(1).default('label'),
    names: z.array(z.string()).optional(),
  })
  .refine((c) => c.names === undefined || c.names.length === c.classes, { path: ['names'], error: 'one name per class' });

/** A condition as a config gives it: `source` defaults to `label`. */
export type ConditionInput = z.input<typeof conditionSchema>;

/** What a batch may carry for a conditional model: its examples' integer labels, or the condition rows themselves. */
export interface ConditionFields {
  /** One integer label in [0, classes) per example. */
  readonly labels?: ArrayLike<number>;
  /** 1 where an example's label is missing (a table's label column): its condition is all zeros. */
  readonly labelMissing?: ArrayLike<number>;
  /** Ready-made condition rows, row-major [size, classes]; used in place of `labels` when given. */
  readonly condition?: Float32Array;
}

/** Width of the condition a config appends: 0 for an unconditioned model. */
export function conditionWidth(config: { readonly condition?: ConditionConfig }): number {
  return config.condition?.classes ?? 0;
}

/** One-hot rows [labels.length × classes] for integer labels; INVALID_ARGUMENT naming the first bad one. */
export function oneHotLabels(labels: ArrayLike<number>, classes: number, missing?: ArrayLike<number>): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    if (missing?.[i] === 1) continue;
    const label = labels[i] as number;
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      throw new LatentkitError('INVALID_ARGUMENT', `condition: label ${i} must be a class in [0, ${classes}), got ${label}`, { argument: 'labels' });
    }
    out[i * classes + label] = 1;
  }
  return out;
}

/** The condition of a batch as a tensor [size, classes]; INVALID_ARGUMENT when it carries neither labels nor rows. */
export function batchCondition(condition: ConditionConfig, batch: ConditionFields & { readonly size: number }): tf.Tensor2D {
  const { classes } = condition;
  if (batch.condition !== undefined) {
    if (batch.condition.length !== batch.size * classes) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `batch.condition must hold size × ${classes} classes = ${batch.size * classes} values, got ${batch.condition.length}`,
        {
          argument: 'batch.condition',
        },
      );
    }
    return tf.tensor2d(batch.condition, [batch.size, classes]);
  }
  if (batch.labels === undefined || batch.labels.length !== batch.size) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `this model is conditioned on ${condition.source} (${classes} classes): each batch needs batch.labels, one per example, got ${batch.labels === undefined ? 'none' : batch.labels.length}`,
      { argument: 'batch.labels' },
    );
  }
  return tf.tensor2d(oneHotLabels(batch.labels, classes, batch.labelMissing), [batch.size, classes]);
}

/** The class index a `--class` / `--condition` value names: a number in range, or one of `names`. */
export function classIndex(condition: ConditionConfig, value: string | number): number {
  const byName = typeof value === 'string' ? (condition.names?.indexOf(value) ?? -1) : -1;
  if (byName >= 0) return byName;
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0 && n < condition.classes) return n;
  const names = condition.names ? ` or one of ${condition.names.map((s) => JSON.stringify(s)).join(', ')}` : '';
  throw new LatentkitError(
    'INVALID_ARGUMENT',
    `condition ${condition.source}: expected a class in [0, ${condition.classes})${names}, got ${JSON.stringify(value)}`,
    {
      argument: '--class',
    },
  );
}
