// Float32 loops over memory the caller owns (the wasm heap). Each function does [begin, end) of its output so that
// the pool can split it. Compiled once per instruction set (kernels_impl.h) and picked at load time, so one build
// runs on any x86-64 and uses AVX2/FMA where the CPU has them.
#pragma once
#include <cstddef>

namespace latentkit {

// First returns its left operand: a broadcast copy (Tile and broadcastTo) through the same strided loop.
enum class Binary { Add, Sub, Mul, Div, Max, Min, SquaredDifference, First };
enum class Unary { Neg, Exp, Sqrt, Rsqrt, Square, Tanh, Sigmoid, Relu, Abs, Reciprocal };

// out[i, j] = a[i·aOuter + j·aInner] ∘ b[i·bOuter + j·bInner] for i < outer, j in the chunk of inner; inner strides
// are 0 (broadcast) or 1.
void binary(Binary op, const float* a, std::size_t aOuter, std::size_t aInner, const float* b, std::size_t bOuter,
            std::size_t bInner, float* out, std::size_t inner, std::size_t begin, std::size_t end);

void unary(Unary op, const float* x, float* out, std::size_t begin, std::size_t end);

// Reductions of float32 over one contiguous run of axes: x viewed as [outer, r, inner] reduces to out[outer, inner].
// This computes outputs (o, i) for o in [oBegin, oEnd) and i in [iBegin, iEnd). Sums accumulate in float64, so a
// 10 000-long row sums as accurately as its inputs allow; Max and Min propagate NaN, as tfjs does.
enum class Reduce { Sum, Mean, Max, Min };
void reduce(Reduce op, const float* x, std::size_t r, std::size_t inner, float* out, std::size_t oBegin,
            std::size_t oEnd, std::size_t iBegin, std::size_t iEnd);

// One Adam step, as tf.train.adam computes it: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
// p ← p − lr · (m / c₁) / (√(v / c₂) + ε), with c = 1 − βᵗ.
struct AdamStep {
  float lr, beta1, beta2, epsilon, c1, c2;
};
void adam(const AdamStep& s, const float* p, const float* g, const float* m, const float* v, float* pOut, float* mOut,
          float* vOut, std::size_t begin, std::size_t end);

// The element-wise part of one LSTM step over batch rows [begin, end) of `units` each (core's lstm-cell.ts has the
// same maths as tf ops): z holds the pre-activation gates i, f, c̃, o side by side per row; gates gets them
// activated (i, f, tanh c̃, o). The gate function of i, f, o is the logistic sigmoid or tfjs's hard sigmoid
// clip(0.2·z + 0.5, 0, 1), whose derivative is taken as 0.2 strictly inside (0, 1).
enum class Gate { Sigmoid, HardSigmoid };
void lstmCell(Gate gate, const float* z, const float* cPrev, float* h, float* c, float* gates, std::size_t units,
              std::size_t begin, std::size_t end);
// Given dh and dc, the gradients of the step's h and c from everything after it: dz (as z) and dcPrev.
void lstmCellGrad(Gate gate, const float* dh, const float* dc, const float* gates, const float* cPrev, const float* c,
                  float* dz, float* dcPrev, std::size_t units, std::size_t begin, std::size_t end);

// "avx512", "avx2" or "generic": the compiled variant in use (the widest this CPU has, unless lowered).
const char* instructionSet();

// Switches to the named variant when this CPU has it (for tests of every variant on one machine); false otherwise.
bool useInstructionSet(const char* name);

}  // namespace latentkit
