// The loops for x86-64 CPUs with AVX2 and FMA (Haswell, 2013, and later); kernels.cc calls them only there.
#if defined(__x86_64__)
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#pragma GCC target("avx2,fma")
#define LATENTKIT_ISA avx2
#include "kernels_impl.h"
#endif
