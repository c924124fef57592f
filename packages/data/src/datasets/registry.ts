/** The dataset registry: every name `--data` accepts, built-in or registered by user code. */
import { LatentkitError, check, closestKey, parseConfig } from '@latentkit/core/base';
import type { DatasetKind } from './kind.js';
import { type DataSpec, type DataSpecInput, type LoadedData, dataSpecSchema } from './loaded.js';
import { mnist, mnistNpm, newsgroups, ptb } from './named.js';

const kinds = new Map<string, DatasetKind>();

/** Adds a dataset name; a taken name is refused. */
export function registerDataset(kind: DatasetKind): void {
  check(typeof kind?.name === 'string' && kind.name.length > 0, 'kind.name', 'a non-empty name', kind?.name);
  check(typeof kind.load === 'function', `dataset "${kind.name}"`, 'a load function', kind.load);
  if (kinds.has(kind.name)) throw new LatentkitError('INVALID_ARGUMENT', `dataset "${kind.name}" is already registered`, { name: kind.name });
  kinds.set(kind.name, kind);
}

for (const kind of [mnistNpm, mnist, ptb, newsgroups]) registerDataset(kind);

export function datasetKinds(): readonly DatasetKind[] {
  return [...kinds.values()];
}

export function datasetKind(name: string, field = 'data.name'): DatasetKind {
  const kind = kinds.get(name);
  if (!kind) {
    const near = closestKey(name, [...kinds.keys()]);
    throw new LatentkitError(
      'INVALID_CONFIG',
      `${field}: expected one of ${[...kinds.keys()].map((n) => `"${n}"`).join(', ')}, got ${JSON.stringify(name)}${near ? `; did you mean "${near}"?` : ''}`,
      { path: field },
    );
  }
  return kind;
}

/** Validates a data spec (defaults filled), naming a bad field under `where`. */
export function resolveDataSpec(input: DataSpecInput, where = 'data'): DataSpec {
  const spec = parseConfig(dataSpecSchema, input, where);
  datasetKind(spec.name, `${where}.name`);
  return spec;
}

/** Loads the dataset a spec names, with its seeded splits. */
export async function loadData(input: DataSpecInput): Promise<LoadedData> {
  const spec = resolveDataSpec(input);
  return datasetKind(spec.name).load(spec);
}
