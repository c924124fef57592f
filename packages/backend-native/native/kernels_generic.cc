// The loops for any CPU of the target architecture (SSE2 on x86-64).
#define LATENTKIT_ISA generic
#include "kernels_impl.h"
