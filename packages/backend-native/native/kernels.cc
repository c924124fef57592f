// Picks the loops for this CPU once, at load time.
#include "kernels.h"

#include <string>

namespace latentkit {

#define LATENTKIT_DECLARE(isa)                                                                                        \
  namespace isa {                                                                                                     \
  void binary(Binary, const float*, std::size_t, std::size_t, const float*, std::size_t, std::size_t, float*,        \
              std::size_t, std::size_t, std::size_t);                                                                 \
  void unary(Unary, const float*, float*, std::size_t, std::size_t);                                                  \
  void reduce(Reduce, const float*, std::size_t, std::size_t, float*, std::size_t, std::size_t, std::size_t,         \
              std::size_t);                                                                                           \
  void adam(const AdamStep&, const float*, const float*, const float*, const float*, float*, float*, float*,         \
            std::size_t, std::size_t);                                                                                \
  void lstmCell(Gate, const float*, const float*, float*, float*, float*, std::size_t, std::size_t, std::size_t);     \
  void lstmCellGrad(Gate, const float*, const float*, const float*, const float*, const float*, float*, float*,       \
                    std::size_t, std::size_t, std::size_t);                                                           \
  }
LATENTKIT_DECLARE(generic)
#if defined(__x86_64__)
LATENTKIT_DECLARE(avx2)
LATENTKIT_DECLARE(avx512)
#endif
#undef LATENTKIT_DECLARE

namespace {
enum class Isa { Generic, Avx2, Avx512 };

Isa detect() {
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512bw"))
    return Isa::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
#endif
  return Isa::Generic;
}
const Isa kBest = detect();
Isa kIsa = kBest;
}  // namespace

#if defined(__x86_64__)
#define LATENTKIT_DISPATCH(fn, ...)                               \
  switch (kIsa) {                                                 \
    case Isa::Avx512: return avx512::fn(__VA_ARGS__);             \
    case Isa::Avx2: return avx2::fn(__VA_ARGS__);                 \
    default: return generic::fn(__VA_ARGS__);                     \
  }
#else
#define LATENTKIT_DISPATCH(fn, ...) return generic::fn(__VA_ARGS__)
#endif

void binary(Binary op, const float* a, std::size_t aOuter, std::size_t aInner, const float* b, std::size_t bOuter,
            std::size_t bInner, float* out, std::size_t inner, std::size_t begin, std::size_t end) {
  LATENTKIT_DISPATCH(binary, op, a, aOuter, aInner, b, bOuter, bInner, out, inner, begin, end);
}

void unary(Unary op, const float* x, float* out, std::size_t begin, std::size_t end) {
  LATENTKIT_DISPATCH(unary, op, x, out, begin, end);
}

void reduce(Reduce op, const float* x, std::size_t r, std::size_t inner, float* out, std::size_t oBegin,
            std::size_t oEnd, std::size_t iBegin, std::size_t iEnd) {
  LATENTKIT_DISPATCH(reduce, op, x, r, inner, out, oBegin, oEnd, iBegin, iEnd);
}

void adam(const AdamStep& s, const float* p, const float* g, const float* m, const float* v, float* pOut, float* mOut,
          float* vOut, std::size_t begin, std::size_t end) {
  LATENTKIT_DISPATCH(adam, s, p, g, m, v, pOut, mOut, vOut, begin, end);
}

void lstmCell(Gate gate, const float* z, const float* cPrev, float* h, float* c, float* gates, std::size_t units,
              std::size_t begin, std::size_t end) {
  LATENTKIT_DISPATCH(lstmCell, gate, z, cPrev, h, c, gates, units, begin, end);
}

void lstmCellGrad(Gate gate, const float* dh, const float* dc, const float* gates, const float* cPrev, const float* c,
                  float* dz, float* dcPrev, std::size_t units, std::size_t begin, std::size_t end) {
  LATENTKIT_DISPATCH(lstmCellGrad, gate, dh, dc, gates, cPrev, c, dz, dcPrev, units, begin, end);
}

const char* instructionSet() { return kIsa == Isa::Avx512 ? "avx512" : kIsa == Isa::Avx2 ? "avx2" : "generic"; }

bool useInstructionSet(const char* name) {
  const std::string n = name;
  const Isa wanted = n == "avx512" ? Isa::Avx512 : n == "avx2" ? Isa::Avx2 : n == "generic" ? Isa::Generic : kBest;
  if ((n != "avx512" && n != "avx2" && n != "generic") || static_cast<int>(wanted) > static_cast<int>(kBest)) return false;
  kIsa = wanted;
  return true;
}

}  // namespace latentkit
