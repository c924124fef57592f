import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { latentScatterSvg, trainingCurvesSvg } from '../src/visual/charts.js';
import { reportHtml } from '../src/visual/html-report.js';
import { imageGridPng } from '../src/visual/image-grid.js';
import { projectTo2d } from '../src/visual/projection.js';

describe('imageGridPng', () => {
  it('lays images out on a grid, dark ink on white, at the given scale', () => {
    // Two 2×2 images: the first all ink (1), the second blank except its bottom-right pixel.
    const pixels = [1, 1, 1, 1, 0, 0, 0, 1];
    const png = PNG.sync.read(imageGridPng(pixels, 2, 2, 2, { columns: 2, scale: 3, gap: 1 }));
    expect([png.width, png.height]).toEqual([2 * (2 * 3 + 1) + 1, 2 * 3 + 2]);
    const grey = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    expect(grey(1, 1)).toBe(0); // first image, ink
    expect(grey(6, 6)).toBe(0);
    expect(grey(0, 0)).toBe(255); // gap
    expect(grey(8, 1)).toBe(255); // second image, blank top-left
    expect(grey(8 + 5, 6)).toBe(0); // second image, inked bottom-right block
  });

  it('names the argument when the pixel count does not match', () => {
    expect(() => imageGridPng([0, 1], 1, 28, 28, { columns: 1 })).toThrow(/argument "pixels" must be 1×28×28 = 784 values, got "2 values"/);
  });
});

describe('projectTo2d', () => {
  it('finds the direction of largest variance first', () => {
    // Points spread along (1, 1, 0) with small noise along z: PC 1 carries the spread.
    const n = 50;
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push(i, i, (i % 2) * 0.01);
    const xy = projectTo2d(codes, n, 3);
    const spread = (vals: number[]) => Math.max(...vals) - Math.min(...vals);
    expect(spread(xy.map((p) => p.x))).toBeCloseTo(49 * Math.SQRT2, 6);
    expect(spread(xy.map((p) => p.y))).toBeLessThan(0.02);
  });
});

describe('charts', () => {
  it('renders one SVG mark per point and a line per series', async () => {
    const svg = await latentScatterSvg(
      [
        { x: 0, y: 1, label: '3' },
        { x: 2, y: 3, label: '7' },
        { x: 1, y: 1, label: '7' },
      ],
      'codes',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/role-mark[^"]*"[^>]*>/g)).toBeTruthy();
    expect((svg.match(/<path[^>]*aria-roledescription="circle"/g) ?? []).length).toBe(3);
    const curves = await trainingCurvesSvg(
      [
        { step: 1, value: 3, series: 'train' },
        { step: 2, value: 2, series: 'train' },
        { step: 2, value: 2.5, series: 'valid' },
      ],
      'loss',
    );
    expect((curves.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(2);
  });
});

describe('reportHtml', () => {
  it('escapes text and lists numbers and pictures', () => {
    const html = reportHtml('run <1>', [{ title: 'a & b', numbers: { acc: 0.912345678, n: 10 }, images: [{ file: 'recon.png', caption: 'x"y' }] }]);
    expect(html).toContain('<title>run &lt;1&gt;</title>');
    expect(html).toContain('<h2>a &amp; b</h2>');
    expect(html).toContain('<td>0.91235</td>');
    expect(html).toContain('<img src="recon.png" alt="x&quot;y">');
  });
});
