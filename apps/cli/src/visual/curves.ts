/**
 * Training curves from a run's log, one panel per loss term (total, reconstruction, KL, codebook, commitment, …),
 * train and validation overlaid. Each panel picks its own axis: logarithmic when the values are positive and span
 * more than a decade, and cut above the later steps' range when the first steps' spike would flatten the rest.
 */
import type { CurvePoint } from './charts.js';

/** What the trainer logs in a `step` record besides the loss terms. */
const NOT_TERMS = new Set(['type', 'time', 'step', 'epoch', 'batch', 'loss', 'reconstruction', 'gradNorm', 'learningRate', 'units', 'examples']);

const TERM_LABELS: Readonly<Record<string, string>> = {
  loss: 'training objective',
  reconstruction: 'reconstruction −log p(x | z)',
  kl: 'KL(q(z|x) ‖ p(z))',
  codebook: 'codebook loss',
  commitment: 'commitment loss',
};

export interface CurvePanel {
  /** The logged name: loss, reconstruction, kl, … */
  readonly term: string;
  readonly title: string;
  readonly yTitle: string;
  readonly points: readonly CurvePoint[];
  readonly log: boolean;
  /** The y range shown, when it is narrower than the data's (a spike cut off). */
  readonly domain?: readonly [number, number];
  /** Points above the top of the axis, for the caption. */
  readonly clipped: number;
}

interface LogRow {
  readonly type: string;
  readonly step: number;
  readonly [key: string]: unknown;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Means of consecutive runs of train steps, so a panel holds at most `maxPoints` per series. */
function smoothed(steps: readonly LogRow[], key: string, maxPoints: number): CurvePoint[] {
  const rows = steps.filter((r) => isNumber(r[key]));
  const window = Math.max(1, Math.ceil(rows.length / maxPoints));
  const points: CurvePoint[] = [];
  for (let i = 0; i < rows.length; i += window) {
    const chunk = rows.slice(i, i + window);
    points.push({ step: (chunk.at(-1) as LogRow).step, value: chunk.reduce((s, r) => s + (r[key] as number), 0) / chunk.length, series: 'train' });
  }
  return points;
}

/** The axis a panel needs: log or linear, and a cut top when the first steps tower over the rest. */
export function panelAxis(points: readonly CurvePoint[]): { log: boolean; domain?: [number, number]; clipped: number } {
  const values = points.map((p) => p.value);
  if (values.length < 4) return { log: false, clipped: 0 };
  const lastStep = Math.max(...points.map((p) => p.step));
  const firstStep = Math.min(...points.map((p) => p.step));
  // "Later" is past the first tenth of the run: where the curve is read.
  const cut = firstStep + 0.1 * (lastStep - firstStep);
  const later = points.filter((p) => p.step > cut).map((p) => p.value);
  const rest = later.length >= 3 ? later : values;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const restLo = Math.min(...rest);
  const restHi = Math.max(...rest);
  const log = lo > 0 && hi / lo > 10;
  // Values more than a decade (log) or two spans (linear) above the later range are the spike; the axis ends just
  // above the largest value short of that, so the early descent stays in view.
  const limit = log ? 10 * restHi : restHi + 2 * Math.max(restHi - restLo, Math.abs(restHi) * 1e-3, 1e-12);
  if (hi <= limit) return { log, clipped: 0 };
  const kept = Math.max(...values.filter((v) => v <= limit));
  const top = log ? kept * 1.15 : kept + 0.05 * (kept - lo);
  return { log, domain: [lo, top], clipped: values.filter((v) => v > top).length };
}

/**
 * One panel per logged term, from the records of `readRunLog`: train steps (averaged to ≤ `maxPoints` points) and
 * every validation. Terms logged as constant zero (an EMA codebook's gradient-free codebook loss) are left out.
 */
export function curvePanels(records: readonly unknown[], maxPoints = 100): CurvePanel[] {
  const rows = records.filter((r): r is LogRow => typeof r === 'object' && r !== null && isNumber((r as LogRow).step)) as LogRow[];
  const steps = rows.filter((r) => r.type === 'step');
  const valids = rows.filter((r) => r.type === 'valid');
  const terms = new Set<string>(['loss', 'reconstruction']);
  for (const r of steps) for (const [k, v] of Object.entries(r)) if (!NOT_TERMS.has(k) && isNumber(v)) terms.add(k);
  const panels: CurvePanel[] = [];
  for (const term of terms) {
    const train = smoothed(steps, term, maxPoints);
    const validOf = (r: LogRow): unknown => (term === 'loss' || term === 'reconstruction' ? r[term] : (r.terms as Record<string, unknown> | undefined)?.[term]);
    const valid: CurvePoint[] = valids.filter((r) => isNumber(validOf(r))).map((r) => ({ step: r.step, value: validOf(r) as number, series: 'validation' }));
    const points = [...train, ...valid];
    if (points.length === 0 || points.every((p) => p.value === 0)) continue;
    const label = TERM_LABELS[term] ?? term;
    panels.push({ term, title: label, yTitle: term === 'loss' ? 'nats/example (weighted sum)' : 'nats/example', points, ...panelAxis(points) });
  }
  return panels;
}

/** One sentence under the chart: what is drawn, and which axes are logarithmic or cut. */
export function curvesCaption(panels: readonly CurvePanel[]): string {
  const logs = panels.filter((p) => p.log).map((p) => p.title);
  const cut = panels.filter((p) => p.clipped > 0);
  return [
    'Per-term training curves: train (averaged over consecutive steps) and validation, per example.',
    logs.length ? `Logarithmic axis: ${logs.join(', ')}.` : '',
    cut.length
      ? `The first steps' spike is cut off the top of ${cut.map((p) => `${p.title} (${p.clipped} point${p.clipped === 1 ? '' : 's'})`).join(', ')}, so the rest stays readable.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}
