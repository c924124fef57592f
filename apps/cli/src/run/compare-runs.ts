/**
 * `latentkit compare`: several run folders side by side — the settings in which they differ, their evaluation
 * numbers in one table, and their training curves overlaid, one panel per loss term.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type EvaluationReport, type ReportEntry, formatNumber, reportEntries } from '@latentkit/eval';
import { readRunLog } from '@latentkit/models';
import { type OverlayCurve, overlaidCurvesSvg } from '../visual/charts.js';
import { curvePanels } from '../visual/curves.js';
import { type ReportSection, reportHtml } from '../visual/html-report.js';
import { readRunSpec, runPaths } from './run-folder.js';

export interface ComparedRun {
  readonly name: string;
  readonly dir: string;
  /** run.json's data, model and trainer settings as `model.bottleneck.kind` → value. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly report: EvaluationReport | null;
  readonly entries: readonly ReportEntry[];
}

export interface Comparison {
  readonly runs: readonly ComparedRun[];
  /** Settings whose value is not the same in every run, with each run's value (undefined: the run has no such key). */
  readonly differences: readonly { readonly key: string; readonly values: readonly unknown[] }[];
  /** Every evaluation number any run has, with each run's (null when a run lacks it). */
  readonly metrics: readonly {
    readonly key: string;
    readonly group: string;
    readonly label: string;
    readonly values: readonly (number | string | null)[];
    readonly texts: readonly string[];
    readonly better?: 'higher' | 'lower';
  }[];
}

/** Settings that say nothing about the model (versions, absolute paths of plugins) are left out of the comparison. */
const IGNORED = new Set(['format', 'versions', 'plugins']);

function flattenSettings(value: unknown, prefix: string, out: Record<string, unknown>): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) if (!(prefix === '' && IGNORED.has(k))) flattenSettings(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

/** Short names for the runs: their folder names, or paths relative to the working directory when two share one. */
function runNames(dirs: readonly string[]): string[] {
  const base = dirs.map((d) => path.basename(path.resolve(d)));
  return base.some((b, i) => base.indexOf(b) !== i) ? dirs.map((d) => path.relative(process.cwd(), path.resolve(d)) || '.') : base;
}

export async function compareRuns(dirs: readonly string[]): Promise<Comparison> {
  const names = runNames(dirs);
  const runs: ComparedRun[] = [];
  for (const [i, dir] of dirs.entries()) {
    const spec = await readRunSpec(dir);
    const reportFile = runPaths(dir).report;
    const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as EvaluationReport) : null;
    runs.push({
      name: names[i] as string,
      dir: path.resolve(dir),
      settings: flattenSettings(spec, '', {}),
      report,
      entries: report ? reportEntries(report) : [],
    });
  }
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.settings)))].sort();
  const differences = keys
    .map((key) => ({ key, values: runs.map((r) => r.settings[key]) }))
    .filter((d) => new Set(d.values.map((v) => JSON.stringify(v ?? null))).size > 1);
  const metricKeys: ReportEntry[] = [];
  for (const r of runs) for (const e of r.entries) if (!metricKeys.some((m) => m.key === e.key)) metricKeys.push(e);
  const metrics = metricKeys.map((m) => ({
    key: m.key,
    group: m.group,
    label: m.label,
    values: runs.map((r) => r.entries.find((e) => e.key === m.key)?.value ?? null),
    texts: runs.map((r) => r.entries.find((e) => e.key === m.key)?.text ?? '—'),
    ...(m.better && { better: m.better }),
    ...(m.better && { better: m.better }),
  }));
  return { runs, differences, metrics };
}

const showSetting = (v: unknown): string =>
  v === undefined ? '(not set)' : typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? v : JSON.stringify(v);

async function overlaidCurves(runs: readonly ComparedRun[]): Promise<{ svg: string; caption: string } | undefined> {
  const curves: OverlayCurve[] = [];
  const terms: { term: string; title: string; log: boolean }[] = [];
  for (const run of runs) {
    const log = runPaths(run.dir).log;
    if (!fs.existsSync(log)) continue;
    for (const panel of curvePanels(readRunLog(log).records, 80)) {
      const known = terms.find((t) => t.term === panel.term);
      if (known) known.log &&= panel.log;
      else terms.push({ term: panel.term, title: panel.title, log: panel.log });
      for (const p of panel.points) if (p.series === 'train') curves.push({ run: run.name, step: p.step, value: p.value, term: panel.term });
    }
  }
  if (curves.length === 0) return undefined;
  // A run's first-step spike would flatten the others': the overlay starts after each run's first tenth of steps.
  const lastStep = new Map<string, number>();
  for (const c of curves) lastStep.set(c.run, Math.max(lastStep.get(c.run) ?? 0, c.step));
  const shown = curves.filter((c) => c.step > 0.1 * (lastStep.get(c.run) ?? 0));
  return {
    svg: await overlaidCurvesSvg(shown.length ? shown : curves, terms),
    caption: `Training curves of each run (train loss, averaged over consecutive steps), one panel per loss term, after each run’s first tenth of steps${terms.some((t) => t.log) ? '; log axes where every run spans more than a decade' : ''}.`,
  };
}

/** The runs' texts for a metric, the best one (when one way is better and the runs differ) marked "(best)". */
export function markBest(m: Comparison['metrics'][number]): string[] {
  const numbers = m.values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  const known = numbers.filter((v): v is number => v !== null);
  if (!m.better || known.length < 2 || new Set(known).size === 1) return [...m.texts];
  const best = m.better === 'higher' ? Math.max(...known) : Math.min(...known);
  return m.texts.map((t, i) => (numbers[i] === best ? `${t} (best)` : t));
}

export async function compareHtml(comparison: Comparison): Promise<string> {
  const { runs, differences, metrics } = comparison;
  const header = (first: string) => [first, ...runs.map((r) => r.name)];
  const sections: ReportSection[] = [
    {
      id: 'runs',
      title: 'Runs',
      tables: [
        {
          caption: 'the run folders compared',
          header: ['run', 'folder', 'model', 'bottleneck', 'data'],
          rows: runs.map((r) => [
            r.name,
            r.dir,
            showSetting(r.settings['model.kind']),
            showSetting(r.settings['model.bottleneck.kind']),
            showSetting(r.settings['data.name']),
          ]),
        },
      ],
    },
    {
      id: 'differences',
      title: 'Settings that differ',
      intro: differences.length ? 'Every key of run.json whose value is not the same in all runs; everything else is shared.' : 'The runs share every setting.',
      tables: differences.length
        ? [{ caption: 'run.json keys', header: header('setting'), rows: differences.map((d) => [d.key, ...d.values.map(showSetting)]) }]
        : [],
    },
    {
      id: 'metrics',
      title: 'Evaluation',
      intro: metrics.length
        ? 'The numbers of each run’s report.json, on its own held-out data; “—” where a run has no such number (no density, or not evaluated); “(best)” marks the best run where one way is better.'
        : 'No run has been evaluated yet: run "latentkit eval --run <dir>" on each.',
      tables: metrics.length
        ? [
            {
              caption: 'held-out evaluation',
              header: header('metric'),
              rows: metrics.filter((m) => !m.key.startsWith('data.') || m.values.some((v) => v !== m.values[0])).map((m) => [m.label, ...markBest(m)]),
            },
          ]
        : [],
    },
  ];
  const curves = await overlaidCurves(runs);
  if (curves) sections.push({ id: 'curves', title: 'Training curves', svgs: [curves] });
  return reportHtml(`latentkit compare: ${runs.map((r) => r.name).join(', ')}`, sections);
}
