#include "rows.h"

#include <algorithm>
#include <cstring>

namespace latentkit {

std::size_t firstOutOfRange(const std::int32_t* indices, std::size_t count, std::size_t rows) {
  for (std::size_t k = 0; k < count; ++k)
    if (indices[k] < 0 || static_cast<std::size_t>(indices[k]) >= rows) return k;
  return count;
}

void gatherRows(const std::uint32_t* x, std::size_t rows, std::size_t inner, const std::int32_t* indices,
                std::size_t count, std::uint32_t* out, std::size_t begin, std::size_t end) {
  for (std::size_t r = begin; r < end; ++r) {
    const std::size_t o = r / count, k = r % count;
    std::memcpy(out + r * inner, x + (o * rows + static_cast<std::size_t>(indices[k])) * inner, inner * sizeof *x);
  }
}

void segmentSum(const float* data, const std::int32_t* ids, std::size_t n, std::size_t inner, std::size_t segments,
                float* out, std::size_t begin, std::size_t end) {
  const std::size_t width = end - begin;
  for (std::size_t s = 0; s < segments; ++s) std::fill(out + s * inner + begin, out + s * inner + end, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    if (ids[i] < 0 || static_cast<std::size_t>(ids[i]) >= segments) continue;
    float* to = out + static_cast<std::size_t>(ids[i]) * inner + begin;
    const float* from = data + i * inner + begin;
#pragma omp simd
    for (std::size_t j = 0; j < width; ++j) to[j] += from[j];
  }
}

}  // namespace latentkit
