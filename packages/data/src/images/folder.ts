/**
 * A folder of PNG/JPEG images as an ImageSet, laid out as torchvision's ImageFolder expects: one sub-folder per
 * class, class names in sorted (code-point) order giving labels 0, 1, …, and each class's images in sorted path
 * order (sub-folders of a class included). A folder with images and no sub-folders is read as one unlabelled set.
 *
 * Images of any size are resized to one size with sharp (an optional peer dependency), and converted to grey or RGB.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LatentkitError, check, parseError } from '@latentkit/core/base';
import { allInOrder } from '../io.js';
import { loadOptional } from '../optional.js';
import type { ImageSet } from './image-set.js';

const IMAGE_EXTENSIONS = /\.(png|jpe?g)$/i;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface ImageFolderOptions {
  /** Output size: a side for square images, or [height, width]. Default: the size of the first image. */
  readonly size?: number | readonly [number, number];
  /** 1 (grey) or 3 (RGB). Default: 3 when any image has colour channels, else 1. */
  readonly channels?: 1 | 3;
  /** How a differently shaped image is fitted: `fill` stretches (as torchvision's Resize((h, w))), `cover` crops, `contain` pads with black. Default `fill`. */
  readonly fit?: 'fill' | 'cover' | 'contain';
}

function listDir(dir: string): { files: string[]; dirs: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir).sort(byCodePoint);
  } catch (e) {
    throw new LatentkitError('FILE_NOT_FOUND', `${dir}: cannot read the folder (${(e as Error).message})`, { file: dir }, { cause: e });
  }
  const files: string[] = [];
  const dirs: string[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) dirs.push(path);
    else if (IMAGE_EXTENSIONS.test(name)) files.push(path);
  }
  return { files, dirs };
}

function imagesUnder(dir: string): string[] {
  const { files, dirs } = listDir(dir);
  return [...files, ...dirs.flatMap(imagesUnder)].sort(byCodePoint);
}

/** The image files of a folder and their class labels, without decoding anything. */
export function listImageFolder(dir: string): { files: string[]; labels?: Int32Array; classes?: string[] } {
  const { files, dirs } = listDir(dir);
  if (dirs.length === 0) {
    if (files.length === 0) throw parseError(dir, undefined, 'PNG/JPEG images or one sub-folder of them per class', 'an empty folder');
    return { files };
  }
  const classes = dirs.map((d) => relative(dir, d));
  const all: string[] = [];
  const labels: number[] = [];
  dirs.forEach((d, label) => {
    const images = imagesUnder(d);
    if (images.length === 0) throw parseError(d, undefined, `PNG/JPEG images in the class folder "${classes[label]}"`, 'none');
    for (const f of images) {
      all.push(f);
      labels.push(label);
    }
  });
  return { files: all, labels: Int32Array.from(labels), classes };
}

/** Reads an image folder into an ImageSet of [count, height, width, channels] pixels in [0, 1]. */
export async function readImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageSet> {
  const sharp = (await loadOptional('sharp', 'read PNG/JPEG image folders', () => import('sharp'))).default;
  const { files, labels, classes } = listImageFolder(dir);
  const decodeError = (file: string, e: unknown) =>
    parseError(file, undefined, 'a complete PNG or JPEG image', `an unreadable one (sharp: ${(e as Error).message})`);
  const metadata = async (file: string) => {
    try {
      return await sharp(file).metadata();
    } catch (e) {
      throw decodeError(file, e);
    }
  };
  let height: number;
  let width: number;
  if (options.size === undefined) {
    const first = await metadata(files[0] as string);
    [height, width] = [first.height as number, first.width as number];
  } else [height, width] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
  check(Number.isInteger(height) && height > 0 && Number.isInteger(width) && width > 0, 'size', 'a positive integer or [height, width]', options.size);
  let channels = options.channels;
  if (channels === undefined) {
    channels = 1;
    for (const f of files) {
      const m = await metadata(f);
      if ((m.channels ?? 1) >= 3 && m.space !== 'b-w') {
        channels = 3;
        break;
      }
    }
  }
  check(channels === 1 || channels === 3, 'channels', '1 or 3', channels);
  const area = height * width * channels;
  const pixels = new Float32Array(files.length * area);
  const decode = async (file: string, i: number) => {
    let data: Buffer;
    let info: { channels: number; width: number; height: number };
    try {
      let image = sharp(file, { failOn: 'warning' })
        .removeAlpha()
        .resize(width, height, { fit: options.fit ?? 'fill' });
      image = channels === 1 ? image.greyscale() : image.toColourspace('srgb');
      ({ data, info } = await image.raw().toBuffer({ resolveWithObject: true }));
    } catch (e) {
      throw decodeError(file, e);
    }
    if (info.channels !== channels || info.width !== width || info.height !== height) {
      throw parseError(file, undefined, `${height}×${width}×${channels} pixels after conversion`, `${info.height}×${info.width}×${info.channels}`);
    }
    for (let k = 0; k < area; k++) pixels[i * area + k] = (data[k] as number) / 255;
  };
  // A few at a time: sharp decodes on its own threads, and all at once would hold every file in memory.
  for (let start = 0; start < files.length; start += 8) await allInOrder(files.slice(start, start + 8).map((f, k) => decode(f, start + k)));
  return {
    source: dir,
    count: files.length,
    rows: height,
    cols: width,
    channels,
    pixels,
    ...(labels && { labels }),
    ...(classes && { classes }),
  };
}
