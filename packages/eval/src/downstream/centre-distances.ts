/**
 * All code-to-centre distances of a k-means assignment step through one float32 product on the backend, for the
 * iterations where Elkan's bounds prune little (the first ones, while centres still move a lot). As in kNN
 * (knn.ts), the product [x, 1]·[−2c, ‖c‖²]ᵀ of the centred codes only picks candidates: with `slack` a bound on its
 * error, a centre more than 2·slack beyond the nearest approximate one cannot be the nearest, and the candidates
 * are decided by exact float64 distances. So the assignment equals an exhaustive float64 search (the first of the
 * exactly nearest), and the approximate distances less the slack are valid lower bounds for Elkan's iterations.
 */
import type { DenseMatrix } from '../validate.js';
import { BackendMatrix } from './products.js';
import { squaredDistance } from './squared-distance.js';

const UNIT = 2 ** -24;

export class CentreDistances {
  private readonly x: DenseMatrix;
  private readonly k: number;
  private readonly mean: Float64Array;
  private readonly norms: Float64Array;
  private readonly rawNorms: Float64Array;
  private readonly codes: BackendMatrix;
  private readonly centres: Float32Array;

  constructor(x: DenseMatrix, k: number) {
    const { rows: n, cols: d, data } = x;
    this.x = x;
    this.k = k;
    this.mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) this.mean[j] = (this.mean[j] as number) + (data[i * d + j] as number);
    for (let j = 0; j < d; j++) this.mean[j] = (this.mean[j] as number) / n;
    const values = new Float32Array(n * (d + 1));
    this.norms = new Float64Array(n);
    this.rawNorms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      let raw = 0;
      for (let j = 0; j < d; j++) {
        const v = Math.fround((data[i * d + j] as number) - (this.mean[j] as number));
        values[i * (d + 1) + j] = v;
        s += v * v;
        raw += (data[i * d + j] as number) ** 2;
      }
      values[i * (d + 1) + d] = 1;
      this.norms[i] = s;
      this.rawNorms[i] = raw;
    }
    this.codes = new BackendMatrix(values, n, d + 1);
    this.centres = new Float32Array(k * (d + 1));
  }

  /**
   * Writes the nearest centre of every code into `assignment`, the exact distance to it into `upper`, and lower
   * bounds on the distances to all centres into `lower` (n × k).
   */
  assignAll(centres: Float64Array, assignment: Int32Array, upper: Float64Array, lower: Float64Array): void {
    const { x, k } = this;
    const { rows: n, cols: d, data } = x;
    let largest = 0;
    let largestRaw = 0;
    for (let c = 0; c < k; c++) {
      let s = 0;
      let raw = 0;
      for (let j = 0; j < d; j++) {
        const v = Math.fround((centres[c * d + j] as number) - (this.mean[j] as number));
        this.centres[c * (d + 1) + j] = -2 * v;
        s += v * v;
        raw += (centres[c * d + j] as number) ** 2;
      }
      this.centres[c * (d + 1) + d] = s;
      largest = Math.max(largest, s);
      largestRaw = Math.max(largestRaw, raw);
    }
    const products = this.codes.leftTimesTransposed(this.centres, k);
    for (let i = 0; i < n; i++) {
      const norm = this.norms[i] as number;
      const slack =
        4 * (d + 2) * UNIT * (Math.sqrt(norm) + Math.sqrt(largest)) ** 2 + 1e-12 * (Math.sqrt(this.rawNorms[i] as number) + Math.sqrt(largestRaw)) ** 2;
      let nearest = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) nearest = Math.min(nearest, norm + (products[c * n + i] as number));
      const reach = nearest + 2 * slack;
      let best = -1;
      let bestDist = Number.POSITIVE_INFINITY;
      const base = i * k;
      for (let c = 0; c < k; c++) {
        const approx = norm + (products[c * n + i] as number);
        if (approx > reach) {
          lower[base + c] = Math.sqrt(Math.max(approx - slack, 0));
          continue;
        }
        const exact = squaredDistance(data, i * d, centres, c * d, d);
        lower[base + c] = Math.sqrt(exact);
        if (exact < bestDist) {
          bestDist = exact;
          best = c;
        }
      }
      assignment[i] = best;
      upper[i] = Math.sqrt(bestDist);
    }
  }

  dispose(): void {
    this.codes.dispose();
  }
}
