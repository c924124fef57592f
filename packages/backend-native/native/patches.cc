#include "patches.h"

#include <algorithm>
#include <cstring>

namespace latentkit {

namespace {
// Visits the taps of output pixel `row`: f(tap index, input pixel index or -1 for padding).
template <typename F>
inline void forEachTap(const ConvGeometry& g, std::size_t row, F f) {
  const std::size_t n = row / (g.outHeight * g.outWidth), pixel = row % (g.outHeight * g.outWidth);
  const auto oy = static_cast<std::ptrdiff_t>(pixel / g.outWidth), ox = static_cast<std::ptrdiff_t>(pixel % g.outWidth);
  const auto height = static_cast<std::ptrdiff_t>(g.inHeight), width = static_cast<std::ptrdiff_t>(g.inWidth);
  std::size_t tap = 0;
  for (std::size_t ky = 0; ky < g.filterHeight; ++ky) {
    const std::ptrdiff_t iy = oy * static_cast<std::ptrdiff_t>(g.strideHeight) - g.padTop + static_cast<std::ptrdiff_t>(ky * g.dilationHeight);
    for (std::size_t kx = 0; kx < g.filterWidth; ++kx, ++tap) {
      const std::ptrdiff_t ix = ox * static_cast<std::ptrdiff_t>(g.strideWidth) - g.padLeft + static_cast<std::ptrdiff_t>(kx * g.dilationWidth);
      const bool inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
      f(tap, inside ? static_cast<std::ptrdiff_t>((n * g.inHeight + iy) * g.inWidth + ix) : -1);
    }
  }
}
}  // namespace

void im2col(const ConvGeometry& g, const float* x, float* cols, std::size_t begin, std::size_t end) {
  const std::size_t c = g.channels;
  for (std::size_t row = begin; row < end; ++row) {
    float* out = cols + row * g.columns();
    forEachTap(g, row, [&](std::size_t tap, std::ptrdiff_t pixel) {
      if (pixel < 0) std::memset(out + tap * c, 0, c * sizeof(float));
      else std::memcpy(out + tap * c, x + pixel * c, c * sizeof(float));
    });
  }
}

void col2im(const ConvGeometry& g, const float* cols, float* dx, std::size_t begin, std::size_t end) {
  const std::size_t c = g.channels, image = g.inHeight * g.inWidth * c, perImage = g.outHeight * g.outWidth;
  std::fill(dx + begin * image, dx + end * image, 0.0f);
  for (std::size_t row = begin * perImage; row < end * perImage; ++row) {
    const float* in = cols + row * g.columns();
    forEachTap(g, row, [&](std::size_t tap, std::ptrdiff_t pixel) {
      if (pixel < 0) return;
      float* target = dx + pixel * c;
      const float* source = in + tap * c;
      for (std::size_t k = 0; k < c; ++k) target[k] += source[k];
    });
  }
}

}  // namespace latentkit
