/** A set of images (grey-level or colour, any height × width) with optional labels, and its batches. */
import { invalidArgument, parseError } from '@latentkit/core/base';
import { allInOrder } from '../io.js';
import { type BatchInfo, type BatchOptions, batchPlan, walkPlan } from '../order.js';
import { readIdxImages, readIdxLabels } from './idx.js';

export interface ImageSet {
  /** Where the images came from, for messages. */
  readonly source: string;
  readonly count: number;
  /** Height and width in pixels. */
  readonly rows: number;
  readonly cols: number;
  /** Channels per pixel (1 grey, 3 RGB); absent means 1, as in every IDX set. */
  readonly channels?: number;
  /** [count, rows, cols, channels] row-major (channels last, as tfjs's NHWC), values in [0, 1]. */
  readonly pixels: Float32Array;
  /** One label per image, when the set has them. */
  readonly labels?: Int32Array;
  /** Class name of each label (e.g. an image folder's sub-folder names), when known. */
  readonly classes?: readonly string[];
}

/** Values per image: rows × cols × channels. */
export function imageSize(set: Pick<ImageSet, 'rows' | 'cols' | 'channels'>): number {
  return set.rows * set.cols * (set.channels ?? 1);
}

/** Loads an IDX image file and, optionally, its IDX label file; their counts must agree. */
export async function loadIdxImageSet(imagesFile: string, labelsFile?: string): Promise<ImageSet> {
  const [images, labels] = await allInOrder([readIdxImages(imagesFile), labelsFile === undefined ? undefined : readIdxLabels(labelsFile)]);
  if (labels !== undefined && labels.length !== images.count) {
    throw parseError(labelsFile as string, undefined, `${images.count} labels, one per image in ${imagesFile}`, `${labels.length}`);
  }
  return { source: imagesFile, ...images, ...(labels === undefined ? {} : { labels }) };
}

export interface ImageBatch extends BatchInfo {
  readonly size: number;
  /** [size, rows, cols] (grey) or [size, rows, cols, channels] row-major, in [0, 1]. */
  readonly pixels: Float32Array;
  /** [size, rows, cols] for one channel, as before colour was supported; [size, rows, cols, channels] otherwise. */
  readonly shape: readonly [number, number, number] | readonly [number, number, number, number];
  readonly channels: number;
  readonly labels?: Int32Array;
}

/** Copies some images (and their labels) into one batch. */
export function collateImages(set: ImageSet, indices: Int32Array, info: BatchInfo): ImageBatch {
  const area = imageSize(set);
  const channels = set.channels ?? 1;
  const pixels = new Float32Array(indices.length * area);
  indices.forEach((i, row) => {
    if (!(i >= 0 && i < set.count)) throw invalidArgument('indices', `image indices in [0, ${set.count})`, i);
    pixels.set(set.pixels.subarray(i * area, (i + 1) * area), row * area);
  });
  const labels = set.labels;
  return {
    ...info,
    size: indices.length,
    pixels,
    shape: channels === 1 ? [indices.length, set.rows, set.cols] : [indices.length, set.rows, set.cols, channels],
    channels,
    ...(labels === undefined ? {} : { labels: indices.map((i) => labels[i] as number) }),
  };
}

/** Streams one epoch of image batches, from `options.offset` on. */
export function imageBatches(set: ImageSet, options: BatchOptions): Generator<ImageBatch, void, undefined> {
  const plan = batchPlan(set.count, options);
  return walkPlan(plan, options.epoch ?? 0, options.offset ?? 0, (indices, info) => collateImages(set, indices, info));
}
