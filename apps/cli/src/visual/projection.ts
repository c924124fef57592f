/**
 * Latent codes to two dimensions for a scatter plot: the first two principal components (ml-pca).
 */
import { PCA } from 'ml-pca';
import { invalidArgument } from '@latentkit/core';

/** `codes` is [n, dim] row-major. Returns n (x, y) pairs. Codes of width 1 get y = 0; width 2 is shown as it is. */
export function projectTo2d(codes: ArrayLike<number>, n: number, dim: number): { x: number; y: number }[] {
  if (codes.length !== n * dim) throw invalidArgument('codes', `${n}×${dim} values`, `${codes.length} values`);
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: dim }, (_, j) => Number(codes[i * dim + j])));
  if (dim <= 2) return rows.map((r) => ({ x: r[0] ?? 0, y: r[1] ?? 0 }));
  const pca = new PCA(rows, { center: true, scale: false });
  const projected = pca.predict(rows, { nComponents: 2 }).to2DArray();
  return projected.map((r) => ({ x: r[0] ?? 0, y: r[1] ?? 0 }));
}
