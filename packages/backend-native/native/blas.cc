#include "blas.h"

#include <dlfcn.h>

#include <cstdlib>
#include <string>

namespace latentkit {
namespace {

// The CBLAS ABI every optimised BLAS exports.
enum CblasOrder { CblasRowMajor = 101 };
enum CblasTranspose { CblasNoTrans = 111, CblasTrans = 112 };
using SgemmFn = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);
using SetThreadsFn = void (*)(int);

struct Library {
  SgemmFn sgemm = nullptr;
  SetThreadsFn setThreads = nullptr;
  std::string name, error;
};

// LATENTKIT_BLAS names a library to use instead (a path or soname), or `none` to use onnxruntime's MLAS.
Library open() {
  Library lib;
  const char* chosen = std::getenv("LATENTKIT_BLAS");
  if (chosen && std::string(chosen) == "none") {
    lib.error = "LATENTKIT_BLAS=none";
    return lib;
  }
  // macOS's Accelerate exports the same CBLAS (not tried here: this project's machines run Linux).
  const char* candidates[] = {"libopenblas.so.0", "libopenblas.so", "libblis.so.4", "libmkl_rt.so.2", "libmkl_rt.so",
                              "libopenblas.dylib", "/System/Library/Frameworks/Accelerate.framework/Accelerate"};
  std::string tried;
  for (const char* name : candidates) {
    const char* path = chosen && *chosen ? chosen : name;
    if (void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)) {
      if (auto fn = reinterpret_cast<SgemmFn>(dlsym(handle, "cblas_sgemm"))) {
        lib.sgemm = fn;
        lib.name = path;
        // OpenBLAS's own pool would spin between calls on the core the main thread needs; the addon splits products
        // over its pool instead (gemm in addon.cc), so OpenBLAS computes on the calling thread only. Its threads,
        // started at load, stay idle. (Setting OPENBLAS_NUM_THREADS around dlopen would avoid them, but changing the
        // environment is not safe while other threads may read it.)
        lib.setThreads = reinterpret_cast<SetThreadsFn>(dlsym(handle, "openblas_set_num_threads"));
        if (lib.setThreads) lib.setThreads(1);
        return lib;
      }
      dlclose(handle);
    }
    tried += tried.empty() ? path : std::string(", ") + path;
    if (chosen && *chosen) break;
  }
  lib.error = chosen && *chosen ? "LATENTKIT_BLAS=" + std::string(chosen) + " does not load or has no cblas_sgemm"
                                 : "no BLAS found; install OpenBLAS for faster products (Debian/Ubuntu: apt-get install "
                                   "libopenblas0; tried " + tried + ")";
  return lib;
}

const Library& library() {
  static const Library lib = open();
  return lib;
}

}  // namespace

const char* blasName() { return library().name.c_str(); }
const char* blasError() { return library().error.c_str(); }
bool hasBlas() { return library().sgemm != nullptr; }

bool singleThreaded() { return library().setThreads != nullptr; }

void sgemmBlock(const GemmOperands& g, std::size_t row0, std::size_t rows, std::size_t col0, std::size_t cols) {
  if (rows == 0 || cols == 0) return;
  // Element (i, j) of op(A) sits at a[i·lda + j] untransposed and a[j·lda + i] transposed; likewise for B.
  const float* a = g.a + (g.transA ? row0 : row0 * g.k);
  const float* b = g.b + (g.transB ? col0 * g.k : col0);
  library().sgemm(CblasRowMajor, g.transA ? CblasTrans : CblasNoTrans, g.transB ? CblasTrans : CblasNoTrans,
                  static_cast<int>(rows), static_cast<int>(cols), static_cast<int>(g.k), 1.0f, a,
                  static_cast<int>(g.transA ? g.m : g.k), b, static_cast<int>(g.transB ? g.k : g.n), g.beta,
                  g.c + row0 * g.n + col0, static_cast<int>(g.n));
}

}  // namespace latentkit
