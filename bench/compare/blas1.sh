#!/usr/bin/env bash
# Side by side, in one run: Inertia's Blas1Benchmark (JMH) and OpenBLAS sdot/saxpy through numpy/scipy,
# 1 and 2 threads each, plus the STREAM-like bound (C, OpenMP) for the out-of-cache sizes.
# Prints GB/s (dot moves 8 bytes per element, axpy 12) and the ratio Inertia / OpenBLAS. The baseline first
# prints what it runs (numpy, scipy, the BLAS library scipy calls); a reference BLAS is refused.
# usage: bench/compare/blas1.sh        (from anywhere; builds if needed, NO_BUILD=1 reuses the jar)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
out=${OUT_DIR:-target/compare}; mkdir -p "$out"
build_jar
gcc -O3 -march=native -fopenmp bench/compare/stream.c -o "$out/stream"
echo "== machine: $(machine_line)"
for t in 1 2; do OMP_NUM_THREADS=$t "$out/stream"; done | tee "$out/stream.txt"
for t in 1 2; do
  run_jmh Blas1Benchmark "$t" "$out/blas1-$t.json" -f 1 -wi 4 -i 5 -w 1s -r 1s
  python3 bench/compare/jmh_json.py "$out/blas1-$t.json" >"$out/blas1-inertia$t.tsv"
done
rm -f "$out"/blas1-numpy*.tsv*
find_numpy_python scipy
for t in 1 2; do
  : >"$out/blas1-numpy$t.tsv"
  run_py "$t" "$out/blas1-numpy$t.tsv" "$NUMPY_PY" bench/compare/numpy_blas1.py "$t" || true
done
print_info "== baseline ($NUMPY_PY):" "$out/blas1-numpy1.tsv.info"
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
    return {(op, int(n)): float(us) for op, n, us in (l.split("\t") for l in open(path) if l.strip())}
bytes_per = {"dot": 8, "axpy": 12}
print(f"{'op':5} {'n':>10} {'thr':>3} {'inertia GB/s':>13} {'OpenBLAS GB/s':>14} {'inertia/OpenBLAS':>17}")
for t in (1, 2):
    ours, theirs = load_jmh(f"{out}/blas1-inertia{t}.tsv"), load_np(f"{out}/blas1-numpy{t}.tsv")
    for (op, n), us in sorted(ours.items()):
        gb = lambda s: bytes_per[op] * n / (s * 1e-6) / 1e9
        b = theirs.get((op, n))
        print(f"{op:5} {n:>10} {t:>3} {gb(us):>13.1f} {(f'{gb(b):.1f}' if b else '-'):>14} "
              f"{(f'{b / us:.2f}' if b else '-'):>17}")
PY
