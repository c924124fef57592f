/**
 * The condition of a conditional VAE (Sohn et al. 2015), one design for every model kind: appended to the encoder's
 * features (before the bottleneck, and before `enc.proj` when there is one) and to the code the decoder reads. Two
 * sorts: a class label, one-hot (`condition: { classes: 10 }`), or a numeric value, standardised with the training
 * mean and sd the config keeps (`condition: { type: 'numeric', source: 'price', mean, sd }`), so a sample asked
 * for at price=1.5 sees what training saw at 1.5. Either way each example carries one number (`labels`, as every
 * @latentkit/data batch has them: the class index, or the column's raw value), or ready-made rows in `condition`.
 */
import { LatentkitError, tf } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';

/** A class label, fed one-hot. */
export interface ClassCondition {
  readonly type?: 'class';
  /** How many classes the label takes: the condition is its one-hot over `classes` slots. */
  readonly classes: number;
  /** Where the label comes from: `label` (the data's own labels) or the name of the table column that holds it. */
  readonly source: string;
  /** Each class's name (a table column's categories, an image folder's sub-folders), so `--condition "col=value"` can name one. */
  readonly names?: readonly string[];
}

/** A numeric value (a table's numeric label column), fed as (value − mean) / sd: one slot. */
export interface NumericCondition {
  readonly type: 'numeric';
  /** The table column that holds the value. */
  readonly source: string;
  /** The training split's mean and standard deviation of the column (its non-missing cells). */
  readonly mean: number;
  readonly sd: number;
}

export type ConditionConfig = ClassCondition | NumericCondition;

const classConditionSchema = z
  .strictObject({
    type: z.literal('class').optional(),
    classes: schemas.positiveInt().min(2, { error: 'at least 2 classes' }),
    source: z.string().min(1).default('label'),
    names: z.array(z.string()).optional(),
  })
  .refine((c) => c.names === undefined || c.names.length === c.classes, { path: ['names'], error: 'one name per class' });

const numericConditionSchema = z.strictObject({
  type: z.literal('numeric'),
  source: z.string().min(1),
  mean: z.number().refine(Number.isFinite, { error: 'a finite number' }),
  sd: z.number().positive().refine(Number.isFinite, { error: 'a finite number' }),
});

/** The schema of a condition as a config gives it: `type: 'numeric'` picks the numeric one, else a class label. */
export function conditionSchemaFor(input: unknown): typeof classConditionSchema | typeof numericConditionSchema {
  // Picked by `type` up front, so a bad field's error names that field (not "no member of the union matched").
  return (input as { type?: unknown } | null)?.type === 'numeric' ? numericConditionSchema : classConditionSchema;
}

/** Both sorts, for validating a whole config at once. */
export const conditionSchema = z.union([numericConditionSchema, classConditionSchema]);

/** A condition as a config gives it: a class label's `source` defaults to `label`. */
export type ConditionInput = z.input<typeof classConditionSchema> | z.input<typeof numericConditionSchema>;

export function isNumericCondition(condition: ConditionConfig): condition is NumericCondition {
  return condition.type === 'numeric';
}

/** What a batch may carry for a conditional model: one value per example, or the condition rows themselves. */
export interface ConditionFields {
  /** One value per example: an integer label in [0, classes), or a numeric condition's raw value. */
  readonly labels?: ArrayLike<number>;
  /** 1 where an example's label is missing (a table's label column): its condition is all zeros (a numeric one: the mean). */
  readonly labelMissing?: ArrayLike<number>;
  /** Ready-made condition rows, row-major [size, conditionWidth]; used in place of `labels` when given. */
  readonly condition?: Float32Array;
}

/** Width of the condition a config appends: 0 for an unconditioned model, 1 for a numeric condition. */
export function conditionWidth(config: { readonly condition?: ConditionConfig }): number {
  const condition = config.condition;
  if (!condition) return 0;
  return isNumericCondition(condition) ? 1 : condition.classes;
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

/** Standardised values [values.length] of a numeric condition; a missing one is the mean (0), a non-finite one refused. */
function standardised(condition: NumericCondition, values: ArrayLike<number>, missing?: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (missing?.[i] === 1) continue;
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new LatentkitError('INVALID_ARGUMENT', `condition ${condition.source}: value ${i} must be a finite number, got ${v}`, { argument: 'labels' });
    }
    out[i] = (v - condition.mean) / condition.sd;
  }
  return out;
}

/** The condition rows [values.length × conditionWidth] for one value per example (a class index, or a raw number). */
export function conditionRows(condition: ConditionConfig, values: ArrayLike<number>, missing?: ArrayLike<number>): Float32Array {
  return isNumericCondition(condition) ? standardised(condition, values, missing) : oneHotLabels(values, condition.classes, missing);
}

/** The condition of a batch as a tensor [size, width]; INVALID_ARGUMENT when it carries neither labels nor rows. */
export function batchCondition(condition: ConditionConfig, batch: ConditionFields & { readonly size: number }): tf.Tensor2D {
  const width = conditionWidth({ condition });
  if (batch.condition !== undefined) {
    if (batch.condition.length !== batch.size * width) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `batch.condition must hold size × ${width} condition slots = ${batch.size * width} values, got ${batch.condition.length}`,
        { argument: 'batch.condition' },
      );
    }
    return tf.tensor2d(batch.condition, [batch.size, width]);
  }
  if (batch.labels === undefined || batch.labels.length !== batch.size) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `this model is conditioned on ${describeCondition(condition)}: each batch needs batch.labels, one per example, got ${batch.labels === undefined ? 'none' : batch.labels.length}`,
      { argument: 'batch.labels' },
    );
  }
  return tf.tensor2d(conditionRows(condition, batch.labels, batch.labelMissing), [batch.size, width]);
}

/** `label (10 classes)` or `price (numeric, mean 3.2, sd 1.1)`: for messages and reports. */
export function describeCondition(condition: ConditionConfig): string {
  return isNumericCondition(condition)
    ? `${condition.source} (numeric, mean ${condition.mean.toPrecision(4)}, sd ${condition.sd.toPrecision(4)})`
    : `${condition.source} (${condition.classes} classes)`;
}

/** The class index a `--class` / `--condition` value names: a number in range, or one of `names`. */
export function classIndex(condition: ConditionConfig, value: string | number): number {
  if (isNumericCondition(condition)) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `condition ${condition.source} is numeric: it takes a value (--condition "${condition.source}=1.5"), not a class`,
      {
        argument: '--class',
      },
    );
  }
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

/** The per-example value a `--condition` value names: a class index (see `classIndex`), or a numeric condition's raw number. */
export function conditionValue(condition: ConditionConfig, value: string | number): number {
  if (!isNumericCondition(condition)) return classIndex(condition, value);
  const n = typeof value === 'number' ? value : String(value).trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) {
    throw new LatentkitError('INVALID_ARGUMENT', `--condition ${condition.source}: expected a finite number, got ${JSON.stringify(value)}`, {
      argument: '--condition',
      key: condition.source,
    });
  }
  return n;
}

/**
 * The values to condition `n` draws on when none is asked for: the classes in turn, or a numeric condition's
 * mean −2, −1, 0, +1, +2 training sd in turn (so an unasked sample still shows the condition's effect).
 */
export function defaultConditionValues(condition: ConditionConfig, n: number): number[] {
  if (!isNumericCondition(condition)) return Array.from({ length: n }, (_, i) => i % condition.classes);
  return Array.from({ length: n }, (_, i) => condition.mean + ((i % 5) - 2) * condition.sd);
}
