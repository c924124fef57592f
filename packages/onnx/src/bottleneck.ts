/**
 * A bottleneck's inference mode (its `InferenceSpec`, see @latentkit/bottlenecks) as ONNX operators.
 *
 * Two values come out: `code`, what the decoder sees (Gaussian mean, vMF mean direction, nearest VQ codeword, soft-VQ
 * posterior mean), and `latent`, the code before quantization (the features the quantizer reads), which is what
 * downstream tasks use. For bottlenecks that do not quantize the two are the same value.
 */
import type { InferenceSpec, InferenceStep } from '@latentkit/bottlenecks';
import { LatentkitError, tf } from '@latentkit/core';
import { type GraphBuilder, attr } from './graph.js';

export interface BottleneckValues {
  readonly code: string;
  readonly latent: string;
  readonly codeDim: number;
  readonly latentDim: number;
}

function specWeight(spec: InferenceSpec, key: string): tf.Tensor {
  const w = spec.weights[key];
  if (!w) throw new LatentkitError('INVALID_ARGUMENT', `the "${spec.kind}" bottleneck's inference spec names weight "${key}" but does not hold it`, { key });
  return w;
}

/**
 * ‖x − e_k‖² for every codeword, expanded as tfjs's `squaredDistances` does (xx − 2·x·Eᵀ + ee, clipped at 0), so
 * the arg-min and the softmax see the same rounding. Eᵀ and ee are computed once, here, by tfjs.
 */
function squaredDistances(g: GraphBuilder, x: string, codebook: tf.Tensor, hint: string): string {
  const [transposed, norms] = tf.tidy(() => [tf.transpose(codebook), tf.sum(tf.square(codebook), 1).expandDims(0)]);
  const et = g.weight(`${hint}/codebook_T`, transposed);
  const ee = g.weight(`${hint}/codebook_sq_norms`, norms);
  tf.dispose([transposed, norms]);
  const xx = g.op('ReduceSumSquare', [x], { axes: attr.ints([1]), keepdims: attr.int(1) });
  const xe = g.op('MatMul', [x, et]);
  const twoXe = g.op('Mul', [xe, g.constant('two', Float32Array.of(2), [])]);
  return g.op('Relu', [g.op('Add', [g.op('Sub', [xx, twoXe]), ee])]);
}

/** One step on the running value `x`; `h` is the bottleneck's input, which the scaled soft quantizer reads too. */
function emitStep(g: GraphBuilder, spec: InferenceSpec, step: InferenceStep, x: string, h: string): string {
  switch (step.op) {
    case 'linear':
      return g.op('Add', [g.op('MatMul', [x, g.weight(step.kernel, specWeight(spec, step.kernel))]), g.weight(step.bias, specWeight(spec, step.bias))]);
    case 'l2Normalize': {
      const norm = g.op('ReduceL2', [x], { axes: attr.ints([1]), keepdims: attr.int(1) });
      return g.op('Div', [x, g.op('Max', [norm, g.constant('epsilon', Float32Array.of(step.epsilon), [])])]);
    }
    case 'nearestCodeword': {
      const codebook = specWeight(spec, step.codebook);
      const d = squaredDistances(g, x, codebook, step.codebook);
      // ArgMin keeps the first index on ties (select_last_index = 0), as tf.argMin does.
      const k = g.op('ArgMin', [d], { axis: attr.int(1), keepdims: attr.int(0) });
      return g.op('Gather', [g.weight(step.codebook, codebook), k], { axis: attr.int(0) });
    }
    case 'softQuantize': {
      const codebook = specWeight(spec, step.codebook);
      const d = squaredDistances(g, x, codebook, step.codebook);
      const scale = g.constant('neg_half_inv_var', Float32Array.of(-1 / (2 * step.sigma * step.sigma)), []);
      const p = g.op('Softmax', [g.op('Mul', [d, scale])], { axis: attr.int(-1) });
      return g.op('MatMul', [p, g.weight(step.codebook, codebook)]);
    }
    case 'softQuantizeScaled': {
      // softmax_k(−½‖x − e_k‖²·e^{−2ℓ_k} + ℓ_k) with log scales ℓ = clip(h·W + b, ±limit), as in the bottleneck's
      // scaledSoftAssignments.
      const codebook = specWeight(spec, step.codebook);
      const d = squaredDistances(g, x, codebook, step.codebook);
      const linear = g.op('Add', [
        g.op('MatMul', [h, g.weight(step.scaleKernel, specWeight(spec, step.scaleKernel))]),
        g.weight(step.scaleBias, specWeight(spec, step.scaleBias)),
      ]);
      const limit = step.logScaleLimit;
      const logScale = g.op('Clip', [
        linear,
        g.constant('log_scale_min', Float32Array.of(-limit), []),
        g.constant('log_scale_max', Float32Array.of(limit), []),
      ]);
      const precision = g.op('Exp', [g.op('Mul', [g.constant('minus_two', Float32Array.of(-2), []), logScale])]);
      const scaled = g.op('Mul', [g.constant('minus_half', Float32Array.of(-0.5), []), g.op('Mul', [d, precision])]);
      const p = g.op('Softmax', [g.op('Add', [scaled, logScale])], { axis: attr.int(-1) });
      return g.op('MatMul', [p, g.weight(step.codebook, codebook)]);
    }
  }
}

const QUANTIZING: ReadonlySet<InferenceStep['op']> = new Set(['nearestCodeword', 'softQuantize', 'softQuantizeScaled']);

/** Appends the bottleneck's inference mode, reading encoder features `h` [batch, inputDim]. */
export function exportBottleneck(g: GraphBuilder, spec: InferenceSpec, h: string): BottleneckValues {
  let x = h;
  let width = spec.inputDim;
  let latent: { name: string; width: number } | undefined;
  for (const step of spec.steps) {
    if (latent === undefined && QUANTIZING.has(step.op)) latent = { name: x, width };
    x = emitStep(g, spec, step, x, h);
    if (step.op === 'linear') width = specWeight(spec, step.kernel).shape[1] as number;
  }
  if (width !== spec.codeDim) {
    throw new LatentkitError('INVALID_ARGUMENT', `the "${spec.kind}" bottleneck's inference steps produce width ${width}, but its codeDim is ${spec.codeDim}`);
  }
  return { code: x, latent: latent?.name ?? x, codeDim: width, latentDim: latent?.width ?? width };
}
