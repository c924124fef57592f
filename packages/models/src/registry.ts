/**
 * The model registry: one `ModelKind` per kind, built-in or registered by user code. Configs resolve, models are
 * built and model folders load through it, so nothing outside a kind's own module switches over kinds.
 */
import { type BottleneckConfigInput, resolveBottleneckConfig } from '@latentkit/bottlenecks';
import { KindRegistry, LatentkitError, Rng, check, loadCheckpointFrom, saveCheckpointTo, tf, withWeightBudget } from '@latentkit/core';
import { parseConfig } from '@latentkit/core/schema';
import { conditionSchemaFor, conditionWidth } from './condition.js';
import type { ModelKind } from './kind.js';
import { BowVae, bowVae } from './models/bow-vae.js';
import { ImageConv, imageConv } from './models/image-conv.js';
import { imageLadder } from './models/image-ladder.js';
import { ImageMlp, imageMlp } from './models/image-mlp.js';
import { Tabular, tabular } from './models/tabular.js';
import { TextVae, textVae } from './models/text-vae.js';
import type { Networks } from './network.js';
import { MODEL_FORMAT, assignModelWeights, loadModelWeights, modelWeights, readModelConfig, readModelFolderConfig } from './save.js';
import type { CreateModelOptions, Model, ModelConfig, ModelConfigBase, ModelConfigInput } from './types.js';

const kinds = new KindRegistry<ModelKind>(
  'model kind',
  (k) => k.kind,
  (k) => k.cliName,
);

/** Adds a kind, so configs, `createModel`, `loadModel`, eval, the ONNX exporter and the CLI accept it. Taken names are refused. */
export function registerModel<C extends ModelConfigBase>(kind: ModelKind<C>): void {
  check(typeof kind?.kind === 'string' && /^[a-z][A-Za-z0-9]*$/.test(kind.kind), 'kind.kind', 'a camelCase name', kind?.kind);
  check(typeof kind.create === 'function' && typeof kind.schema?.parse === 'function', `model kind "${kind.kind}"`, 'a schema and a create function', kind);
  kinds.register(kind as unknown as ModelKind);
}

for (const kind of [imageMlp, imageConv, textVae, bowVae, tabular, imageLadder]) registerModel(kind as unknown as ModelKind);

/** Every registered kind, built-in ones first. */
export function modelKinds(): readonly ModelKind[] {
  return kinds.all();
}

/** The kind named `name` (a config kind, `imageMlp`), or INVALID_CONFIG naming the closest one. */
export function modelKind(name: unknown, field = 'kind'): ModelKind {
  return kinds.get(name, field);
}

/** The kind whose CLI name is `name` (`image-mlp`). */
export function modelKindByCliName(name: string, flag = '--model'): ModelKind {
  return kinds.byCliName(name, flag);
}

/**
 * Fills defaults and validates, naming a bad field under `where` (`model`); the bottleneck's `inputDim` defaults
 * to the encoder's output width. A resolved config resolves to itself, so saved configs load unchanged.
 */
export function resolveModelConfig(config: ModelConfigInput | ModelConfig | ModelConfigBase, where = '', networks?: Networks): ModelConfig {
  const prefix = (key: string) => (where ? `${where}.${key}` : key);
  if (config === null || typeof config !== 'object') {
    throw new LatentkitError('INVALID_CONFIG', `${where || '(config)'}: expected a model config object with a "kind", got ${JSON.stringify(config)}`);
  }
  const kind = modelKind((config as { kind?: unknown }).kind, prefix('kind'));
  // The condition is every kind's, so it is read here once and not by each kind's (strict) schema.
  const { condition: givenCondition, ...kindFields } = config as { condition?: unknown };
  const condition = givenCondition === undefined ? undefined : parseConfig(conditionSchemaFor(givenCondition), givenCondition, prefix('condition'));
  const { bottleneck: given, ...own } = parseConfig(kind.schema, kindFields, where) as ModelConfigBase;
  const bottleneck = given as unknown as Record<string, unknown>;
  return {
    ...own,
    ...(condition && { condition }),
    bottleneck: resolveBottleneckConfig(
      { ...bottleneck, inputDim: bottleneck.inputDim ?? kind.encoderWidth(own as never, networks) + conditionWidth({ condition }) } as BottleneckConfigInput,
      prefix('bottleneck'),
    ),
  } as ModelConfig;
}

export type AnyModel = TextVae | BowVae | ImageMlp | ImageConv | Tabular;

/** The model class each built-in config kind builds. */
export type ModelOf<C> = C extends { kind: 'textVae' }
  ? TextVae
  : C extends { kind: 'bowVae' }
    ? BowVae
    : C extends { kind: 'imageMlp' }
      ? ImageMlp
      : C extends { kind: 'imageConv' }
        ? ImageConv
        : C extends { kind: 'tabular' }
          ? Tabular
          : Model;

/** Builds a model with fresh weights drawn from `options.seed`: the same config and seed give the same weights. */
export function createModel<C extends ModelConfigInput | ModelConfig | ModelConfigBase>(input: C, options: CreateModelOptions = {}): ModelOf<C> {
  const config = resolveModelConfig(input, '', options.networks);
  const rng = Rng.fromSeed(`latentkit-model:${options.seed ?? 0}`);
  return withWeightBudget(() => modelKind(config.kind).create(config, rng, options.networks)) as unknown as ModelOf<C>;
}

/**
 * Loads a model folder written by `model.save(dir)`, or a training checkpoint, in this process or another. Name the
 * class when you know it (`loadModel<TextVae>(dir)`) to get its own methods; `within` refuses a folder that links
 * outside that folder. A model trained with custom networks
 * needs the same networks again (`options.networks`); a plugin's kind must be registered first.
 */
export function loadModel<M extends Model = Model>(dir: string, options: { readonly networks?: Networks; readonly within?: string } = {}): M {
  // The config first, so the manifest is checked against this model's own names and shapes before a byte is read.
  const model = createModel(readModelFolderConfig(dir, { within: options.within }), { networks: options.networks }) as unknown as Model;
  try {
    loadModelWeights(model, dir, { within: options.within });
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model as unknown as M;
}

/**
 * Loads a model through any tf.io handler or URL: `http://host/run/model/model.json` (what a browser or a static
 * server gives), `file://dir`, `tf.io.fromMemory(artifacts)`. The config comes from the model.json's
 * `userDefinedMetadata`, the weights are checked against the model's own before they are assigned.
 */
export async function loadModelFrom<M extends Model = Model>(source: string | tf.io.IOHandler, options: { readonly networks?: Networks } = {}): Promise<M> {
  const label = typeof source === 'string' ? source : 'the IO handler';
  const artifacts = await loadCheckpointFrom(source);
  let model: Model | undefined;
  try {
    model = createModel(readModelConfig(artifacts.config, label), { networks: options.networks }) as unknown as Model;
    assignModelWeights(model, artifacts.weights, label);
  } catch (e) {
    model?.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(artifacts.weights));
  }
  return model as unknown as M;
}

/** Saves a model through any tf.io handler or URL (`file://dir`, `tf.io.withSaveHandler(fn)`, an `http://` endpoint). */
export async function saveModelTo(model: Model, destination: string | tf.io.IOHandler): Promise<tf.io.SaveResult> {
  return saveCheckpointTo(destination, { config: { format: MODEL_FORMAT, model: model.config }, weights: modelWeights(model) });
}

export { BowVae, ImageConv, ImageMlp, Tabular, TextVae };
