"""OpenBLAS sdot / saxpy through numpy and scipy, timed like the JMH benchmark (median of many calls).

usage: [SIZES=1000,100000] python3 numpy_blas1.py THREADS  -> "# ..." description lines (baseline_info),
then lines "op<TAB>n<TAB>microseconds"
SIZES (comma-separated) replaces the default sizes, which are Blas1Benchmark's. Exits with code 3
("# refused: ...") when scipy's BLAS is a reference BLAS.
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

import baseline_info as bi  # noqa: E402

blas.sdot(np.ones(4, np.float32), np.ones(4, np.float32))  # loads the BLAS
_lib = bi.symbol_file(blas._fblas.__file__, ("sdot_", "scipy_sdot_", "scipy_sdot64_", "sdot64_"))
_blas = bi.classify_blas_file(_lib) if _lib else ("unknown", "scipy's BLAS not found in the process")
bi.header([f"python: {sys.executable}", f"numpy: {np.__version__}",
           f"scipy: {__import__('scipy').__version__}", f"blas (scipy.linalg.blas): {_blas[1]}"])
bi.refuse_reference_blas(_blas, "scipy")


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
