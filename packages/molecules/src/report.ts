/**
 * What a SMILES run reports: MOSES metrics of prior samples next to the goals and the MOSES VAE anchor, the
 * property distributions (RDKit logP, QED, MW, TPSA) of samples vs training molecules, and a grid of drawn samples
 * with their properties. Written as files into the run folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Chemistry, type MosesMetrics, mosesMetrics, svgGrid } from '@latentkit/chem';
import { writeFileAtomic } from '@latentkit/core';

/** The goals for prior samples. */
export const MOSES_GOALS = { valid: 0.96, unique10k: 0.999, novelty: 0.9, intDiv1: 0.85 } as const;
/** The MOSES benchmark's VAE row (1.6M molecules, GPU). */
export const MOSES_VAE_ANCHOR = { valid: 0.9528, unique10k: 0.9992, intDiv1: 0.8548 } as const;

export interface PropertyStats {
  readonly count: number;
  readonly mean: Readonly<Record<PropertyKey, number>>;
  readonly std: Readonly<Record<PropertyKey, number>>;
}

type PropertyKey = 'logP' | 'qed' | 'molecularWeight' | 'tpsa';
const PROPERTIES: readonly PropertyKey[] = ['logP', 'qed', 'molecularWeight', 'tpsa'];

/** Mean and standard deviation of RDKit properties over the valid molecules among the first `limit`. */
export function propertyStats(chem: Chemistry, smiles: readonly string[], limit = 1000): PropertyStats {
  const values: Record<PropertyKey, number[]> = { logP: [], qed: [], molecularWeight: [], tpsa: [] };
  for (const s of smiles.slice(0, limit)) {
    const d = s ? chem.descriptors(s) : null;
    if (!d) continue;
    for (const k of PROPERTIES) values[k].push(d[k]);
  }
  const mean = {} as Record<PropertyKey, number>;
  const std = {} as Record<PropertyKey, number>;
  for (const k of PROPERTIES) {
    const xs = values[k];
    const m = xs.reduce((a, b) => a + b, 0) / (xs.length || Number.NaN);
    mean[k] = m;
    std[k] = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length || Number.NaN));
  }
  return { count: values.logP.length, mean, std };
}

const f = (x: number | undefined, d = 4) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));

/** The MOSES metric table: ours, the goal, the MOSES VAE anchor. */
export function formatMetricsTable(m: MosesMetrics): string {
  const rows: [string, number | undefined, string, string][] = [
    ['valid', m.valid, `≥ ${MOSES_GOALS.valid}`, String(MOSES_VAE_ANCHOR.valid)],
    ['unique@1k', m.unique['1000'], '', ''],
    ['unique@10k', m.unique['10000'], `≥ ${MOSES_GOALS.unique10k}`, String(MOSES_VAE_ANCHOR.unique10k)],
    ['novelty', m.novelty, `≥ ${MOSES_GOALS.novelty}`, ''],
    ['IntDiv1', m.intDiv1, `≥ ${MOSES_GOALS.intDiv1}`, String(MOSES_VAE_ANCHOR.intDiv1)],
    ['IntDiv2', m.intDiv2, '', ''],
    ['SNN (held-out)', m.snn, '', ''],
  ];
  return [
    `MOSES metrics of ${m.generated} prior samples (${m.validCount} valid)`,
    '',
    '| metric | ours | goal | MOSES VAE |',
    '|---|---|---|---|',
    ...rows.map(([name, value, goal, anchor]) => `| ${name} | ${f(value)} | ${goal} | ${anchor} |`),
    ...m.warnings.map((w) => `\nnote: ${w}`),
  ].join('\n');
}

export function formatPropertyTable(samples: PropertyStats, train: PropertyStats): string {
  return [
    `RDKit properties, mean ± sd (samples: ${samples.count} valid; training: ${train.count})`,
    '',
    '| property | samples | training |',
    '|---|---|---|',
    ...PROPERTIES.map((k) => `| ${k} | ${f(samples.mean[k], 3)} ± ${f(samples.std[k], 3)} | ${f(train.mean[k], 3)} ± ${f(train.std[k], 3)} |`),
  ].join('\n');
}

/** A grid of the first `count` valid molecules with their logP, QED and MW. */
export function moleculeGrid(chem: Chemistry, smiles: readonly string[], count = 16): string {
  const cells = [];
  for (const s of smiles) {
    if (cells.length >= count) break;
    const d = s ? chem.descriptors(s) : null;
    if (!d) continue;
    cells.push({ smiles: s, legend: `logP ${d.logP.toFixed(2)} · QED ${d.qed.toFixed(2)} · MW ${d.molecularWeight.toFixed(0)}` });
  }
  return svgGrid(chem, cells, { columns: 4 });
}

export interface MoleculeReport {
  readonly metrics: MosesMetrics;
  readonly samples: PropertyStats;
  readonly train: PropertyStats;
}

/**
 * MOSES metrics and property statistics of `generated` against the run's training and held-out molecules. Novelty
 * compares with the training strings as given, as MOSES does (its files are RDKit-canonical); `canonicalizeTrain`
 * canonicalises them first, for files written elsewhere (it parses every training molecule: minutes on MOSES).
 */
export function moleculeReport(
  chem: Chemistry,
  generated: readonly string[],
  molecules: { readonly train: readonly string[]; readonly test: readonly string[] },
  options: { readonly canonicalizeTrain?: boolean } = {},
): MoleculeReport {
  const reference = molecules.test.length > 0 ? molecules.test : undefined;
  const metrics = mosesMetrics(chem, generated, {
    train: molecules.train,
    canonicalizeTrain: options.canonicalizeTrain ?? false,
    ...(reference && { reference }),
  });
  return { metrics, samples: propertyStats(chem, generated), train: propertyStats(chem, molecules.train) };
}

/** Writes `<dir>/molecules.svg`, `<dir>/molecule-metrics.md` and `<dir>/molecule-metrics.json`; returns their paths. */
export function writeMoleculeReport(chem: Chemistry, dir: string, generated: readonly string[], report: MoleculeReport, extra: string[] = []): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = [path.join(dir, 'molecules.svg'), path.join(dir, 'molecule-metrics.md'), path.join(dir, 'molecule-metrics.json')];
  writeFileAtomic(files[0] as string, moleculeGrid(chem, generated));
  writeFileAtomic(files[1] as string, `${[formatMetricsTable(report.metrics), formatPropertyTable(report.samples, report.train), ...extra].join('\n\n')}\n`);
  writeFileAtomic(files[2] as string, `${JSON.stringify(report, null, 2)}\n`);
  return files;
}
