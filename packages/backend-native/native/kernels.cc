// Picks the loops for this CPU once, at load time.
#include "kernels.h"

namespace latentkit {

#define LATENTKIT_DECLARE(isa)                                                                                        \
  namespace isa {                                                                                                     \
  void binary(Binary, const float*, std::size_t, std::size_t, const float*, std::size_t, std::size_t, float*,        \
              std::size_t, std::size_t, std::size_t);                                                                 \
  void unary(Unary, const float*, float*, std::size_t, std::size_t);                                                  \
  void adam(const AdamStep&, const float*, const float*, const float*, const float*, float*, float*, float*,         \
            std::size_t, std::size_t);                                                                                \
  }
LATENTKIT_DECLARE(generic)
#if defined(__x86_64__)
LATENTKIT_DECLARE(avx2)
#endif
#undef LATENTKIT_DECLARE

namespace {
bool hasAvx2() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}
const bool kAvx2 = hasAvx2();
}  // namespace

#if defined(__x86_64__)
#define LATENTKIT_DISPATCH(fn, ...) return kAvx2 ? avx2::fn(__VA_ARGS__) : generic::fn(__VA_ARGS__)
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

void adam(const AdamStep& s, const float* p, const float* g, const float* m, const float* v, float* pOut, float* mOut,
          float* vOut, std::size_t begin, std::size_t end) {
  LATENTKIT_DISPATCH(adam, s, p, g, m, v, pOut, mOut, vOut, begin, end);
}

const char* instructionSet() { return kAvx2 ? "avx2" : "generic"; }

}  // namespace latentkit
