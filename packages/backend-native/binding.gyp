{
  "targets": [
    {
      "target_name": "latentkit_native",
      "sources": ["native/addon.cc", "native/kernels.cc", "native/kernels_generic.cc", "native/kernels_avx2.cc", "native/kernels_avx512.cc", "native/patches.cc", "native/blas.cc", "native/rows.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp-simd", "-fno-math-errno", "-fno-trapping-math", "-pthread"],
      "ldflags": ["-pthread"],
      "libraries": ["-ldl"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
