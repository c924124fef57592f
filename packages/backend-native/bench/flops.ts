/**
 * Floating-point operations per training step of each workload in bench/workloads.ts, counted analytically from its
 * shapes, so that a step time becomes GFLOP/s and a share of the machine's measured SGEMM peak.
 *
 * How we count: matrix products and convolutions only (element-wise ops, softmax, Adam and gathers are left out;
 * they are memory-bound and a few percent of the products' FLOPs). A product of [m, k] · [k, n] is m·k·n
 * multiply-adds = 2·m·k·n FLOPs. A convolution (or transposed convolution) is the GEMM its im2col form runs:
 * output pixels × filter height × width × input channels × output channels multiply-adds, padding zeros included.
 * The backward pass costs each product again for its weight gradient, and again for its input gradient unless that
 * input is fixed data (the BoW counts, the conv AE's images, the encoder LSTM's zero first state: neither tfjs nor
 * PyTorch computes a gradient for those). So a step is ≈ 3× the forward products, a little less where the first
 * layer reads data: the LSTM-VAE's 55.6 GFLOP per step is issue 22's "≈ 56".
 */
import type { WorkloadName } from './workloads.js';

/** One kind of product in a step: `count` products of `macs` multiply-adds each, `dataInput` if its input needs no gradient. */
interface Product {
  readonly macs: number;
  readonly count?: number;
  readonly dataInput?: boolean;
}

function stepFlops(products: readonly Product[]): { forward: number; step: number } {
  let forward = 0;
  let step = 0;
  for (const { macs, count = 1, dataInput = false } of products) {
    forward += 2 * macs * count;
    step += 2 * macs * count * (dataInput ? 2 : 3);
  }
  return { forward, step };
}

function lstmVae(): Product[] {
  const [vocab, emb, hidden, latent, batch, steps] = [10_000, 256, 512, 32, 32, 35];
  const tokens = batch * steps;
  return [
    // Encoder and decoder: the input projection of all steps at once (the embedding is trained, so it gets a gradient).
    { macs: tokens * emb * 4 * hidden, count: 2 },
    // The recurrent products, one per step and LSTM; the encoder's first reads the fixed zero state.
    { macs: batch * hidden * 4 * hidden, count: 2 * steps - 1 },
    { macs: batch * hidden * 4 * hidden, dataInput: true },
    { macs: batch * hidden * latent, count: 2 }, // μ, log σ²
    { macs: batch * latent * hidden }, // z → the decoder's first state
    { macs: tokens * hidden * vocab }, // logits
  ];
}

function bowVae(): Product[] {
  const [vocab, hidden, latent, batch] = [2000, 500, 50, 64];
  return [{ macs: batch * vocab * hidden, dataInput: true }, { macs: batch * hidden * latent, count: 2 }, { macs: batch * latent * vocab }];
}

function convAe(): Product[] {
  const batch = 128;
  const k = 3 * 3;
  return [
    { macs: batch * 14 * 14 * k * 1 * 32, dataInput: true }, // conv 1 → 32, 28² → 14², reads the images
    { macs: batch * 7 * 7 * k * 32 * 64 }, // conv 32 → 64, 14² → 7²
    { macs: batch * 7 * 7 * 64 * 32 }, // dense 3136 → 32
    { macs: batch * 32 * 7 * 7 * 64 }, // dense 32 → 3136
    { macs: batch * 7 * 7 * k * 64 * 32 }, // transposed conv 64 → 32, 7² → 14² (each input pixel × filter)
    { macs: batch * 14 * 14 * k * 32 * 1 }, // transposed conv 32 → 1, 14² → 28²
  ];
}

const PRODUCTS: Record<WorkloadName, () => Product[]> = { 'lstm-vae': lstmVae, 'bow-vae': bowVae, 'conv-ae': convAe };

/** FLOPs of the forward pass and of one training step (forward + backward) of `workload`. */
export function workloadFlops(workload: WorkloadName): { forward: number; step: number } {
  return stepFlops(PRODUCTS[workload]());
}
