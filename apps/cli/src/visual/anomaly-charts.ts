/**
 * The anomaly pictures as SVG through Vega-Lite (as charts.ts): score histograms of normal against anomalous
 * records, ROC curves of each score, and a series with its flagged readings and the labelled windows shaded.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';

async function render(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Overlaid histograms of one score, normal and anomalous records, with the flag threshold as a rule. */
export function scoreHistogramSvg(scores: ArrayLike<number>, truth: ArrayLike<number>, threshold: number, title: string): Promise<string> {
  const values: { score: number; group: string }[] = [];
  for (let i = 0; i < scores.length; i++) if (truth[i] !== -1) values.push({ score: scores[i] as number, group: truth[i] === 1 ? 'anomalous' : 'normal' });
  return render({
    $schema: SCHEMA,
    title,
    width: 420,
    height: 240,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
        encoding: {
          x: { field: 'score', bin: { maxbins: 50 }, type: 'quantitative', title: 'score' },
          y: { aggregate: 'count', type: 'quantitative', stack: null, title: 'records' },
          color: { field: 'group', type: 'nominal', title: null, scale: { domain: ['normal', 'anomalous'], range: ['#4c78a8', '#e45756'] } },
        },
      },
      { data: { values: [{ threshold }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'threshold', type: 'quantitative' } } },
    ],
  });
}

export interface RocLine {
  readonly name: string;
  readonly fpr: ArrayLike<number>;
  readonly tpr: ArrayLike<number>;
}

/** ROC curves, one line per score, thinned to about 400 corners each. */
export function rocSvg(lines: readonly RocLine[], title: string): Promise<string> {
  const values: { fpr: number; tpr: number; score: string }[] = [];
  for (const line of lines) {
    const step = Math.max(1, Math.floor(line.fpr.length / 400));
    for (let i = 0; i < line.fpr.length; i += step) values.push({ fpr: line.fpr[i] as number, tpr: line.tpr[i] as number, score: line.name });
    values.push({ fpr: 1, tpr: 1, score: line.name });
  }
  return render({
    $schema: SCHEMA,
    title,
    width: 300,
    height: 300,
    layer: [
      {
        data: { values: [{ x: 0 }, { x: 1 }] },
        mark: { type: 'line', color: '#bbb', strokeDash: [3, 3] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'x', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false-positive rate', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true-positive rate', scale: { domain: [0, 1] } },
          color: { field: 'score', type: 'nominal', title: null },
          order: { field: 'fpr', type: 'quantitative' },
        },
      },
    ],
  });
}

/** The signal (thinned to ~3000 points by keeping each bucket's min and max), flagged readings in red, labelled windows shaded. */
export function seriesSvg(
  timestamps: readonly string[],
  values: ArrayLike<number>,
  flags: ArrayLike<number>,
  windows: readonly (readonly [string, string])[],
  title: string,
): Promise<string> {
  const iso = (s: string) => `${s.trim().replace(' ', 'T').slice(0, 19)}Z`;
  const bucket = Math.max(1, Math.ceil(values.length / 1500));
  const line: { t: string; v: number }[] = [];
  for (let start = 0; start < values.length; start += bucket) {
    let lo = start;
    let hi = start;
    for (let i = start; i < Math.min(values.length, start + bucket); i++) {
      if (!Number.isFinite(values[i] as number)) continue;
      if (!Number.isFinite(values[lo] as number) || (values[i] as number) < (values[lo] as number)) lo = i;
      if (!Number.isFinite(values[hi] as number) || (values[i] as number) > (values[hi] as number)) hi = i;
    }
    for (const i of lo <= hi ? [lo, hi] : [hi, lo])
      if (Number.isFinite(values[i] as number)) line.push({ t: iso(timestamps[i] as string), v: values[i] as number });
  }
  const flagged: { t: string; v: number }[] = [];
  let flagCount = 0;
  for (let i = 0; i < flags.length; i++) flagCount += flags[i] as number;
  const flagStep = Math.max(1, Math.ceil(flagCount / 2000));
  let seen = 0;
  for (let i = 0; i < values.length; i++)
    if (flags[i] === 1 && Number.isFinite(values[i] as number) && seen++ % flagStep === 0)
      flagged.push({ t: iso(timestamps[i] as string), v: values[i] as number });
  return render({
    $schema: SCHEMA,
    title,
    width: 900,
    height: 240,
    layer: [
      {
        data: { values: windows.map(([a, b]) => ({ a: iso(a), b: iso(b) })) },
        mark: { type: 'rect', color: '#f2b134', opacity: 0.3 },
        encoding: { x: { field: 'a', type: 'temporal' }, x2: { field: 'b' } },
      },
      {
        data: { values: line },
        mark: { type: 'line', strokeWidth: 1, color: '#4c78a8' },
        encoding: { x: { field: 't', type: 'temporal', title: null }, y: { field: 'v', type: 'quantitative', title: 'value', scale: { zero: false } } },
      },
      {
        data: { values: flagged },
        mark: { type: 'circle', size: 10, color: '#e45756' },
        encoding: { x: { field: 't', type: 'temporal' }, y: { field: 'v', type: 'quantitative' } },
      },
    ],
  });
}
