/**
 * `--condition`: the condition config of a conditional VAE, read off the data's training labels, so nothing here
 * knows a model kind. Class labels (an image set's, a categorical table column's) give a class condition (how many
 * classes, and their names when the data knows them); a numeric table column gives a numeric one, standardised with
 * the training split's mean and sd, which the config keeps so `sample --condition "col=1.5"` means what training saw.
 */
import { LatentkitError } from '@latentkit/core';
import type { LoadedData } from '@latentkit/data';
import type { ConditionConfig } from '@latentkit/models';

function noLabels(source: string, data: LoadedData): LatentkitError {
  return new LatentkitError(
    'INVALID_ARGUMENT',
    `--condition ${source}: the training split of ${data.spec.name} has no labels to condition on${source === 'label' ? ' (tables: name the column, --condition <column>)' : ''}`,
    { argument: '--condition' },
  );
}

/** The training split's labels that are not missing. */
function* trainingLabels(data: LoadedData): Generator<number> {
  for (const { batch, labels } of data.labelled('train', 4096)) {
    if (!labels) return;
    const missing = (batch as { labelMissing?: ArrayLike<number> }).labelMissing;
    for (let i = 0; i < labels.length; i++) if (missing?.[i] !== 1) yield labels[i] as number;
  }
}

/** Mean and sd (population) over the training split, in float64; a constant column cannot be a condition. */
function numericCondition(source: string, data: LoadedData): ConditionConfig {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of trainingLabels(data)) {
    if (!Number.isFinite(v)) {
      throw new LatentkitError('PARSE_ERROR', `--condition ${source}: training value ${n} of the column is ${v}, expected a finite number`, {
        argument: '--condition',
      });
    }
    // Welford: one pass, no cancellation on large offsets.
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  if (n === 0) throw noLabels(source, data);
  const sd = Math.sqrt(m2 / n);
  if (!(sd > 0)) {
    throw new LatentkitError('INVALID_ARGUMENT', `--condition ${source}: the column is constant (${mean}) in the training split; it cannot condition a model`, {
      argument: '--condition',
    });
  }
  return { type: 'numeric', source, mean, sd };
}

export function conditionFromData(source: string, data: LoadedData): ConditionConfig {
  if (data.labelColumn?.type === 'numeric') return numericCondition(source === 'label' ? data.labelColumn.name : source, data);
  let max = -1;
  let seen = 0;
  for (const label of trainingLabels(data)) {
    if (!(Number.isInteger(label) && label >= 0)) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `--condition ${source}: expected class labels (integers ≥ 0, or a categorical column), got ${label} in training example ${seen}`,
        { argument: '--condition' },
      );
    }
    if (label > max) max = label;
    seen++;
  }
  if (seen === 0) throw noLabels(source, data);
  const names = data.labelNames;
  const classes = Math.max(max + 1, names?.length ?? 0, 2);
  return { classes, source, ...(names && names.length === classes && { names: [...names] }) };
}
