// Matrix products on a system BLAS (OpenBLAS, BLIS or MKL), opened at run time rather than linked: the addon builds
// and loads on machines without one, and picks one up as soon as it is installed (Debian: libopenblas0). OpenBLAS
// is what PyTorch and NumPy multiply with on Linux; onnxruntime's MLAS, the fallback, ran the LSTM-VAE's per-step
// products ([32, 512] · [512, 2048]) at half its speed.
#pragma once
#include <cstddef>

namespace latentkit {

// The library in use ("" when none loaded) and, if none, why.
const char* blasName();
const char* blasError();
bool hasBlas();

// Row-major C[m, n] = op(A) · op(B) + beta · C, op transposing when asked; A is [m, k] or (transA) [k, m], B is
// [k, n] or (transB) [n, k].
struct GemmOperands {
  bool transA, transB;
  std::size_t m, n, k;
  const float* a;
  const float* b;
  float beta;
  float* c;
};

// Computes the block C[row0 : row0 + rows, col0 : col0 + cols]. Call only when hasBlas().
void sgemmBlock(const GemmOperands& g, std::size_t row0, std::size_t rows, std::size_t col0, std::size_t cols);

// True when the library runs on the calling thread only (OpenBLAS, set to one thread at load), so that the addon
// should split large products over its own pool; other libraries thread internally.
bool singleThreaded();

}  // namespace latentkit
