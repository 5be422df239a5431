"""OpenBLAS sdot / saxpy through numpy and scipy, timed like the JMH benchmark (median of many calls).

usage: [SIZES=1000,100000] python3 numpy_blas1.py THREADS  -> lines "op<TAB>n<TAB>microseconds"
SIZES (comma-separated) replaces the default sizes, which are Blas1Benchmark's.
"""
import os
import sys
import time

threads = sys.argv[1] if len(sys.argv) > 1 else "1"
os.environ["OPENBLAS_NUM_THREADS"] = threads
os.environ.pop("OPENBLAS_CORETYPE", None)
os.environ.pop("OPENBLAS_L2_SIZE", None)
import numpy as np  # noqa: E402
from scipy.linalg import blas  # noqa: E402


def timed(fn, n):
    reps = max(5, min(20000, int(2e8 / max(n, 1) / 20)))
    for _ in range(reps):  # warm-up
        fn()
    samples = []
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter() - t) / reps)
    samples.sort()
    return samples[len(samples) // 2] * 1e6


rng = np.random.default_rng(42)
SIZES = [int(v) for v in os.environ.get("SIZES", "1000,10000,100000,1000000,10000000,100000000").split(",")]
for n in SIZES:
    x = rng.random(n, dtype=np.float32)
    y = rng.random(n, dtype=np.float32)
    print(f"dot\t{n}\t{timed(lambda: blas.sdot(x, y), n):.4f}")
    print(f"axpy\t{n}\t{timed(lambda: blas.saxpy(x, y, a=1e-7), n):.4f}", flush=True)
