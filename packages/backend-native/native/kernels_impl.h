// The loops behind kernels.h, compiled once per instruction set: kernels_generic.cc includes this file as is,
// kernels_avx2.cc under `#pragma GCC target("avx2,fma")`, so that the inlined vector_math.h helpers are compiled for
// the same instruction set as the loops that call them (GCC's target_clones does not carry into inlined callees).
// Include guards are deliberately absent: each translation unit includes it once, with its own LATENTKIT_ISA.
#include "kernels.h"
#include "vector_math.h"

#include <algorithm>
#include <cmath>

namespace latentkit {
namespace LATENTKIT_ISA {
namespace {

template <Binary op>
inline float apply(float x, float y) {
  if constexpr (op == Binary::Add) return x + y;
  if constexpr (op == Binary::Sub) return x - y;
  if constexpr (op == Binary::Mul) return x * y;
  if constexpr (op == Binary::Div) return x / y;
  // NaN wins, as in TensorFlow and tfjs's other backends.
  if constexpr (op == Binary::Max) return (x != x || x > y) ? x : y;
  if constexpr (op == Binary::Min) return (x != x || x < y) ? x : y;
  if constexpr (op == Binary::SquaredDifference) return (x - y) * (x - y);
  if constexpr (op == Binary::First) return x;
}

template <Binary op>
inline void row(const float* a, bool aFull, const float* b, bool bFull, float* out, std::size_t n) {
  if (aFull && bFull) {
#pragma omp simd
    for (std::size_t j = 0; j < n; ++j) out[j] = apply<op>(a[j], b[j]);
  } else if (aFull) {
    const float y = *b;
#pragma omp simd
    for (std::size_t j = 0; j < n; ++j) out[j] = apply<op>(a[j], y);
  } else if (bFull) {
    const float x = *a;
#pragma omp simd
    for (std::size_t j = 0; j < n; ++j) out[j] = apply<op>(x, b[j]);
  } else {
    const float z = apply<op>(*a, *b);
    std::fill(out, out + n, z);
  }
}

template <Binary op>
void binaryLoop(const float* a, std::size_t aOuter, std::size_t aInner, const float* b,
                                 std::size_t bOuter, std::size_t bInner, float* out, std::size_t inner,
                                 std::size_t begin, std::size_t end) {
  for (std::size_t k = begin; k < end;) {
    const std::size_t i = k / inner, j = k % inner, n = std::min(inner - j, end - k);
    row<op>(a + i * aOuter + j * aInner, aInner != 0, b + i * bOuter + j * bInner, bInner != 0, out + k, n);
    k += n;
  }
}

template <Unary op>
void unaryLoop(const float* x, float* out, std::size_t begin, std::size_t end) {
#pragma omp simd
  for (std::size_t i = begin; i < end; ++i) {
    const float v = x[i];
    float y;
    if constexpr (op == Unary::Neg) y = -v;
    if constexpr (op == Unary::Exp) y = vexp(v);
    if constexpr (op == Unary::Sqrt) y = std::sqrt(v);
    if constexpr (op == Unary::Rsqrt) y = 1.0f / std::sqrt(v);
    if constexpr (op == Unary::Square) y = v * v;
    if constexpr (op == Unary::Tanh) y = vtanh(v);
    if constexpr (op == Unary::Sigmoid) y = vsigmoid(v);
    if constexpr (op == Unary::Relu) y = v > 0.0f ? v : (v != v ? v : 0.0f);
    if constexpr (op == Unary::Abs) y = std::fabs(v);
    if constexpr (op == Unary::Reciprocal) y = 1.0f / v;
    out[i] = y;
  }
}

// Reductions (see kernels.h).
inline float pick(Reduce op, float best, float v) {
  // NaN sticks: once `best` is NaN neither comparison holds.
  if (op == Reduce::Max) return (v > best || v != v) ? v : best;
  return (v < best || v != v) ? v : best;
}

// One row of r elements, the inner == 1 case.
float reduceRow(Reduce op, const float* x, std::size_t r) {
  if (op == Reduce::Sum || op == Reduce::Mean) {
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (std::size_t k = 0; k < r; ++k) sum += x[k];
    return static_cast<float>(op == Reduce::Mean ? sum / static_cast<double>(r) : sum);
  }
  // Sixteen running extremes side by side, so that the loop vectorises; then the lanes and the tail.
  constexpr std::size_t kLanes = 16;
  float best = x[0];
  std::size_t k = 1;
  if (r >= 2 * kLanes) {
    float lanes[kLanes];
    std::copy(x, x + kLanes, lanes);
    for (k = kLanes; k + kLanes <= r; k += kLanes) {
#pragma omp simd
      for (std::size_t j = 0; j < kLanes; ++j) lanes[j] = pick(op, lanes[j], x[k + j]);
    }
    best = lanes[0];
    for (std::size_t j = 1; j < kLanes; ++j) best = pick(op, best, lanes[j]);
  }
  for (; k < r; ++k) best = pick(op, best, x[k]);
  return best;
}

// Columns [iBegin, iEnd) of an [r, inner] block, reduced down its rows.
void reduceColumns(Reduce op, const float* x, std::size_t r, std::size_t inner, float* out, std::size_t iBegin,
                   std::size_t iEnd) {
  constexpr std::size_t kWidth = 512;
  double sums[kWidth];
  for (std::size_t i0 = iBegin; i0 < iEnd; i0 += kWidth) {
    const std::size_t w = std::min(kWidth, iEnd - i0);
    if (op == Reduce::Sum || op == Reduce::Mean) {
      std::fill(sums, sums + w, 0.0);
      for (std::size_t k = 0; k < r; ++k) {
        const float* row = x + k * inner + i0;
#pragma omp simd
        for (std::size_t j = 0; j < w; ++j) sums[j] += row[j];
      }
      const double scale = op == Reduce::Mean ? 1.0 / static_cast<double>(r) : 1.0;
      for (std::size_t j = 0; j < w; ++j) out[i0 + j] = static_cast<float>(sums[j] * scale);
    } else {
      std::copy(x + i0, x + i0 + w, out + i0);
      for (std::size_t k = 1; k < r; ++k) {
        const float* row = x + k * inner + i0;
        float* best = out + i0;
#pragma omp simd
        for (std::size_t j = 0; j < w; ++j) best[j] = pick(op, best[j], row[j]);
      }
    }
  }
}

}  // namespace

void binary(Binary op, const float* a, std::size_t aOuter, std::size_t aInner, const float* b, std::size_t bOuter,
            std::size_t bInner, float* out, std::size_t inner, std::size_t begin, std::size_t end) {
#define LATENTKIT_CASE(name) \
  case Binary::name:         \
    return binaryLoop<Binary::name>(a, aOuter, aInner, b, bOuter, bInner, out, inner, begin, end);
  switch (op) {
    LATENTKIT_CASE(Add)
    LATENTKIT_CASE(Sub)
    LATENTKIT_CASE(Mul)
    LATENTKIT_CASE(Div)
    LATENTKIT_CASE(Max)
    LATENTKIT_CASE(Min)
    LATENTKIT_CASE(SquaredDifference)
    LATENTKIT_CASE(First)
  }
#undef LATENTKIT_CASE
}

void unary(Unary op, const float* x, float* out, std::size_t begin, std::size_t end) {
#define LATENTKIT_CASE(name) \
  case Unary::name:          \
    return unaryLoop<Unary::name>(x, out, begin, end);
  switch (op) {
    LATENTKIT_CASE(Neg)
    LATENTKIT_CASE(Exp)
    LATENTKIT_CASE(Sqrt)
    LATENTKIT_CASE(Rsqrt)
    LATENTKIT_CASE(Square)
    LATENTKIT_CASE(Tanh)
    LATENTKIT_CASE(Sigmoid)
    LATENTKIT_CASE(Relu)
    LATENTKIT_CASE(Abs)
    LATENTKIT_CASE(Reciprocal)
  }
#undef LATENTKIT_CASE
}

void reduce(Reduce op, const float* x, std::size_t r, std::size_t inner, float* out, std::size_t oBegin,
            std::size_t oEnd, std::size_t iBegin, std::size_t iEnd) {
  for (std::size_t o = oBegin; o < oEnd; ++o) {
    const float* block = x + o * r * inner;
    if (inner == 1) {
      out[o] = reduceRow(op, block, r);
    } else {
      reduceColumns(op, block, r, inner, out + o * inner, iBegin, iEnd);
    }
  }
}

void adam(const AdamStep& s, const float* p, const float* g, const float* m, const float* v,
                           float* pOut, float* mOut, float* vOut, std::size_t begin, std::size_t end) {
  const float a1 = 1.0f - s.beta1, a2 = 1.0f - s.beta2;
#pragma omp simd
  for (std::size_t i = begin; i < end; ++i) {
    const float gi = g[i];
    const float mi = s.beta1 * m[i] + a1 * gi;
    const float vi = s.beta2 * v[i] + a2 * (gi * gi);
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = p[i] - s.lr * ((mi / s.c1) / (std::sqrt(vi / s.c2) + s.epsilon));
  }
}

namespace {
template <Gate gate>
inline float gateOf(float z) {
  if constexpr (gate == Gate::Sigmoid) return vsigmoid(z);
  const float y = 0.2f * z + 0.5f;
  return y < 0.0f ? 0.0f : (y > 1.0f ? 1.0f : y);
}

// The gate function's derivative from its output.
template <Gate gate>
inline float gateSlope(float a) {
  if constexpr (gate == Gate::Sigmoid) return a * (1.0f - a);
  return a > 0.0f && a < 1.0f ? 0.2f : 0.0f;
}

template <Gate gate>
void lstmCellRows(const float* z, const float* cPrev, float* h, float* c, float* gates, std::size_t units,
                  std::size_t begin, std::size_t end) {
  for (std::size_t r = begin; r < end; ++r) {
    const float* zr = z + r * 4 * units;
    float* gr = gates + r * 4 * units;
    const float* cp = cPrev + r * units;
    float* hr = h + r * units;
    float* cr = c + r * units;
#pragma omp simd
    for (std::size_t j = 0; j < units; ++j) {
      const float i = gateOf<gate>(zr[j]), f = gateOf<gate>(zr[units + j]);
      const float g = vtanh(zr[2 * units + j]), o = gateOf<gate>(zr[3 * units + j]);
      const float cj = f * cp[j] + i * g;
      gr[j] = i;
      gr[units + j] = f;
      gr[2 * units + j] = g;
      gr[3 * units + j] = o;
      cr[j] = cj;
      hr[j] = o * vtanh(cj);
    }
  }
}

template <Gate gate>
void lstmCellGradRows(const float* dh, const float* dc, const float* gates, const float* cPrev, const float* c,
                      float* dz, float* dcPrev, std::size_t units, std::size_t begin, std::size_t end) {
  for (std::size_t r = begin; r < end; ++r) {
    const float* gr = gates + r * 4 * units;
    float* dzr = dz + r * 4 * units;
    const std::size_t o = r * units;
#pragma omp simd
    for (std::size_t j = 0; j < units; ++j) {
      const float i = gr[j], f = gr[units + j], g = gr[2 * units + j], og = gr[3 * units + j];
      const float tc = vtanh(c[o + j]), dhj = dh[o + j];
      const float dcTotal = dc[o + j] + dhj * og * (1.0f - tc * tc);
      dzr[j] = dcTotal * g * gateSlope<gate>(i);
      dzr[units + j] = dcTotal * cPrev[o + j] * gateSlope<gate>(f);
      dzr[2 * units + j] = dcTotal * i * (1.0f - g * g);
      dzr[3 * units + j] = dhj * tc * gateSlope<gate>(og);
      dcPrev[o + j] = dcTotal * f;
    }
  }
}
}  // namespace

void lstmCell(Gate gate, const float* z, const float* cPrev, float* h, float* c, float* gates, std::size_t units,
              std::size_t begin, std::size_t end) {
  if (gate == Gate::Sigmoid) return lstmCellRows<Gate::Sigmoid>(z, cPrev, h, c, gates, units, begin, end);
  return lstmCellRows<Gate::HardSigmoid>(z, cPrev, h, c, gates, units, begin, end);
}

void lstmCellGrad(Gate gate, const float* dh, const float* dc, const float* gates, const float* cPrev, const float* c,
                  float* dz, float* dcPrev, std::size_t units, std::size_t begin, std::size_t end) {
  if (gate == Gate::Sigmoid) return lstmCellGradRows<Gate::Sigmoid>(dh, dc, gates, cPrev, c, dz, dcPrev, units, begin, end);
  return lstmCellGradRows<Gate::HardSigmoid>(dh, dc, gates, cPrev, c, dz, dcPrev, units, begin, end);
}

}  // namespace LATENTKIT_ISA
}  // namespace latentkit
