/**
 * Inference mode as data: the steps and named weights the ONNX exporter turns into a graph. `runInference` is the
 * reference evaluation of a spec; the tests check it equals `apply(h, {mode: 'infer'}).code` for every bottleneck.
 */
import { LatentkitError, tf } from '@latentkit/core';
import { nearestCodeword, scaledSoftAssignments, softQuantize } from './quantize.js';
import { type LinearWeights, linearVariables } from './variables.js';

export type InferenceStep =
  /** x ← x·W + b, W: [in, out], b: [out]. */
  | { readonly op: 'linear'; readonly kernel: string; readonly bias: string }
  /** x ← x / max(‖x‖₂, ε) row-wise. */
  | { readonly op: 'l2Normalize'; readonly epsilon: number }
  /** x ← e_k with k = argmin_k ‖x − e_k‖² (the first on ties); codebook E: [K, dim]. */
  | { readonly op: 'nearestCodeword'; readonly codebook: string }
  /** x ← Σ_k softmax_k(−‖x − e_k‖² / 2σ²) e_k. */
  | { readonly op: 'softQuantize'; readonly codebook: string; readonly sigma: number }
  /**
   * x ← Σ_k softmax_k(−½‖x − e_k‖²·e^{−2ℓ_k} + ℓ_k) e_k with log scales ℓ = clip(h·W + b, ±logScaleLimit) computed
   * from the bottleneck's input h (not from x): the authors'-code variant of soft quantization.
   */
  | {
      readonly op: 'softQuantizeScaled';
      readonly codebook: string;
      readonly scaleKernel: string;
      readonly scaleBias: string;
      readonly logScaleLimit: number;
    };

export interface InferenceSpec {
  readonly kind: string;
  readonly inputDim: number;
  readonly codeDim: number;
  /** Applied in order to the encoder features; none means the code is the features. */
  readonly steps: readonly InferenceStep[];
  /** Every weight a step names, by the same key as in `trainableVariables` / `stateVariables`. Owned by the bottleneck. */
  readonly weights: Readonly<Record<string, tf.Tensor>>;
}

/** The step of a linear head whose weights are keyed `<scope>/kernel` and `<scope>/bias`, with those weights. */
export function linearStep(scope: string, head: LinearWeights): { step: InferenceStep; weights: Record<string, tf.Tensor> } {
  return { step: { op: 'linear', kernel: `${scope}/kernel`, bias: `${scope}/bias` }, weights: linearVariables(scope, head) };
}

function weight(spec: InferenceSpec, key: string): tf.Tensor {
  const w = spec.weights[key];
  if (!w) throw new LatentkitError('INVALID_ARGUMENT', `inference spec of "${spec.kind}" names weight "${key}" but does not hold it`, { key });
  return w;
}

/** Evaluates `spec` on features h: [batch, inputDim]; the result equals the bottleneck's inference-mode code. */
export function runInference(spec: InferenceSpec, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    let x: tf.Tensor2D = h;
    for (const step of spec.steps) {
      switch (step.op) {
        case 'linear':
          x = tf.add(tf.matMul(x, weight(spec, step.kernel) as tf.Tensor2D), weight(spec, step.bias));
          break;
        case 'l2Normalize':
          x = tf.div(x, tf.maximum(tf.norm(x, 2, 1, true), step.epsilon));
          break;
        case 'nearestCodeword':
          x = nearestCodeword(x, weight(spec, step.codebook) as tf.Tensor2D).codewords;
          break;
        case 'softQuantize':
          x = softQuantize(x, weight(spec, step.codebook) as tf.Tensor2D, step.sigma);
          break;
        case 'softQuantizeScaled': {
          const codebook = weight(spec, step.codebook) as tf.Tensor2D;
          const logScale = tf.add<tf.Tensor2D>(tf.matMul(h, weight(spec, step.scaleKernel) as tf.Tensor2D), weight(spec, step.scaleBias));
          x = tf.matMul(scaledSoftAssignments(x, codebook, logScale, step.logScaleLimit), codebook);
          break;
        }
      }
    }
    return x === h ? tf.clone(h) : x;
  });
}
