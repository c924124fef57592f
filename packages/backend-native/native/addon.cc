// N-API entry points. Every tensor argument is an offset into one ArrayBuffer, the wasm backend's heap, where the
// kernels read inputs and write outputs in place; offsets are checked against its length before any loop runs.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "blas.h"
#include "kernels.h"
#include "patches.h"
#include "rows.h"
#include "pool.h"

namespace latentkit {
namespace {

// Below this many elements one thread finishes before a sleeping worker would have woken.
constexpr std::size_t kParallelElements = 1 << 16;

std::unique_ptr<Pool> pool;

Pool& threads() {
  if (!pool) pool = std::make_unique<Pool>(std::max(1u, std::thread::hardware_concurrency()));
  return *pool;
}

// Splits [0, n) over the pool when `work` (elements touched) is worth waking it for, in up to four chunks per
// thread of at least kParallelElements / 4 elements of work each.
template <typename Body>
void parallel(std::size_t n, Body body, std::size_t work = 0, std::size_t align = 16) {
  const std::size_t size = std::max(n, work);
  if (size < kParallelElements || threads().size() == 1 || n < 2) return body(std::size_t{0}, n);
  const std::size_t chunks = std::min<std::size_t>(4 * threads().size(), size / (kParallelElements / 4));
  threads().run(n, align, std::min(chunks, n), body);
}

struct Args {
  napi_env env;
  napi_value argv[20];
  std::size_t argc = 20;
  std::uint8_t* heap = nullptr;
  std::size_t heapBytes = 0;
  bool ok = true;

  Args(napi_env e, napi_callback_info info, std::size_t expected) : env(e) {
    napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
    if (argc < expected) fail("expected " + std::to_string(expected) + " arguments");
  }

  void fail(const std::string& message) {
    if (ok) napi_throw_type_error(env, nullptr, ("latentkit native kernel: " + message).c_str());
    ok = false;
  }

  double number(std::size_t k) {
    double x = 0;
    if (ok && napi_get_value_double(env, argv[k], &x) != napi_ok) fail("argument " + std::to_string(k) + " is not a number");
    return x;
  }

  std::size_t size(std::size_t k) {
    const double x = number(k);
    if (ok && !(x >= 0 && x <= 9007199254740991.0)) fail("argument " + std::to_string(k) + " is not a size");
    return static_cast<std::size_t>(x);
  }

  void buffer(std::size_t k) {
    void* data = nullptr;
    if (ok && napi_get_arraybuffer_info(env, argv[k], &data, &heapBytes) != napi_ok) fail("argument " + std::to_string(k) + " is not an ArrayBuffer");
    heap = static_cast<std::uint8_t*>(data);
  }

  // A float32 array of `count` elements at the byte offset in argument k.
  float* floats(std::size_t k, std::size_t count) {
    const std::size_t offset = size(k);
    if (ok && (offset % 4 != 0 || offset > heapBytes || count > (heapBytes - offset) / 4)) fail("argument " + std::to_string(k) + " lies outside the buffer");
    return ok ? reinterpret_cast<float*>(heap + offset) : nullptr;
  }
};

// binary(op, heap, a, aOuter, aInner, b, bOuter, bInner, out, outer, inner)
napi_value Binary(napi_env env, napi_callback_info info) {
  Args args(env, info, 11);
  args.buffer(1);
  const auto op = static_cast<latentkit::Binary>(args.size(0));
  const std::size_t aOuter = args.size(3), aInner = args.size(4), bOuter = args.size(6), bInner = args.size(7);
  const std::size_t outer = args.size(9), inner = args.size(10), n = outer * inner;
  if (!args.ok || n == 0) return nullptr;
  const auto extent = [&](std::size_t so, std::size_t si) { return (outer - 1) * so + (inner - 1) * si + 1; };
  const float* a = args.floats(2, extent(aOuter, aInner));
  const float* b = args.floats(5, extent(bOuter, bInner));
  float* out = args.floats(8, n);
  if (!args.ok) return nullptr;
  parallel(n, [&](std::size_t begin, std::size_t end) { binary(op, a, aOuter, aInner, b, bOuter, bInner, out, inner, begin, end); });
  return nullptr;
}

// unary(op, heap, x, out, n)
napi_value Unary(napi_env env, napi_callback_info info) {
  Args args(env, info, 5);
  args.buffer(1);
  const auto op = static_cast<latentkit::Unary>(args.size(0));
  const std::size_t n = args.size(4);
  const float* x = args.floats(2, n);
  float* out = args.floats(3, n);
  if (!args.ok) return nullptr;
  parallel(n, [&](std::size_t begin, std::size_t end) { unary(op, x, out, begin, end); });
  return nullptr;
}

// lstmCell(heap, gate, z, cPrev, h, c, gates, batch, units): gate 0 is the sigmoid, 1 the hard sigmoid.
napi_value LstmCell(napi_env env, napi_callback_info info) {
  Args args(env, info, 9);
  args.buffer(0);
  const std::size_t gate = args.size(1), batch = args.size(7), units = args.size(8);
  if (args.ok && gate > 1) args.fail("argument 1 is not a gate (0 sigmoid, 1 hard sigmoid)");
  const float* z = args.floats(2, 4 * batch * units);
  const float* cPrev = args.floats(3, batch * units);
  float* h = args.floats(4, batch * units);
  float* c = args.floats(5, batch * units);
  float* gates = args.floats(6, 4 * batch * units);
  if (!args.ok) return nullptr;
  const auto g = static_cast<Gate>(gate);
  parallel(batch, [&](std::size_t begin, std::size_t end) { lstmCell(g, z, cPrev, h, c, gates, units, begin, end); },
           8 * batch * units, 1);
  return nullptr;
}

// lstmCellGrad(heap, gate, dh, dc, gates, cPrev, c, dz, dcPrev, batch, units)
napi_value LstmCellGrad(napi_env env, napi_callback_info info) {
  Args args(env, info, 11);
  args.buffer(0);
  const std::size_t gate = args.size(1), batch = args.size(9), units = args.size(10);
  if (args.ok && gate > 1) args.fail("argument 1 is not a gate (0 sigmoid, 1 hard sigmoid)");
  const std::size_t n = batch * units;
  const float* dh = args.floats(2, n);
  const float* dc = args.floats(3, n);
  const float* gates = args.floats(4, 4 * n);
  const float* cPrev = args.floats(5, n);
  const float* c = args.floats(6, n);
  float* dz = args.floats(7, 4 * n);
  float* dcPrev = args.floats(8, n);
  if (!args.ok) return nullptr;
  const auto g = static_cast<Gate>(gate);
  parallel(batch, [&](std::size_t begin, std::size_t end) { lstmCellGrad(g, dh, dc, gates, cPrev, c, dz, dcPrev, units, begin, end); },
           12 * n, 1);
  return nullptr;
}

// adam(heap, tensors, lr, beta1, beta2, epsilon, c1, c2): one Adam step for every variable of a model at once.
// `tensors` is a Float64Array of 8 numbers per variable: the byte offsets of p, g, m, v, pOut, mOut, vOut and the
// element count. The variables are laid end to end and split over the pool as one loop.
napi_value Adam(napi_env env, napi_callback_info info) {
  Args args(env, info, 8);
  args.buffer(0);
  napi_typedarray_type type;
  std::size_t length = 0;
  void* data = nullptr;
  if (args.ok && (napi_get_typedarray_info(env, args.argv[1], &type, &length, &data, nullptr, nullptr) != napi_ok ||
                  type != napi_float64_array || length % 8 != 0))
    args.fail("argument 1 is not a Float64Array of 8 numbers per variable");
  const AdamStep step{static_cast<float>(args.number(2)), static_cast<float>(args.number(3)),
                      static_cast<float>(args.number(4)), static_cast<float>(args.number(5)),
                      static_cast<float>(args.number(6)), static_cast<float>(args.number(7))};
  if (!args.ok) return nullptr;
  const double* spec = static_cast<const double*>(data);
  struct Variable {
    const float *p, *g, *m, *v;
    float *pOut, *mOut, *vOut;
    std::size_t start, n;
  };
  std::vector<Variable> variables;
  std::size_t total = 0;
  for (std::size_t k = 0; k < length / 8; ++k) {
    const double* s = spec + 8 * k;
    const double n = s[7];
    if (!(n >= 0 && n <= 9007199254740991.0)) {
      args.fail("variable " + std::to_string(k) + " has no valid element count");
      return nullptr;
    }
    const std::size_t count = static_cast<std::size_t>(n);
    float* at[7];
    for (std::size_t j = 0; j < 7; ++j) {
      const double offset = s[j];
      if (!(offset >= 0 && offset <= static_cast<double>(args.heapBytes)) || static_cast<std::size_t>(offset) % 4 != 0 ||
          count > (args.heapBytes - static_cast<std::size_t>(offset)) / 4) {
        args.fail("variable " + std::to_string(k) + ": tensor " + std::to_string(j) + " lies outside the buffer");
        return nullptr;
      }
      at[j] = reinterpret_cast<float*>(args.heap + static_cast<std::size_t>(offset));
    }
    variables.push_back({at[0], at[1], at[2], at[3], at[4], at[5], at[6], total, count});
    total += count;
  }
  parallel(total, [&](std::size_t begin, std::size_t end) {
    for (const Variable& x : variables) {
      const std::size_t from = std::max(begin, x.start), to = std::min(end, x.start + x.n);
      if (from < to) adam(step, x.p, x.g, x.m, x.v, x.pOut, x.mOut, x.vOut, from - x.start, to - x.start);
    }
  });
  return nullptr;
}

// Below this many multiply-adds a product runs on the calling thread: a worker's wake-up costs more than half of it.
constexpr std::size_t kParallelMacs = 1 << 20;

// One product, split over the pool along its longer side in one chunk per thread, each a whole multiple of 16 rows or
// columns (the library's packed panels stay aligned). A thread that finds the other's chunk untaken runs it too.
// Every chunk packs the whole of the operand that is not split, so splitting the longer side keeps that one the
// smaller; two chunks per thread ran the LSTM's weight gradient (hᵀ · dgates, K = 32) at 0.62 ms instead of 0.42.
void gemm(const GemmOperands& g) {
  if (!singleThreaded() || g.m * g.n * g.k < kParallelMacs || threads().size() == 1) return sgemmBlock(g, 0, g.m, 0, g.n);
  if (g.n >= g.m) {
    threads().run(g.n, 16, threads().size(), [&](std::size_t begin, std::size_t end) { sgemmBlock(g, 0, g.m, begin, end - begin); });
  } else {
    threads().run(g.m, 16, threads().size(), [&](std::size_t begin, std::size_t end) { sgemmBlock(g, begin, end - begin, 0, g.n); });
  }
}

// gemm(heap, a, b, out, batch, m, n, k, transA, transB, aBatchStride, bBatchStride[, bias, biasOuter, biasInner]):
// out[i] = op(a[i]) · op(b[i]) (+ bias) for each of `batch` row-major products, batch strides in elements (0
// broadcasts one operand); the bias is read at bias[r·biasOuter + c·biasInner] for output row r, column c.
napi_value Gemm(napi_env env, napi_callback_info info) {
  Args args(env, info, 12);
  args.buffer(0);
  const std::size_t batch = args.size(4), m = args.size(5), n = args.size(6), k = args.size(7);
  const bool transA = args.number(8) != 0, transB = args.number(9) != 0;
  const std::size_t aStride = args.size(10), bStride = args.size(11);
  if (!args.ok || batch * m * n == 0) return nullptr;
  if (!hasBlas()) {
    args.fail(std::string("gemm needs a BLAS: ") + blasError());
    return nullptr;
  }
  const float* a = args.floats(1, (batch - 1) * aStride + m * k);
  const float* b = args.floats(2, (batch - 1) * bStride + k * n);
  float* out = args.floats(3, batch * m * n);
  const bool biased = args.argc >= 15;
  const float* bias = nullptr;
  std::size_t biasOuter = 0, biasInner = 0;
  if (biased) {
    biasOuter = args.size(13);
    biasInner = args.size(14);
    bias = args.floats(12, (m - 1) * biasOuter + (n - 1) * biasInner + 1);
  }
  if (!args.ok) return nullptr;
  for (std::size_t i = 0; i < batch; ++i) {
    float* c = out + i * m * n;
    if (biased) {
      parallel(m, [&](std::size_t begin, std::size_t end) {
        for (std::size_t r = begin; r < end; ++r)
          for (std::size_t j = 0; j < n; ++j) c[r * n + j] = bias[r * biasOuter + j * biasInner];
      }, m * n, 1);
    }
    const GemmOperands g{transA, transB, m, n, k, a + i * aStride, b + i * bStride, biased ? 1.0f : 0.0f, c};
    gemm(g);
  }
  return nullptr;
}

napi_value BlasName(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_string_utf8(env, hasBlas() ? blasName() : "", NAPI_AUTO_LENGTH, &result);
  return result;
}

napi_value BlasError(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_string_utf8(env, blasError(), NAPI_AUTO_LENGTH, &result);
  return result;
}

// The convolution geometry from arguments [k, k + 14): batch, inHeight, inWidth, channels, filterHeight,
// filterWidth, outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft.
ConvGeometry geometry(Args& args, std::size_t k) {
  std::size_t v[12];
  for (std::size_t i = 0; i < 12; ++i) v[i] = args.size(k + i);
  const double padTop = args.number(k + 12), padLeft = args.number(k + 13);
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
          static_cast<std::ptrdiff_t>(padTop), static_cast<std::ptrdiff_t>(padLeft)};
}

// im2col(heap, x, cols, ...geometry)
napi_value Im2col(napi_env env, napi_callback_info info) {
  Args args(env, info, 17);
  args.buffer(0);
  const ConvGeometry g = geometry(args, 3);
  const float* x = args.floats(1, g.batch * g.inHeight * g.inWidth * g.channels);
  float* cols = args.floats(2, g.rows() * g.columns());
  if (!args.ok) return nullptr;
  parallel(g.rows(), [&](std::size_t begin, std::size_t end) { im2col(g, x, cols, begin, end); }, g.rows() * g.columns(), 1);
  return nullptr;
}

// col2im(heap, cols, dx, ...geometry)
napi_value Col2im(napi_env env, napi_callback_info info) {
  Args args(env, info, 17);
  args.buffer(0);
  const ConvGeometry g = geometry(args, 3);
  const float* cols = args.floats(1, g.rows() * g.columns());
  float* dx = args.floats(2, g.batch * g.inHeight * g.inWidth * g.channels);
  if (!args.ok) return nullptr;
  parallel(g.batch, [&](std::size_t begin, std::size_t end) { col2im(g, cols, dx, begin, end); }, g.rows() * g.columns(), 1);
  return nullptr;
}

// A 4-byte array of `count` elements at the byte offset in argument k (int32 indices, or any 4-byte dtype).
template <typename T>
T* words(Args& args, std::size_t k, std::size_t count) {
  return reinterpret_cast<T*>(args.floats(k, count));
}

// gather(heap, x, outer, rows, inner, indices, count, out) → true, or false when an index is out of range (nothing
// written). x is [outer, rows, inner] and out [outer, count, inner], in 4-byte elements.
napi_value Gather(napi_env env, napi_callback_info info) {
  Args args(env, info, 8);
  args.buffer(0);
  const std::size_t outer = args.size(2), rows = args.size(3), inner = args.size(4), count = args.size(6);
  const auto* x = words<const std::uint32_t>(args, 1, outer * rows * inner);
  const auto* indices = words<const std::int32_t>(args, 5, count);
  auto* out = words<std::uint32_t>(args, 7, outer * count * inner);
  if (!args.ok) return nullptr;
  const bool inRange = firstOutOfRange(indices, count, rows) == count;
  if (inRange) {
    parallel(outer * count, [&](std::size_t begin, std::size_t end) { gatherRows(x, rows, inner, indices, count, out, begin, end); },
             outer * count * inner, 1);
  }
  napi_value result;
  napi_get_boolean(env, inRange, &result);
  return result;
}

// segmentSum(heap, data, ids, n, inner, segments, out): out[s, :] = Σ data[i, :] over ids[i] = s.
napi_value SegmentSum(napi_env env, napi_callback_info info) {
  Args args(env, info, 7);
  args.buffer(0);
  const std::size_t n = args.size(3), inner = args.size(4), segments = args.size(5);
  const float* data = args.floats(1, n * inner);
  const auto* ids = words<const std::int32_t>(args, 2, n);
  float* out = args.floats(6, segments * inner);
  if (!args.ok) return nullptr;
  // Split by columns, so that no two threads add into the same output element.
  parallel(inner, [&](std::size_t begin, std::size_t end) { segmentSum(data, ids, n, inner, segments, out, begin, end); },
           (n + segments) * inner, 16);
  return nullptr;
}

// reduce(op, heap, x, outer, r, inner, out): out[o, i] = op over k of x[o, k, i] (op: Sum, Mean, Max, Min).
napi_value ReduceAxes(napi_env env, napi_callback_info info) {
  Args args(env, info, 7);
  args.buffer(1);
  const auto op = static_cast<Reduce>(args.size(0));
  const std::size_t outer = args.size(3), r = args.size(4), inner = args.size(5);
  const float* x = args.floats(2, outer * r * inner);
  float* out = args.floats(6, outer * inner);
  if (!args.ok || outer * inner == 0) return nullptr;
  if (r == 0) {
    args.fail("cannot reduce over an empty axis");
    return nullptr;
  }
  const std::size_t work = outer * r * inner;
  // Split whichever output axis is longer; rows of one output each are split by rows, columns by column chunks.
  if (outer >= inner) {
    parallel(outer, [&](std::size_t begin, std::size_t end) { reduce(op, x, r, inner, out, begin, end, 0, inner); }, work, 1);
  } else {
    parallel(inner, [&](std::size_t begin, std::size_t end) { reduce(op, x, r, inner, out, 0, outer, begin, end); }, work, 16);
  }
  return nullptr;
}

// setThreads(n): the pool size for later kernels (1 = the calling thread only).
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args args(env, info, 1);
  const std::size_t n = args.size(0);
  if (!args.ok) return nullptr;
  if (n < 1 || n > 256) {
    args.fail("threads must be between 1 and 256");
    return nullptr;
  }
  pool = std::make_unique<Pool>(static_cast<unsigned>(n));
  return nullptr;
}

napi_value Threads(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_uint32(env, threads().size(), &result);
  return result;
}

napi_value InstructionSet(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_string_utf8(env, instructionSet(), NAPI_AUTO_LENGTH, &result);
  return result;
}

// useInstructionSet(name) → whether the CPU has that variant ("avx512", "avx2", "generic"), now in use.
napi_value UseInstructionSet(napi_env env, napi_callback_info info) {
  Args args(env, info, 1);
  char name[16] = {0};
  std::size_t length = 0;
  if (napi_get_value_string_utf8(env, args.argv[0], name, sizeof name, &length) != napi_ok) args.fail("argument 0 is not a string");
  if (!args.ok) return nullptr;
  napi_value result;
  napi_get_boolean(env, useInstructionSet(name), &result);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor properties[] = {
      {"binary", nullptr, Binary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unary", nullptr, Unary, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmCell", nullptr, LstmCell, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"lstmCellGrad", nullptr, LstmCellGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, Adam, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"im2col", nullptr, Im2col, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"col2im", nullptr, Col2im, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gather", nullptr, Gather, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"segmentSum", nullptr, SegmentSum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reduce", nullptr, ReduceAxes, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blasName", nullptr, BlasName, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blasError", nullptr, BlasError, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"threads", nullptr, Threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"useInstructionSet", nullptr, UseInstructionSet, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"instructionSet", nullptr, InstructionSet, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace
}  // namespace latentkit

NAPI_MODULE(NODE_GYP_MODULE_NAME, latentkit::Init)
