import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, imageBatches, listImageFolder, loadFashionMnist, readImageFolder } from '../src/index.js';
import { tempFiles } from './helpers.js';

/** A solid-colour PNG of the given size; channels 1 (grey) or 3. */
function png(width: number, height: number, colour: readonly number[]): Promise<Buffer> {
  const channels = colour.length as 1 | 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let i = 0; i < raw.length; i++) raw[i] = colour[i % channels] as number;
  const image = sharp(raw, { raw: { width, height, channels } });
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}

async function folder(layout: Record<string, Buffer>): Promise<string> {
  const { dir } = tempFiles({});
  for (const [path, bytes] of Object.entries(layout)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}

describe('readImageFolder', () => {
  it('labels by sorted sub-folder name, sorts files, resizes any size to height × width, keeps RGB', async () => {
    const dir = await folder({
      'zebra/b.png': await png(10, 6, [0, 0, 255]),
      'zebra/a.png': await png(3, 3, [255, 0, 0]),
      'apple/x.png': await png(5, 8, [0, 255, 0]),
      'apple/deep/y.jpg': await sharp(await png(4, 4, [128, 128, 128]))
        .jpeg({ quality: 100 })
        .toBuffer(),
      'apple/notes.txt': Buffer.from('not an image'),
    });
    expect(listImageFolder(dir).files.map((f) => f.slice(dir.length + 1))).toEqual(['apple/deep/y.jpg', 'apple/x.png', 'zebra/a.png', 'zebra/b.png']);
    const set = await readImageFolder(dir, { size: [4, 6] });
    expect(set).toMatchObject({ count: 4, rows: 4, cols: 6, channels: 3, classes: ['apple', 'zebra'] });
    expect(Array.from(set.labels ?? [])).toEqual([0, 0, 1, 1]);
    const area = 4 * 6 * 3;
    const pixel = (i: number) => Array.from(set.pixels.subarray(i * area, i * area + 3), (v) => Math.round(v * 255));
    expect(pixel(1)).toEqual([0, 255, 0]);
    expect(pixel(2)).toEqual([255, 0, 0]);
    expect(pixel(3)).toEqual([0, 0, 255]);
    expect(pixel(0).every((v) => Math.abs(v - 128) <= 2)).toBe(true); // JPEG at quality 100
    const [batch] = imageBatches(set, { batchSize: 4, shuffle: false });
    expect(batch?.shape).toEqual([4, 4, 6, 3]);
  });

  it('reads a folder without classes as one unlabelled grey set, at the first image size by default', async () => {
    const dir = await folder({ 'a.png': await png(7, 5, [200]), 'b.png': await png(2, 2, [50]) });
    const set = await readImageFolder(dir);
    expect(set).toMatchObject({ count: 2, rows: 5, cols: 7, channels: 1 });
    expect(set.labels).toBeUndefined();
    expect(Math.round((set.pixels[5 * 7] as number) * 255)).toBe(50);
    const grey = await readImageFolder(await folder({ 'c/a.png': await png(2, 2, [10, 200, 30]) }), { channels: 1, size: 2 });
    expect(grey.channels).toBe(1);
    const [batch] = imageBatches(grey, { batchSize: 1, shuffle: false });
    expect(batch?.shape).toEqual([1, 2, 2]);
  });

  it('a truncated PNG, a corrupt one, an empty class and an empty folder are parse errors naming the file', async () => {
    const good = await png(16, 16, [1, 2, 3]);
    const dir = await folder({ 'c/ok.png': good, 'c/trunc.png': good.subarray(0, good.length - 20) });
    await expect(readImageFolder(dir, { size: 4 })).rejects.toMatchObject({
      code: 'PARSE_ERROR',
      message: expect.stringContaining(`${join(dir, 'c', 'trunc.png')}: expected a complete PNG or JPEG image, got an unreadable one`),
    });
    const bad = await folder({ 'c/bad.png': Buffer.from('\x89PNG\r\n\x1a\n garbage') });
    await expect(readImageFolder(bad, { size: 4 })).rejects.toMatchObject({ code: 'PARSE_ERROR' });
    const empty = await folder({ 'a/x.png': good, 'b/readme.txt': Buffer.from('') });
    await expect(readImageFolder(empty)).rejects.toThrow(/expected PNG\/JPEG images in the class folder "b", got none/);
    await expect(readImageFolder(tempFiles({}).dir)).rejects.toThrow(/got an empty folder/);
  });
});

describe.skipIf(!existsSync(FASHION_MNIST_DIR))('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  it('has 60,000 + 10,000 28×28 images with labels 0–9 and class names', async () => {
    const [train, test] = await Promise.all([loadFashionMnist('train'), loadFashionMnist('test')]);
    expect([train.count, test.count, train.rows, train.cols]).toEqual([60_000, 10_000, 28, 28]);
    expect(new Set(test.labels).size).toBe(10);
    expect(train.classes?.[9]).toBe('Ankle boot');
  });
});
if (!existsSync(FASHION_MNIST_DIR)) console.warn(`skipping the Fashion-MNIST test: ${FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist)`);

describe('loadFashionMnist without the package', () => {
  it('says what to install', async () => {
    await expect(loadFashionMnist('test', '/nonexistent/fashion')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('apt-get install dataset-fashion-mnist'),
    });
  });
});

describe('inspectFile on folders, IDX and text', () => {
  it('counts images per class without decoding them, and lines of a text file', async () => {
    const { formatInspection, inspectFile } = await import('../src/index.js');
    const dir = await folder({ 'b/1.png': await png(2, 2, [1]), 'a/1.png': await png(2, 2, [1]), 'a/2.png': await png(2, 2, [1]) });
    const i = await inspectFile(dir);
    expect([i.format, i.rowCount]).toEqual(['image-folder', 3]);
    expect(formatInspection(i)).toBe(`${dir}: image-folder, 3 images\n  class 0 "a": 2 images\n  class 1 "b": 1 images`);
    const files = tempFiles({ 'a.txt': 'x y z\n\nx\n' });
    const t = await inspectFile(files['a.txt']);
    expect([t.rowCount, t.notes]).toEqual([2, ['4 tokens, 3 distinct']]);
  });
});
