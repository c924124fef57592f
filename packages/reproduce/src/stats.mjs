/** Mean and sample standard deviation (n − 1; 0 for one value) of the figures over seeds. */
export function meanSd(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return { mean: null, sd: null, n: 0 };
  const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, n: xs.length };
}

/** "799.5 ± 3.1 (3 seeds)", or "799.5 (1 seed)". */
export function formatMeanSd({ mean, sd, n }, digits = 1) {
  if (mean === null) return '—';
  const seeds = `${n} seed${n === 1 ? '' : 's'}`;
  return n > 1 ? `${mean.toFixed(digits)} ± ${sd.toFixed(digits)} (${seeds})` : `${mean.toFixed(digits)} (${seeds})`;
}
