/** The report for people (a short text table) and for programs (a JSON file written atomically). */
import { writeFileAtomic } from '@latentkit/core';
import type { EvaluationReport } from './report.js';

const f = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));

export function formatReport(report: EvaluationReport): string {
  const lines: string[] = [];
  const { data } = report;
  lines.push(
    `data: ${data.testExamples} test examples${data.trainExamples ? `, ${data.trainExamples} train` : ''}, ` +
      `${data.classes ?? 'no'} classes, latent dim ${data.latentDim}`,
  );
  const r = report.reconstruction;
  if (r) lines.push(`reconstruction: ${f(r.nll, 3)} nats/example at the deterministic code, ${f(r.nllPerUnit, 4)} nats/unit`);
  const l = report.likelihood;
  if (l) {
    lines.push(
      `likelihood: ELBO ${f(l.elbo, 3)} nats/example (reconstruction ${f(l.reconstruction, 3)}, KL ${f(l.kl, 3)}), ` +
        `perplexity ${f(l.perplexity, 2)} over ${l.units} units`,
    );
    if (l.importanceWeighted) {
      lines.push(
        `  importance-weighted bound (K=${l.importanceWeighted.samples}): ${f(l.importanceWeighted.logLikelihood, 3)} nats/example, ` +
          `perplexity ${f(l.importanceWeighted.perplexity, 2)}`,
      );
    }
    lines.push(
      `  active units ${l.activeUnits}/${l.posteriorMeanVariance.length} (Cov > ${l.activeUnitThreshold}), ` +
        `MI ${f(l.mutualInformation, 3)} nats, KL(q(z)‖p(z)) ${f(l.aggregateKl, 3)} nats`,
    );
  }
  for (const layer of report.layers ?? []) {
    lines.push(`  layer ${layer.name}: KL ${f(layer.kl, 3)} nats/example, active units ${layer.activeUnits}/${layer.dim}`);
  }
  if (report.probe) {
    lines.push(
      `linear probe: test accuracy ${f(report.probe.testAccuracy)} (L2 ${formatNumber(report.probe.strength, 2)}, validation ${f(report.probe.validationAccuracy)})`,
    );
  }
  if (report.knn) lines.push(`kNN (k=${report.knn.k}, ${report.knn.metric}): test accuracy ${f(report.knn.testAccuracy)}`);
  const c = report.clustering;
  if (c) lines.push(`k-means (k=${c.k}, ${c.restarts} restarts): accuracy ${f(c.accuracy)}, NMI ${f(c.nmi)}, ARI ${f(c.ari)}`);
  const a = report.anomaly;
  if (a) lines.push(`anomaly AUROC (${a.score}, normal classes ${a.normalClasses.join(',')}; ${a.anomalies} anomalies): ${f(a.auroc)}`);
  lines.push(`time: ${f(report.seconds, 1)} s`);
  return lines.join('\n');
}

/** Writes the report as indented JSON; the file is replaced atomically, never left half-written. */
export function writeReport(report: EvaluationReport, file: string): void {
  writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * A number as people read it: integers as they are (with thousands separators), others to `digits` significant
 * digits, and very small or very large magnitudes in scientific notation (1.0e-6, not 0.0000010000). Missing or
 * non-finite values are "—".
 */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(Math.max(1, digits - 3)).replace('e+', 'e');
  // toPrecision keeps significant digits; Number() drops the trailing zeros it pads with (0.5000 → 0.5).
  return String(Number(value.toPrecision(digits)));
}

/** One line of the report for people: a label, a formatted value with its unit, and what the number means. */
export interface ReportEntry {
  /** The part of the report it belongs to: "Likelihood", "Downstream tasks", … */
  readonly group: string;
  /** A stable key for programs and tests (`likelihood.elbo`). */
  readonly key: string;
  readonly label: string;
  /** The raw value, kept for tables that compare runs. */
  readonly value: number | string;
  /** `value` formatted, with its unit. */
  readonly text: string;
  /** One line: what the number is and which way is better. */
  readonly note: string;
  /** Which way is better, for numbers where one is (a comparison marks the best run). */
  readonly better?: 'higher' | 'lower';
}

/** The numbers where one way is better; the rest (counts, the probe's L2 strength, KL terms) have no best. */
const BETTER: Readonly<Record<string, 'higher' | 'lower'>> = {
  'reconstruction.nll': 'lower',
  'reconstruction.nllPerUnit': 'lower',
  'likelihood.elbo': 'higher',
  'likelihood.perplexity': 'lower',
  'likelihood.importanceWeighted.logLikelihood': 'higher',
  'likelihood.importanceWeighted.perplexity': 'lower',
  'probe.testAccuracy': 'higher',
  'knn.testAccuracy': 'higher',
  'clustering.accuracy': 'higher',
  'clustering.nmi': 'higher',
  'clustering.ari': 'higher',
  'anomaly.auroc': 'higher',
};

const unitText = (value: number, unit: string, digits = 4) => `${formatNumber(value, digits)}${unit ? ` ${unit}` : ''}`;

/**
 * The report as labelled lines with units and one-line explanations, for the HTML pages. Sections the report
 * does not have (a VQ model has no ELBO) are left out rather than printed as empty values.
 */
export function reportEntries(report: EvaluationReport): ReportEntry[] {
  const out: ReportEntry[] = [];
  const add = (group: string, key: string, label: string, value: number | string, unit: string, note: string, digits = 4) => {
    const better = BETTER[key];
    out.push({ group, key, label, value, text: typeof value === 'number' ? unitText(value, unit, digits) : value, note, ...(better && { better }) });
  };
  const d = report.data;
  add('Data', 'data.testExamples', 'held-out examples', d.testExamples, '', 'examples every number below is measured on');
  if (d.trainExamples) add('Data', 'data.trainExamples', 'training examples (probe, kNN)', d.trainExamples, '', 'codes the linear probe and kNN are fitted on');
  if (d.classes !== null) add('Data', 'data.classes', 'classes', d.classes, '', 'distinct labels in the held-out split');
  add('Data', 'data.latentDim', 'latent dimensions', d.latentDim, '', 'width of the code');
  const r = report.reconstruction;
  if (r) {
    add('Reconstruction', 'reconstruction.nll', 'reconstruction error', r.nll, 'nats/example', '−log p(x | code) at the deterministic code; lower is better');
    add('Reconstruction', 'reconstruction.nllPerUnit', 'per unit', r.nllPerUnit, 'nats/unit', 'the same per pixel, word or token predicted');
  }
  const l = report.likelihood;
  if (l) {
    add('Likelihood', 'likelihood.elbo', 'ELBO', l.elbo, 'nats/example', 'evidence lower bound on log p(x): reconstruction + KL, negated; higher is better');
    add('Likelihood', 'likelihood.reconstruction', 'ELBO reconstruction term', l.reconstruction, 'nats/example', 'expected −log p(x | z) under the posterior');
    add(
      'Likelihood',
      'likelihood.kl',
      'KL(q(z|x) ‖ p(z))',
      l.kl,
      'nats/example',
      'information the code carries about each example; near 0 means posterior collapse',
    );
    add('Likelihood', 'likelihood.perplexity', 'ELBO perplexity', l.perplexity, '', `exp(−ELBO / units) over ${formatNumber(l.units)} units; lower is better`);
    if (l.importanceWeighted) {
      const iw = l.importanceWeighted;
      add(
        'Likelihood',
        'likelihood.importanceWeighted.logLikelihood',
        `log-likelihood bound, K = ${iw.samples}`,
        iw.logLikelihood,
        'nats/example',
        'importance-weighted bound (Burda et al.): tighter than the ELBO; higher is better',
      );
      add(
        'Likelihood',
        'likelihood.importanceWeighted.perplexity',
        `perplexity bound, K = ${iw.samples}`,
        iw.perplexity,
        '',
        'from the importance-weighted bound; lower is better',
      );
    }
    add(
      'Latent usage',
      'likelihood.activeUnits',
      'active units',
      `${l.activeUnits} of ${l.posteriorMeanVariance.length}`,
      '',
      `dimensions whose posterior mean varies across examples (Cov > ${formatNumber(l.activeUnitThreshold)})`,
    );
    add(
      'Latent usage',
      'likelihood.mutualInformation',
      'mutual information I(x; z)',
      l.mutualInformation,
      'nats',
      'how much the code says about which example it came from',
    );
    add(
      'Latent usage',
      'likelihood.aggregateKl',
      'KL(q(z) ‖ p(z))',
      l.aggregateKl,
      'nats',
      'gap between the codes of all examples and the prior; samples look like data when small',
    );
  }
  for (const layer of report.layers ?? []) {
    add(
      'Latent usage',
      `layers.${layer.name}.kl`,
      `KL of layer ${layer.name}`,
      layer.kl,
      'nats/example',
      'what this stochastic layer carries; near 0 means the layer collapsed',
    );
    add(
      'Latent usage',
      `layers.${layer.name}.activeUnits`,
      `active units of layer ${layer.name}`,
      `${layer.activeUnits} of ${layer.dim}`,
      '',
      `dimensions of this layer whose posterior mean varies across examples (Cov > ${formatNumber(layer.activeUnitThreshold)})`,
    );
  }
  const p = report.probe;
  if (p) {
    add(
      'Downstream tasks',
      'probe.testAccuracy',
      'linear probe accuracy',
      p.testAccuracy,
      '',
      'logistic regression on frozen codes, held-out; higher is better',
    );
    add('Downstream tasks', 'probe.strength', 'linear probe L2 strength', p.strength, '', 'picked on a validation share of the training codes', 2);
  }
  const k = report.knn;
  if (k)
    add('Downstream tasks', 'knn.testAccuracy', `kNN accuracy (k = ${k.k}, ${k.metric})`, k.testAccuracy, '', 'nearest training codes vote; higher is better');
  const c = report.clustering;
  if (c) {
    add(
      'Clustering',
      'clustering.accuracy',
      `k-means accuracy (k = ${c.k})`,
      c.accuracy,
      '',
      'clusters matched to labels one-to-one (Hungarian); 1 is perfect',
    );
    add('Clustering', 'clustering.nmi', 'NMI', c.nmi, '', 'normalized mutual information between clusters and labels, 0 to 1');
    add('Clustering', 'clustering.ari', 'ARI', c.ari, '', 'adjusted Rand index: 0 is chance, 1 perfect');
  }
  const a = report.anomaly;
  if (a) {
    const score = { negImportanceWeightedBound: '−log-likelihood bound', negElbo: '−ELBO', reconstruction: 'reconstruction error' }[a.score];
    add('Anomaly detection', 'anomaly.auroc', 'AUROC', a.auroc, '', `${score} as the score; normal classes ${a.normalClasses.join(', ')}; 0.5 is chance`);
  }
  add('Run', 'seconds', 'evaluation time', report.seconds, 's', 'wall-clock time of the evaluation', 3);
  return out;
}
