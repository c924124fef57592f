"""The 2048 x 2048 float32 product of bench/peak.ts through numpy (Debian's python3-numpy on the system's
libblas.so.3, OpenBLAS where that is installed) and through PyTorch (its own BLAS), on every core: references for
the machine's peak in bench/run.ts.

Usage: /usr/bin/python3 sgemm_reference.py <runs> [warmup runs, default 2]
Prints one JSON line {"numpy": {"blas", "ms": [...]}, "torch": {"threads", "ms": [...]}, "torch1": (the same on one
thread)} ("torch" and "torch1" absent without torch).
"""
import json
import os
import sys
import time

import numpy as np

N = 2048


def timed(product, runs, warmup):
    ms = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        product()
        if i >= warmup:
            ms.append((time.perf_counter() - t0) * 1000)
    return ms


def numpy_blas():
    """The library numpy's BLAS calls land in, read from the process's own mappings (show_config only names 'blas')."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in os.path.basename(line.split()[-1]).lower()}
        return ", ".join(sorted(os.path.basename(os.path.realpath(lib)) for lib in libs)) or "unknown"
    except OSError:
        return "unknown"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    warmup = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (N, N)).astype(np.float32)
    b = rng.uniform(-1, 1, (N, N)).astype(np.float32)
    c = np.empty((N, N), np.float32)
    out = {"n": N, "numpy": {"ms": timed(lambda: np.matmul(a, b, out=c), runs, warmup)}}
    out["numpy"]["blas"] = numpy_blas()
    try:
        import torch
    except ImportError:
        print(json.dumps(out))
        return
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    ta, tb, tc = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
    out["torch"] = {"threads": torch.get_num_threads(), "ms": timed(lambda: torch.mm(ta, tb, out=tc), runs, warmup)}
    # One thread, as the training bench's PyTorch runner: the ceiling of that runner, not a candidate for the peak.
    torch.set_num_threads(1)
    out["torch1"] = {"threads": 1, "ms": timed(lambda: torch.mm(ta, tb, out=tc), runs, warmup)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
