import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { latentScatterSvg, termCurvesSvg, trainingCurvesSvg } from '../src/visual/charts.js';
import { curvePanels, panelAxis } from '../src/visual/curves.js';
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
  it('escapes text, formats numbers for people, leaves out missing values and embeds pictures', () => {
    const png = imageGridPng([1, 0, 0, 1], 1, 2, 2, { columns: 1 });
    const html = reportHtml('run <1>', [
      {
        id: 'a',
        title: 'a & b',
        numbers: { acc: 0.912345678, n: 10000, elbo: null, strength: 1e-6 },
        images: [
          { png, caption: 'x"y' },
          { file: 'missing.png', caption: 'gone' },
        ],
      },
    ]);
    expect(html).toContain('<title>run &lt;1&gt;</title>');
    expect(html).toContain('<h2>a &amp; b</h2>');
    expect(html).toContain('<td class="value">0.9123</td>');
    expect(html).toContain('<td class="value">10,000</td>');
    expect(html).toContain('<td class="value">1.0e-6</td>');
    expect(html).not.toContain('elbo');
    expect(html).toContain(`<img src="data:image/png;base64,${png.toString('base64')}" alt="x&quot;y">`);
    // Nothing the page needs lives outside it.
    expect(html).not.toMatch(/(src|href)="(?!data:|#)/);
    expect(html).not.toContain('gone');
  });
});

const flat = (n: number, start: number, value: (i: number) => number, series = 'train') =>
  Array.from({ length: n }, (_, i) => ({ step: start + i, value: value(i), series }));

describe('training curve axes', () => {
  it('keeps a linear axis for a curve that spans less than a decade', () => {
    expect(panelAxis(flat(50, 1, (i) => 100 - i * 0.5))).toEqual({ log: false, clipped: 0 });
  });

  it('takes a log axis for a positive curve over several decades', () => {
    expect(panelAxis(flat(50, 1, (i) => 1000 * 0.8 ** i)).log).toBe(true);
  });

  it("cuts the first steps' spike off a linear axis so the rest stays readable", () => {
    // Two huge first steps, then values between 90 and 100 (below a decade apart from 0 ... not positive-only).
    const points = flat(100, 1, (i) => (i < 2 ? 5000 : 90 + (i % 10)));
    const axis = panelAxis(points.map((p) => ({ ...p, value: p.value - 95 })));
    expect(axis.log).toBe(false);
    expect(axis.clipped).toBe(2);
    const [lo, hi] = axis.domain as [number, number];
    expect(lo).toBeLessThanOrEqual(-5);
    expect(hi).toBeGreaterThanOrEqual(4);
    expect(hi).toBeLessThan(10);
  });

  it('cuts a spike more than a decade above the rest of a log axis', () => {
    const axis = panelAxis(flat(100, 1, (i) => (i === 0 ? 1e6 : 10 / (1 + i))));
    expect(axis.log).toBe(true);
    expect(axis.clipped).toBe(1);
    expect((axis.domain as [number, number])[1]).toBeLessThan(100);
  });

  it('makes one panel per logged term with train and validation, and leaves out terms that are always 0', () => {
    const records = [
      ...Array.from({ length: 10 }, (_, i) => ({
        type: 'step',
        step: i + 1,
        loss: 10 - i,
        reconstruction: 8 - i / 2,
        kl: 2,
        codebook: 0,
        gradNorm: 1,
        learningRate: 1e-3,
      })),
      { type: 'valid', step: 10, loss: 4, reconstruction: 3, terms: { kl: 1, codebook: 0 }, perplexity: 5 },
    ];
    const panels = curvePanels(records);
    expect(panels.map((p) => p.term)).toEqual(['loss', 'reconstruction', 'kl']);
    const kl = panels.find((p) => p.term === 'kl');
    expect(kl?.points.filter((p) => p.series === 'validation')).toEqual([{ step: 10, value: 1, series: 'validation' }]);
    expect(kl?.points.filter((p) => p.series === 'train')).toHaveLength(10);
    expect(curvePanels(records, 5)[0]?.points.filter((p) => p.series === 'train')).toHaveLength(5);
  });

  it('renders every panel as its own chart, log scales marked on the axis', async () => {
    const panels = curvePanels(
      Array.from({ length: 30 }, (_, i) => ({ type: 'step', step: i + 1, loss: 1000 * 0.7 ** i, reconstruction: 50 - i, kl: 1 + i / 30 })),
    );
    const svg = await termCurvesSvg(panels);
    expect(svg.startsWith('<svg')).toBe(true);
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(3);
    expect(svg).toContain('log scale');
  });
});
