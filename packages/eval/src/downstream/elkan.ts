/**
 * Lloyd's k-means iterations with Elkan's bounds (C. Elkan, "Using the triangle inequality to accelerate k-means",
 * ICML 2003), as scikit-learn's `algorithm="elkan"`: each point keeps an upper bound on the distance to its centre
 * and a lower bound on the distance to every other centre. After centres move by δ_c the bounds loosen by δ_c, and a
 * centre c is skipped for a point whose upper bound is below its lower bound for c or half the distance between its
 * centre and c. The assignments are those of plain Lloyd (up to ties); once the centres barely move, almost no
 * distances are computed. (Hamerly's single lower bound was tried first: on 10,000 × 50 codes of overlapping
 * classes it pruned almost nothing, since it drops by the largest move of any centre each iteration.)
 */
import type { DenseMatrix } from '../validate.js';
import type { CentreDistances } from './centre-distances.js';
import { squaredDistance } from './squared-distance.js';

export interface LloydOptions {
  readonly maxIterations: number;
  /** Backend distances for the assignment steps where the bounds would prune little. */
  readonly dense?: CentreDistances;
  /** Stop once the centres' squared shifts sum to at most this (scikit-learn's absolute tolerance). */
  readonly tolerance: number;
}

export interface LloydResult {
  /** k × d, row-major. */
  readonly centroids: Float64Array;
  /** Centre updates made. */
  readonly iterations: number;
  /** No assignment changed, or the shift fell within the tolerance, before the budget ran out. */
  readonly converged: boolean;
}

function distance(a: Float64Array, row: number, b: Float64Array, other: number, d: number): number {
  return Math.sqrt(squaredDistance(a, row, b, other, d));
}

/** Runs Lloyd's iterations from `start` (k × d, not modified). */
export function lloydElkan(x: DenseMatrix, start: Float64Array, k: number, options: LloydOptions): LloydResult {
  const { rows: n, cols: d, data } = x;
  let centres = Float64Array.from(start);
  let next = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const assignment = new Int32Array(n);
  const upper = new Float64Array(n);
  // lower[i·k + c]: a lower bound on the distance from point i to centre c.
  const lower = new Float64Array(n * k);
  const moved = new Float64Array(k);
  // halfGap[a·k + c] = ½‖centre a − centre c‖; nearestHalfGap[a] = its minimum over c ≠ a.
  const halfGap = new Float64Array(k * k);
  const nearestHalfGap = new Float64Array(k);

  if (options.dense) options.dense.assignAll(centres, assignment, upper, lower);
  else {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDist = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const dist = distance(data, i * d, centres, c * d, d);
        lower[i * k + c] = dist;
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      assignment[i] = best;
      upper[i] = bestDist;
    }
  }
  const fresh = options.dense ? new Int32Array(n) : undefined;

  // Each cluster's sum of points, kept up to date as points move (late iterations move a handful of points).
  const sums = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    const c = assignment[i] as number;
    counts[c] = (counts[c] as number) + 1;
    const row = i * d;
    const centre = c * d;
    for (let j = 0; j < d; j++) sums[centre + j] = (sums[centre + j] as number) + (data[row + j] as number);
  }

  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    relocateEmpty(x, centres, sums, counts, assignment, upper, lower, k);
    for (let c = 0; c < k; c++) {
      const count = counts[c] as number;
      for (let j = 0; j < d; j++) next[c * d + j] = (sums[c * d + j] as number) / count;
    }
    let shift = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += ((next[c * d + j] as number) - (centres[c * d + j] as number)) ** 2;
      shift += s;
      moved[c] = Math.sqrt(s);
    }
    [centres, next] = [next, centres];
    if (shift <= options.tolerance) return { centroids: centres, iterations: iteration, converged: true };

    for (let i = 0; i < n; i++) {
      upper[i] = (upper[i] as number) + (moved[assignment[i] as number] as number);
      const base = i * k;
      for (let c = 0; c < k; c++) lower[base + c] = Math.max((lower[base + c] as number) - (moved[c] as number), 0);
    }
    for (let a = 0; a < k; a++) {
      let nearest = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        const half = c === a ? 0 : 0.5 * distance(centres, a * d, centres, c * d, d);
        halfGap[a * k + c] = half;
        if (c !== a && half < nearest) nearest = half;
      }
      nearestHalfGap[a] = nearest;
    }

    let changed = 0;
    if (fresh && options.dense && prunesLittle(upper, lower, assignment, halfGap, nearestHalfGap, n, k)) {
      options.dense.assignAll(centres, fresh, upper, lower);
      for (let i = 0; i < n; i++) {
        const original = assignment[i] as number;
        const a = fresh[i] as number;
        if (a !== original) {
          changed++;
          move(data, i * d, d, sums, counts, original, a);
          assignment[i] = a;
        }
      }
      if (changed === 0) return { centroids: centres, iterations: iteration, converged: true };
      continue;
    }
    for (let i = 0; i < n; i++) {
      const original = assignment[i] as number;
      let a = original;
      let bound = upper[i] as number;
      if (bound <= (nearestHalfGap[a] as number)) continue;
      const base = i * k;
      let tight = false;
      for (let c = 0; c < k; c++) {
        if (c === a || bound <= (lower[base + c] as number) || bound <= (halfGap[a * k + c] as number)) continue;
        if (!tight) {
          bound = distance(data, i * d, centres, a * d, d);
          lower[base + a] = bound;
          tight = true;
          if (bound <= (lower[base + c] as number) || bound <= (halfGap[a * k + c] as number)) continue;
        }
        const dist = distance(data, i * d, centres, c * d, d);
        lower[base + c] = dist;
        if (dist < bound) {
          a = c;
          bound = dist;
        }
      }
      upper[i] = bound;
      if (a !== original) {
        assignment[i] = a;
        changed++;
        move(data, i * d, d, sums, counts, original, a);
      }
    }
    if (changed === 0) return { centroids: centres, iterations: iteration, converged: true };
  }
  return { centroids: centres, iterations: options.maxIterations, converged: false };
}

/** Moves the point at `row` from cluster `from` to cluster `to` in the clusters' sums and counts. */
function move(data: Float64Array, row: number, d: number, sums: Float64Array, counts: Int32Array, from: number, to: number): void {
  counts[from] = (counts[from] as number) - 1;
  counts[to] = (counts[to] as number) + 1;
  for (let j = 0; j < d; j++) {
    const v = data[row + j] as number;
    sums[from * d + j] = (sums[from * d + j] as number) - v;
    sums[to * d + j] = (sums[to * d + j] as number) + v;
  }
}

/**
 * Whether the bounds rule out fewer than 4/5 of the point–centre pairs: then one product on the backend for all
 * distances is cheaper than the pairs' own distances (an upper estimate: the search also tightens the upper bound).
 */
function prunesLittle(
  upper: Float64Array,
  lower: Float64Array,
  assignment: Int32Array,
  halfGap: Float64Array,
  nearestHalfGap: Float64Array,
  n: number,
  k: number,
): boolean {
  let open = 0;
  for (let i = 0; i < n; i++) {
    const a = assignment[i] as number;
    const bound = upper[i] as number;
    if (bound <= (nearestHalfGap[a] as number)) continue;
    for (let c = 0; c < k; c++) {
      if (c !== a && bound > (lower[i * k + c] as number) && bound > (halfGap[a * k + c] as number)) open++;
    }
  }
  return open > (n * k) / 5;
}

/**
 * An empty cluster takes the point farthest from its centre (as scikit-learn does), which leaves its old cluster;
 * that point's bounds become uninformative so the next assignment recomputes all its distances. `sums` holds the
 * clusters' sums.
 */
function relocateEmpty(
  x: DenseMatrix,
  centres: Float64Array,
  sums: Float64Array,
  counts: Int32Array,
  assignment: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  k: number,
): void {
  const d = x.cols;
  for (let c = 0; c < k; c++) {
    if ((counts[c] as number) > 0) continue;
    let far = -1;
    let farDist = -1;
    for (let i = 0; i < x.rows; i++) {
      const owner = assignment[i] as number;
      if ((counts[owner] as number) < 2) continue;
      const dist = distance(x.data, i * d, centres, owner * d, d);
      if (dist > farDist) {
        farDist = dist;
        far = i;
      }
    }
    if (far < 0) continue; // cannot happen with k ≤ n: some cluster has two points
    const owner = assignment[far] as number;
    for (let j = 0; j < d; j++) {
      const v = x.data[far * d + j] as number;
      sums[owner * d + j] = (sums[owner * d + j] as number) - v;
      sums[c * d + j] = v;
    }
    counts[owner] = (counts[owner] as number) - 1;
    counts[c] = 1;
    assignment[far] = c;
    upper[far] = Number.POSITIVE_INFINITY;
    lower.fill(0, far * k, (far + 1) * k);
  }
}
