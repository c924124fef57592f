// The loops for x86-64 CPUs with AVX-512 (Skylake-SP, 2017, and later), in 512-bit vectors: twice AVX2's width and
// registers, which exp, tanh and sigmoid are bound by. kernels.cc calls them only where the CPU has them.
#if defined(__x86_64__)
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#pragma GCC target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma,prefer-vector-width=512")
#define LATENTKIT_ISA avx512
#include "kernels_impl.h"
#endif
