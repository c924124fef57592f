// im2col and col2im for NHWC images: the patches of a convolution as rows of a matrix whose columns run over
// (filter row, filter column, input channel), the order of a tfjs HWIO filter reshaped to [H·W·I, O]. So a
// convolution is one GEMM of the patches with the filter, its input gradient one GEMM then col2im, and its filter
// gradient one GEMM of the patches with dy, every result already in tfjs's layout.
#pragma once
#include <cstddef>

namespace latentkit {

struct ConvGeometry {
  std::size_t batch, inHeight, inWidth, channels;
  std::size_t filterHeight, filterWidth, outHeight, outWidth;
  std::size_t strideHeight, strideWidth, dilationHeight, dilationWidth;
  std::ptrdiff_t padTop, padLeft;

  std::size_t rows() const { return batch * outHeight * outWidth; }
  std::size_t columns() const { return filterHeight * filterWidth * channels; }
};

// Rows [begin, end) of the patch matrix; taps that fall in the padding are zeros.
void im2col(const ConvGeometry& g, const float* x, float* cols, std::size_t begin, std::size_t end);

// Images [begin, end) of dx = the sum of every patch row back into the pixels it was taken from.
void col2im(const ConvGeometry& g, const float* cols, float* dx, std::size_t begin, std::size_t end);

}  // namespace latentkit
