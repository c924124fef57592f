/**
 * `--condition`: the condition config of a conditional VAE, read off the data's training labels (how many classes,
 * and their names when the data knows them), so nothing here knows a model kind.
 */
import { LatentkitError } from '@latentkit/core';
import type { LoadedData } from '@latentkit/data';
import type { ConditionConfig } from '@latentkit/models';

export function conditionFromData(source: string, data: LoadedData): ConditionConfig {
  let max = -1;
  let seen = 0;
  for (const { batch, labels } of data.labelled('train', 4096)) {
    if (!labels) break;
    const missing = (batch as { labelMissing?: ArrayLike<number> }).labelMissing;
    for (let i = 0; i < labels.length; i++) {
      if (missing?.[i] === 1) continue;
      const label = labels[i] as number;
      if (!(Number.isInteger(label) && label >= 0)) {
        throw new LatentkitError(
          'INVALID_ARGUMENT',
          `--condition ${source}: expected class labels (integers ≥ 0, or a categorical column), got ${label} in training example ${seen}; conditioning on a numeric column is not supported`,
          { argument: '--condition' },
        );
      }
      if (label > max) max = label;
      seen++;
    }
  }
  if (seen === 0) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `--condition ${source}: the training split of ${data.spec.name} has no labels to condition on${source === 'label' ? ' (tables: name the column, --condition <column>)' : ''}`,
      { argument: '--condition' },
    );
  }
  const names = data.labelNames;
  const classes = Math.max(max + 1, names?.length ?? 0, 2);
  return { classes, source, ...(names && names.length === classes && { names: [...names] }) };
}
