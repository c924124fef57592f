import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `shared/test-vectors` beside the repository, or undefined (with a note saying the test skips) when absent. */
export function readTestVectors<T>(file: string): T | undefined {
  const full = path.join(repoRoot, '../shared/test-vectors', file);
  if (!existsSync(full)) {
    console.warn(`skipping the shared test vectors: ${full} not found`);
    return undefined;
  }
  return JSON.parse(readFileSync(full, 'utf8')) as T;
}

export interface SphericalVectors {
  bessel_log_iv: { order: number; x: number; log_iv: number }[];
  vmf: { kappa: number; dim: number; kl_to_uniform: number; mean_cosine: number; dkl_dkappa: number }[];
  power_spherical: { kappa: number; dim: number; kl_to_uniform: number; mean_cosine: number }[];
}

/** |actual − expected| ≤ rel · |expected|. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
