/**
 * A grid of grey-scale or RGB images as a PNG: reconstructions (originals and reconstructions side by side) and samples.
 */
import { PNG } from 'pngjs';
import { invalidArgument } from '@latentkit/core';

export interface ImageGridOptions {
  /** Images per row. */
  readonly columns: number;
  /** Each image pixel becomes a scale×scale block, so 28×28 digits are big enough to look at. */
  readonly scale?: number;
  /** Pixels of background between images. */
  readonly gap?: number;
  /** Values per pixel: 1 (grey, drawn dark on white) or 3 (RGB, as is). Default 1. */
  readonly channels?: number;
}

/**
 * `pixels` holds `count` images of height×width values in [0, 1], row-major, one after another.
 * Returns PNG file bytes.
 */
export function imageGridPng(pixels: ArrayLike<number>, count: number, height: number, width: number, options: ImageGridOptions): Buffer {
  const { columns, scale = 2, gap = 2, channels = 1 } = options;
  if (pixels.length !== count * height * width * channels) {
    throw invalidArgument(
      'pixels',
      `${count}×${height}×${width}${channels === 1 ? '' : `×${channels}`} = ${count * height * width * channels} values`,
      `${pixels.length} values`,
    );
  }
  if (!(Number.isInteger(columns) && columns > 0)) throw invalidArgument('columns', 'a positive integer', columns);
  const rows = Math.max(1, Math.ceil(count / columns));
  const cellW = width * scale + gap;
  const cellH = height * scale + gap;
  const png = new PNG({ width: columns * cellW + gap, height: rows * cellH + gap });
  png.data.fill(255);
  for (let n = 0; n < count; n++) {
    const x0 = gap + (n % columns) * cellW;
    const y0 = gap + Math.floor(n / columns) * cellH;
    for (let y = 0; y < height * scale; y++) {
      for (let x = 0; x < width * scale; x++) {
        const at = (n * height * width + Math.floor(y / scale) * width + Math.floor(x / scale)) * channels;
        const byte = (v: number | undefined) => Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(v) ? (v as number) : 0)));
        const i = ((y0 + y) * png.width + (x0 + x)) * 4;
        if (channels === 3) {
          for (let c = 0; c < 3; c++) png.data[i + c] = byte(pixels[at + c]);
        } else {
          // Digits are drawn dark on white, as on paper.
          const grey = 255 - byte(pixels[at]);
          png.data[i] = grey;
          png.data[i + 1] = grey;
          png.data[i + 2] = grey;
        }
        png.data[i + 3] = 255;
      }
    }
  }
  return PNG.sync.write(png);
}
