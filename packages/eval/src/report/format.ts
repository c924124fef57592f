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
  if (report.probe) {
    lines.push(`linear probe: test accuracy ${f(report.probe.testAccuracy)} (L2 ${report.probe.strength}, validation ${f(report.probe.validationAccuracy)})`);
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
