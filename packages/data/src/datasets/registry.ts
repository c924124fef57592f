/** The dataset registry: every name `--data` accepts, built-in or registered by user code. */
import { KindRegistry, LatentkitError, check } from '@latentkit/core/base';
import { parseConfig } from '@latentkit/core/schema';
import type { DatasetKind } from './kind.js';
import { type DataSpec, type DataSpecInput, type LoadedData, dataSpecSchema } from './loaded.js';
import { userFiles } from './files.js';
import { fashionMnist, mnist, mnistNpm, mnistTrainTest, newsgroups, ptb } from './named.js';

const kinds = new KindRegistry<DatasetKind>('dataset', (k) => k.name);

/** Adds a dataset name; a taken name is refused. */
export function registerDataset(kind: DatasetKind): void {
  check(typeof kind?.name === 'string' && kind.name.length > 0, 'kind.name', 'a non-empty name', kind?.name);
  check(typeof kind.load === 'function', `dataset "${kind.name}"`, 'a load function', kind.load);
  kinds.register(kind);
}

for (const kind of [mnistNpm, mnist, mnistTrainTest, ptb, newsgroups, fashionMnist, userFiles]) registerDataset(kind);

export function datasetKinds(): readonly DatasetKind[] {
  return kinds.all();
}

export function datasetKind(name: string, field = 'data.name'): DatasetKind {
  return kinds.get(name, field);
}

/** The kind that reads a user's file or folder: the most recently registered one that claims it. */
export function datasetKindForPath(path: string, format?: string): DatasetKind {
  const kind = [...kinds.all()].reverse().find((k) => k.claims?.(path, format));
  if (!kind) {
    const readers = kinds
      .all()
      .filter((k) => k.claims)
      .map((k) => k.name);
    throw new LatentkitError(
      'UNSUPPORTED',
      `${path}: no dataset kind reads this${format ? ` as ${format}` : ''} (kinds that read files: ${readers.join(', ') || 'none registered'}); give --format, or a --plugin that reads it`,
      { file: path },
    );
  }
  return kind;
}

/**
 * Validates a data spec (defaults filled), naming a bad field under `where`. A spec with a `path` and no `name`
 * goes to the kind that claims the path; the kind's `optionsSchema` validates `options`.
 */
export function resolveDataSpec(input: DataSpecInput, where = 'data'): DataSpec {
  const raw = input as { name?: string; path?: string; format?: string };
  const named = raw.name === undefined && raw.path !== undefined ? { ...input, name: datasetKindForPath(raw.path, raw.format).name } : input;
  const spec = parseConfig(dataSpecSchema, named, where);
  const kind = datasetKind(spec.name, `${where}.name`);
  if (kind.optionsSchema) return { ...spec, options: parseConfig(kind.optionsSchema, spec.options ?? {}, `${where}.options`) };
  if (spec.options !== undefined) {
    throw new LatentkitError('INVALID_CONFIG', `${where}.options: dataset "${spec.name}" takes no options, got ${JSON.stringify(spec.options)}`, {
      path: `${where}.options`,
    });
  }
  return spec;
}

/** Loads the dataset a spec names, with its seeded splits. */
export async function loadData(input: DataSpecInput): Promise<LoadedData> {
  const spec = resolveDataSpec(input);
  const loaded = await datasetKind(spec.name).load(spec);
  if (spec.normal && !loaded.normalLabels) {
    throw new LatentkitError(
      'UNSUPPORTED',
      `data.normal: dataset "${spec.name}" cannot pick normal records by label (tables with a label column and labelled images can)`,
      {
        path: 'data.normal',
      },
    );
  }
  return loaded;
}
