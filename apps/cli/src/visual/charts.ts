/**
 * Charts as SVG through Vega-Lite: a latent scatter coloured by label and training curves. Vega renders headless
 * in Node (renderer 'none' + toSVG), so no canvas or browser is needed.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { CurvePanel } from './curves.js';

async function render(spec: vl.TopLevelSpec): Promise<string> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
}

/** 2-D projection of latent codes, one colour per label. */
export function latentScatterSvg(points: readonly ScatterPoint[], title: string, axes: readonly [string, string] = ['PC 1', 'PC 2']): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 360,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'circle', size: 14, opacity: 0.7 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axes[0] },
      y: { field: 'y', type: 'quantitative', title: axes[1] },
      color: { field: 'label', type: 'nominal', title: 'label', scale: { scheme: 'category10' } },
    },
  });
}

export interface CurvePoint {
  readonly step: number;
  readonly value: number;
  readonly series: string;
}

/** Training curves: one line per series (e.g. train loss, valid loss) against the step. */
export function trainingCurvesSvg(points: readonly CurvePoint[], title: string, yTitle = 'loss'): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 260,
    data: { values: points.filter((p) => Number.isFinite(p.value)).map((p) => ({ ...p })) },
    mark: { type: 'line', point: points.length < 60 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
}

/** One layer per panel, side by side in `columns`, each with its own y axis (log or linear, maybe cut). */
export function termCurvesSvg(panels: readonly CurvePanel[], columns = 2): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    columns,
    concat: panels.map((p) => ({
      title: p.title,
      width: 300,
      height: 170,
      data: { values: p.points.map((q) => ({ ...q })) },
      mark: { type: 'line', clip: true, point: p.points.length < 40 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: {
          field: 'value',
          type: 'quantitative',
          title: p.log ? `${p.yTitle}, log scale` : p.yTitle,
          scale: { type: p.log ? 'log' : 'linear', ...(!p.log && { zero: false }), ...(p.domain && { domain: [...p.domain] }) },
        },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['train', 'validation'] } },
      },
    })),
  } as vl.TopLevelSpec);
}

export interface OverlayCurve {
  readonly run: string;
  readonly step: number;
  readonly value: number;
  readonly term: string;
}

/** Several runs' curves of the same terms overlaid, one panel per term, one colour per run (the compare page). */
export function overlaidCurvesSvg(
  curves: readonly OverlayCurve[],
  terms: readonly { term: string; title: string; log: boolean }[],
  columns = 2,
): Promise<string> {
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    columns,
    concat: terms.map((t) => ({
      title: t.title,
      width: 320,
      height: 180,
      data: { values: curves.filter((c) => c.term === t.term && Number.isFinite(c.value)).map((c) => ({ ...c })) },
      mark: { type: 'line', clip: true },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'step' },
        y: {
          field: 'value',
          type: 'quantitative',
          title: t.log ? 'nats/example, log scale' : 'nats/example',
          scale: { type: t.log ? 'log' : 'linear', ...(!t.log && { zero: false }) },
        },
        color: { field: 'run', type: 'nominal', title: 'run' },
      },
    })),
  } as vl.TopLevelSpec);
}
