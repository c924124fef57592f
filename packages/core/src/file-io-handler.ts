/**
 * A `file://` IO handler for tf.io over Node's fs, the one tfjs-node would provide (tfjs-node cannot be a dependency:
 * its install downloads libtensorflow). It writes and reads TensorFlow.js's own layout: `model.json` (topology if any,
 * `weightsManifest`, `userDefinedMetadata`) beside the weight files it names (`weights.bin`), so tf.io in a browser
 * (`http://`), tfjs-node and any other tfjs tool read the same folder. Saving replaces the folder atomically.
 *
 * Importing this module registers it: `tf.io.getSaveHandlers('file:///path/to/dir')` and `getLoadHandlers` find it.
 * As in tfjs-node, the URL's path is the folder (for loads, the path of its model.json is accepted too).
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeDirAtomic, writeFileAtomic } from './atomic.js';
import { LatentkitError } from './errors.js';
import { tf } from './tf.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const FILE_SCHEME = 'file://';

/** The JSON tf.io writes as model.json (its `ModelJSON`, with the weights manifest always present). */
export interface ModelJsonFile {
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly modelTopology?: unknown;
  readonly weightsManifest: tf.io.WeightsManifestConfig;
  readonly userDefinedMetadata?: Record<string, unknown>;
}

/** Every weight buffer of an artifacts object as one ArrayBuffer (tfjs 4 may hand over a list of them). */
export function joinWeightData(data: tf.io.WeightData | undefined): ArrayBuffer {
  return data === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(data);
}

/** The model.json document for `artifacts`, its weights in one file `weights.bin`. */
export function modelJsonFor(artifacts: tf.io.ModelArtifacts): ModelJsonFile {
  return {
    ...(artifacts.format !== undefined && { format: artifacts.format }),
    ...(artifacts.generatedBy !== undefined && { generatedBy: artifacts.generatedBy }),
    ...(artifacts.convertedBy !== undefined && { convertedBy: artifacts.convertedBy }),
    ...(artifacts.modelTopology !== undefined && { modelTopology: artifacts.modelTopology }),
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.userDefinedMetadata !== undefined && { userDefinedMetadata: artifacts.userDefinedMetadata }),
  };
}

function parseError(file: string, message: string): LatentkitError {
  return new LatentkitError('CHECKPOINT_ERROR', `${file}: ${message}`, { file });
}

/** Reads and checks a model.json (an object with a `weightsManifest` list of `{paths, weights}` groups). */
export function parseModelJson(file: string, text: string): ModelJsonFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw parseError(file, `not valid JSON (${(e as Error).message})`);
  }
  const manifest = (doc as { weightsManifest?: unknown } | null)?.weightsManifest;
  const groupOk = (g: unknown) =>
    g !== null &&
    typeof g === 'object' &&
    Array.isArray((g as { paths?: unknown }).paths) &&
    (g as { paths: unknown[] }).paths.every((p) => typeof p === 'string') &&
    Array.isArray((g as { weights?: unknown }).weights);
  if (!Array.isArray(manifest) || !manifest.every(groupOk)) {
    throw parseError(file, `"weightsManifest" must be a list of {"paths": [...], "weights": [...]} groups, got ${JSON.stringify(manifest)?.slice(0, 80)}`);
  }
  return doc as ModelJsonFile;
}

/**
 * The weight files a manifest names, in order, as paths inside `dir`; a path that leaves the folder (`../x`, `/etc/x`)
 * is refused before anything is read.
 */
export function manifestFiles(dir: string, manifestFile: string, manifest: tf.io.WeightsManifestConfig): string[] {
  return manifest.flatMap((group) =>
    group.paths.map((p) => {
      const full = path.resolve(dir, p);
      const rel = path.relative(path.resolve(dir), full);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw parseError(manifestFile, `weights path "${p}" is outside the folder; refusing it`);
      return full;
    }),
  );
}

function readFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw new LatentkitError('FILE_NOT_FOUND', `${file} does not exist`, { file });
  }
}

/** A tf.io handler that saves to and loads from the folder `dir`. */
export class FileSystemIoHandler implements tf.io.IOHandler {
  constructor(readonly dir: string) {}

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const weights = Buffer.from(joinWeightData(artifacts.weightData));
    const json = `${JSON.stringify(modelJsonFor(artifacts), null, 2)}\n`;
    writeDirAtomic(this.dir, (tmp) => {
      writeFileAtomic(path.join(tmp, WEIGHTS_BIN), weights);
      writeFileAtomic(path.join(tmp, MODEL_JSON), json);
    });
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const file = path.join(this.dir, MODEL_JSON);
    const doc = parseModelJson(file, readFile(file).toString('utf8'));
    const weightSpecs = doc.weightsManifest.flatMap((g) => g.weights);
    const weightData = Buffer.concat(manifestFiles(this.dir, file, doc.weightsManifest).map(readFile));
    return {
      ...(doc.format !== undefined && { format: doc.format }),
      ...(doc.generatedBy !== undefined && { generatedBy: doc.generatedBy }),
      ...(doc.convertedBy !== undefined && { convertedBy: doc.convertedBy }),
      ...(doc.modelTopology !== undefined && { modelTopology: doc.modelTopology as tf.io.ModelArtifacts['modelTopology'] }),
      ...(doc.userDefinedMetadata !== undefined && { userDefinedMetadata: doc.userDefinedMetadata as Record<string, object> }),
      weightSpecs,
      weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer,
    };
  }
}

/** The folder a `file://` URL names (a trailing `/model.json` is the folder's model file). */
export function folderOfFileUrl(url: string): string {
  const p = decodeURIComponent(url.slice(FILE_SCHEME.length));
  return path.basename(p) === MODEL_JSON ? path.dirname(p) : p;
}

function fileRouter(url: string | string[]): FileSystemIoHandler | null {
  return typeof url === 'string' && url.startsWith(FILE_SCHEME) ? new FileSystemIoHandler(folderOfFileUrl(url)) : null;
}

// Once per process, however many copies of this module load: tf.io's router registry is global.
const REGISTERED = Symbol.for('latentkit.fileIoRouter');
const g = globalThis as { [REGISTERED]?: boolean };
if (!g[REGISTERED]) {
  g[REGISTERED] = true;
  // tf.io's IORouter type says a handler is always returned; at run time null means "not my scheme".
  const router = fileRouter as unknown as Parameters<typeof tf.io.registerSaveRouter>[0];
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
}
