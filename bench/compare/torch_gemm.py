"""PyTorch CPU float32 square matrix product (torch.mm), a second baseline for GemmBenchmark.

usage: torch_gemm.py THREADS N [N ...]  -> "# ..." description lines (baseline_info), then
       "n threads gflops_median gflops_best" lines
torch.mm runs the BLAS torch was built with (MKL in the pip wheels, the system libblas.so.3 in Debian's
python3-torch). Timing as numpy_gemm.py: median of several reps after 3 warm-up calls.
Exits with code 3 ("# refused: ...") when that BLAS is a reference BLAS.
"""
import sys
import time

import baseline_info as bi
import torch


def main():
    threads = int(sys.argv[1])
    torch.set_num_threads(threads)
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS
    bi.header(bi.torch_lines(torch))
    bi.refuse_reference_blas(bi.torch_blas(torch), "PyTorch")
    g = torch.Generator().manual_seed(42)
    for n in map(int, sys.argv[2:]):
        a = torch.rand(n, n, generator=g) * 2 - 1
        b = torch.rand(n, n, generator=g) * 2 - 1
        c = torch.empty(n, n)
        reps = max(5, min(50, int(2e10 / (2.0 * n ** 3))))
        for _ in range(3):
            torch.mm(a, b, out=c)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            torch.mm(a, b, out=c)
            times.append(time.perf_counter() - t)
        times.sort()
        med = times[len(times) // 2]
        print(f"{n} {threads} {2.0 * n ** 3 / med / 1e9:.1f} {2.0 * n ** 3 / times[0] / 1e9:.1f}", flush=True)


if __name__ == "__main__":
    main()
