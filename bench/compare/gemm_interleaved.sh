#!/usr/bin/env bash
# Square float32 GEMM, Inertia against OpenBLAS in ONE process, the two taking turns call by call
# (GemmInterleaved): the fairest comparison on a host whose vCPUs change speed for seconds at a time.
# The OpenBLAS is numpy's bundled one (found through the numpy python, see common.sh), or OPENBLAS_LIB.
# OPENBLAS_THREAD_TIMEOUT is set to its minimum so OpenBLAS's idle threads park at once instead of spinning
# through Inertia's turn (Inertia's idle workers spin for 200 µs, then park).
#   bench/compare/gemm_interleaved.sh                          (first (re)builds bench/target/benchmarks.jar)
#   SIZES="512 1024" THREADS=2 PAIRS=400 NO_BUILD=1 bench/compare/gemm_interleaved.sh
#   SIZES=512x128x50176t THREADS=2 NO_BUILD=1 bench/compare/gemm_interleaved.sh
#     (a size is n for a square product or MxNxK, suffix t for A transposed: this one is the LSTM-128
#      weight gradient of LstmBenchmark, C = Aᵀ·B over 784 steps of batch 64)
# PAIRS defaults per n to about 10 s of each side's calls.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZES=${SIZES:-"256 512 1024 2048"}
THREADS=${THREADS:-"1 2"}

build_jar
echo "== machine: $(machine_line)"
echo "== Java: $(java -version 2>&1 | head -1)"
lib=${OPENBLAS_LIB:-}
if [[ -z $lib ]]; then
  find_numpy_python || { echo "gemm_interleaved.sh: no numpy with OpenBLAS found; set OPENBLAS_LIB" >&2; exit 1; }
  lib=$("$NUMPY_PY" - <<'PY'
import glob, os, numpy
d = os.path.dirname(numpy.__file__)
libs = sorted(glob.glob(os.path.join(d, '..', 'numpy.libs', '*openblas*.so*')) + glob.glob(os.path.join(d, '.dylibs', '*openblas*')))
print(os.path.realpath(libs[0]) if libs else '')
PY
)
  [[ -n $lib ]] || { echo "gemm_interleaved.sh: numpy ($NUMPY_PY) bundles no OpenBLAS; set OPENBLAS_LIB" >&2; exit 1; }
fi
for t in $THREADS; do
  for n in $SIZES; do
    IFS=x read -r dm dn dk <<<"${n%t}"
    fmas=$(( dm * ${dn:-$dm} * ${dk:-$dm} ))
    pairs=${PAIRS:-$(( 10 * 90000000000 / (2 * fmas) / (t == 1 ? 1 : 2) ))}
    (( pairs < 40 )) && pairs=40
    echo "== $t thread(s), n=$n"
    OPENBLAS_THREAD_TIMEOUT=4 java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -Dinertia.threads="$t" -cp bench/target/benchmarks.jar org.inertia.bench.jmh.GemmInterleaved \
      "$lib" "$t" "$n" "$pairs" 2>&1 | grep -v "^WARNING: Using incubator"
  done
done
