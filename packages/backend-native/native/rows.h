// Row gathers and their adjoint, the segment sum: an embedding lookup (GatherV2 along axis 0) and its gradient
// (UnsortedSegmentSum). Rows are `inner` 4-byte elements (float32 or int32 alike for a gather).
#pragma once
#include <cstddef>
#include <cstdint>

namespace latentkit {

// Index k of `indices` out of [0, rows) (or `count` when all are in range): tfjs throws on those, so the caller
// leaves them to its fallback kernel to report.
std::size_t firstOutOfRange(const std::int32_t* indices, std::size_t count, std::size_t rows);

// out[o, k, :] = x[o, indices[k], :] for output rows [begin, end) of the flattened (o, k).
void gatherRows(const std::uint32_t* x, std::size_t rows, std::size_t inner, const std::int32_t* indices,
                std::size_t count, std::uint32_t* out, std::size_t begin, std::size_t end);

// out[s, j] = Σ data[i, j] over the i with ids[i] = s, for columns j in [begin, end); ids outside
// [0, segments) are dropped, as tfjs does.
void segmentSum(const float* data, const std::int32_t* ids, std::size_t n, std::size_t inner, std::size_t segments,
                float* out, std::size_t begin, std::size_t end);

}  // namespace latentkit
