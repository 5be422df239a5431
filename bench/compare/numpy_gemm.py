#!/usr/bin/env python3
"""numpy (OpenBLAS) float32 square sgemm timing, the baseline for GemmBenchmark.

Usage: numpy_gemm.py THREADS N [N ...]  -> "# ..." description lines (baseline_info), then
"n threads gflops_median gflops_best kernel" lines.
Set OPENBLAS_NUM_THREADS before numpy is imported (gemm.sh does); threadpoolctl is used when present.
Exits with code 3 ("# refused: ...") when numpy's BLAS is a reference BLAS.
"""
import ctypes
import glob
import os
import sys
import time


def corename():
    """Which OpenBLAS kernel numpy runs, asked from the bundled library itself."""
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            if info.get("internal_api") == "openblas":
                return f"{info.get('architecture')} ({info.get('num_threads')} threads)"
    except ImportError:
        pass
    import numpy
    libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs", "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for sym in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename64_",
                    "openblas_get_corename"):
            if hasattr(lib, sym):
                f = getattr(lib, sym)
                f.restype = ctypes.c_char_p
                return f().decode()
    return "unknown"


def main():
    threads = int(sys.argv[1])
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    import numpy as np
    import baseline_info as bi
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except ImportError:
        pass
    np.ones((2, 2), dtype=np.float32) @ np.ones((2, 2), dtype=np.float32)  # loads the BLAS
    bi.header(bi.numpy_lines(np))
    bi.refuse_reference_blas(bi.numpy_blas(np), "numpy")
    kernel = corename().replace(" ", "_")
    rng = np.random.default_rng(42)
    for n in map(int, sys.argv[2:]):
        a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
        c = np.empty((n, n), dtype=np.float32)
        reps = max(5, min(50, int(2e10 / (2.0 * n ** 3))))
        for _ in range(3):
            np.matmul(a, b, out=c)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            np.matmul(a, b, out=c)
            times.append(time.perf_counter() - t)
        times.sort()
        # Median, like JMH's average over iterations is robust to one slow rep; best is printed too.
        med = times[len(times) // 2]
        print(f"{n} {threads} {2.0 * n ** 3 / med / 1e9:.1f} {2.0 * n ** 3 / times[0] / 1e9:.1f} {kernel}")


if __name__ == "__main__":
    main()
