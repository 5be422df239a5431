#!/usr/bin/env bash
# Side by side, in one run: Inertia's Blas1Benchmark (JMH) and OpenBLAS sdot/saxpy through numpy/scipy,
# 1 and 2 threads each, plus the STREAM-like bound (C, OpenMP) for the out-of-cache sizes.
# Prints GB/s (dot moves 8 bytes per element, axpy 12) and the ratio Inertia / OpenBLAS.
# usage: bench/compare/blas1.sh        (from the repository root; builds if needed)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT_DIR:-target/compare}; mkdir -p "$out"
./inertia build >/dev/null
gcc -O3 -march=native -fopenmp bench/compare/stream.c -o "$out/stream"
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(date -u +%F)"
for t in 1 2; do OMP_NUM_THREADS=$t "$out/stream"; done | tee "$out/stream.txt"
for t in 1 2; do
  ./inertia jmh Blas1Benchmark -f 1 -wi 4 -i 5 -w 1s -r 1s -jvmArgs "-Dinertia.threads=$t" \
    -rf json -rff "$out/blas1-$t.json" >"$out/blas1-jmh-$t.log"
  python3 bench/compare/jmh_json.py "$out/blas1-$t.json" >"$out/blas1-inertia$t.tsv"
done
python3 bench/compare/numpy_blas1.py 1 >"$out/blas1-numpy1.tsv"
python3 bench/compare/numpy_blas1.py 2 >"$out/blas1-numpy2.tsv"
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
def load_jmh(path):
    res = {}
    for line in open(path):
        name, params, score, unit = line.split("\t")
        res[(name, int(dict(p.split("=") for p in params.split(","))["n"]))] = float(score)  # us per call
    return res
def load_np(path):
    return {(op, int(n)): float(us) for op, n, us in (l.split("\t") for l in open(path))}
bytes_per = {"dot": 8, "axpy": 12}
print(f"{'op':5} {'n':>10} {'thr':>3} {'inertia GB/s':>13} {'OpenBLAS GB/s':>14} {'inertia/OpenBLAS':>17}")
for t in (1, 2):
    ours, theirs = load_jmh(f"{out}/blas1-inertia{t}.tsv"), load_np(f"{out}/blas1-numpy{t}.tsv")
    for (op, n), us in sorted(ours.items()):
        gb = lambda s: bytes_per[op] * n / (s * 1e-6) / 1e9
        print(f"{op:5} {n:>10} {t:>3} {gb(us):>13.1f} {gb(theirs[(op, n)]):>14.1f} {theirs[(op, n)] / us:>17.2f}")
PY
