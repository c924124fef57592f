/**
 * Matrix products on the tfjs backend the program set up with `initEngine` (latentkit's native backend with
 * OpenBLAS or onnxruntime, tfjs-node, wasm), in float32. The downstream tasks use them only where float32 is enough
 * and check or correct the rest in float64 (kNN re-ranks its candidates exactly; the probe keeps its logits in
 * float64, see softmax-regression.ts). Without `initEngine`, or on tfjs's plain cpu backend, whose matMul is slower
 * than the float64 JavaScript loops (4.6 s for the 2,000 × 50 × 8,000 product of the kNN bench), they are not used.
 */
import { engineInfo, tf } from '@latentkit/core';
import type { DenseMatrix } from '../validate.js';

/** Whether a product of this many multiply-adds should go to the backend (below it, a call costs more than it saves). */
export function useBackendProducts(multiplyAdds: number): boolean {
  const info = engineInfo();
  return info !== undefined && info.tfjsBackend !== 'cpu' && tf.getBackend() === info.tfjsBackend && multiplyAdds >= 1 << 17;
}

/** A fixed matrix X (rows × cols) held on the backend in float32, for repeated products with small matrices. */
export class BackendMatrix {
  readonly rows: number;
  readonly cols: number;
  private readonly tensor: tf.Tensor2D;
  /** Xᵀ, made once: wasm's matMul with transposeB re-packs its operand on every call (7.6 ms against 1.5 ms for
   * [10, 50]·[50, 6400]). */
  private transposed: tf.Tensor2D | undefined;

  constructor(values: Float32Array, rows: number, cols: number) {
    this.rows = rows;
    this.cols = cols;
    this.tensor = tf.tensor2d(values, [rows, cols]);
  }

  static fromDense(x: DenseMatrix): BackendMatrix {
    return new BackendMatrix(Float32Array.from(x.data), x.rows, x.cols);
  }

  /** E·X for E of m × rows: m × cols. */
  leftTimes(e: Float32Array, m: number): Float32Array {
    return this.product((x) => tf.matMul(tf.tensor2d(e, [m, this.rows]), x));
  }

  /** Q·Xᵀ for Q of m × cols: m × rows. */
  leftTimesTransposed(q: Float32Array, m: number): Float32Array {
    this.transposed ??= tf.transpose(this.tensor);
    const xT = this.transposed;
    return this.product(() => tf.matMul(tf.tensor2d(q, [m, this.cols]), xT));
  }

  dispose(): void {
    this.tensor.dispose();
    this.transposed?.dispose();
  }

  private product(f: (x: tf.Tensor2D) => tf.Tensor): Float32Array {
    const out = tf.tidy(() => f(this.tensor));
    try {
      return out.dataSync() as Float32Array;
    } finally {
      out.dispose();
    }
  }
}
