import { type Labels, checkLabels, checkSameLength, encodeLabels } from '../validate.js';

/** Counts of examples per (true class, cluster) pair: `counts[r][c]` for the r-th smallest class and c-th smallest cluster id. */
export interface Contingency {
  readonly counts: number[][];
  readonly rowSums: number[];
  readonly colSums: number[];
  readonly total: number;
}

export function contingency(labels: Labels, clusters: Labels): Contingency {
  checkLabels(labels, 'labels');
  checkLabels(clusters, 'clusters');
  checkSameLength(labels, 'labels', clusters, 'clusters');
  const rows = encodeLabels(labels);
  const cols = encodeLabels(clusters);
  const counts = rows.values.map(() => new Array<number>(cols.values.length).fill(0));
  const rowSums = new Array<number>(rows.values.length).fill(0);
  const colSums = new Array<number>(cols.values.length).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const r = rows.index[i] as number;
    const c = cols.index[i] as number;
    (counts[r] as number[])[c] = ((counts[r] as number[])[c] as number) + 1;
    rowSums[r] = (rowSums[r] as number) + 1;
    colSums[c] = (colSums[c] as number) + 1;
  }
  return { counts, rowSums, colSums, total: labels.length };
}
