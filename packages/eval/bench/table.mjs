// Prints bench-results/downstream.json (written by bench/run.mjs) as the README's Markdown table, one block per backend.
// Usage: node bench/table.mjs
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bench-results/downstream.json');
const { runs } = JSON.parse(readFileSync(file, 'utf8'));
const names = {
  kmeans: 'k-means, k = 10, 10 restarts, 10,000 × 50',
  probe: 'linear probe, 7 strengths + refit, 8,000 × 50',
  knn: 'kNN, k = 5, 2,000 × 8,000 × 50',
};
const quality = (task, r) => {
  if (task === 'kmeans') return `inertia ${r.inertia.toFixed(1)}, ARI ${r.ari.toFixed(3)}`;
  return `test accuracy ${r.testAccuracy.toFixed(3)}`;
};
for (const run of Object.values(runs)) {
  const load = run.loadAverage.before.map((l) => l.toFixed(1)).join(' / ');
  const after = run.loadAverage.after.map((l) => l.toFixed(1)).join(' / ');
  console.log(
    `${run.backend}${run.blas ? ` (BLAS: ${run.blas})` : ''}, finished ${run.date.slice(0, 16).replace('T', ' ')} UTC, ${run.repeats} repeats, ` +
      `load average (1 / 5 / 15 min) ${load} before, ${after} after; scikit-learn ${run.sklearnVersion}:\n`,
  );
  console.log('| task | latentkit median | scikit-learn median | ratio | latentkit result | scikit-learn result |');
  console.log('|---|---:|---:|---:|---|---|');
  for (const [task, e] of Object.entries(run.tasks)) {
    console.log(
      `| ${names[task]} | ${e.latentkit.median.toFixed(2)} s | ${e.sklearn ? `${e.sklearn.median.toFixed(2)} s` : 'n/a'} | ` +
        `${e.ratio === undefined ? 'n/a' : `**${e.ratio.toFixed(2)}×**`} | ${quality(task, e.latentkit.result)} | ${e.sklearn ? quality(task, e.sklearn.result) : 'n/a'} |`,
    );
  }
  console.log('');
}
