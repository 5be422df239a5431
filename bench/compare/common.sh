# Shared by the bench/compare/*.sh scripts (sourced, not run): the JDK, the benchmark jar, and the Python
# baselines with what they run. The Python side of "what runs" is baseline_info.py.
#
# Baseline interpreters (README, "Baselines"):
#   PyTorch: every distinct installation among $TORCH_PYTHON (':'-separated), $VIRTUAL_ENV, the venvs
#            .venv-torch, venv-torch, .venv, venv in the repository root, Debian's /usr/bin/python3 and
#            python3 on PATH. Current PyTorch: python3 -m venv .venv-torch && .venv-torch/bin/pip install torch
#   numpy:   $NUMPY_PYTHON, then the same venvs, python3 on PATH, /usr/bin/python3 (the first that imports it).
# A baseline whose BLAS is a reference BLAS is refused (exit code 3, "# refused: ..."), never timed.

# Repository root; every script cds there.
compare_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$compare_root"

# JDK >= 25: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
jdk_ok() { [[ -x $1/bin/java ]] && [[ $("$1/bin/java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/ *java.specification.version = \([0-9]*\).*/\1/p') -ge 25 ]]; }
if [[ -z ${JAVA_HOME:-} ]] || ! jdk_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [[ -d $c ]] && jdk_ok "$c"; then JAVA_HOME=$c; break; fi
  done
fi
[[ -n $JAVA_HOME ]] || { echo "$(basename "$0"): no JDK >= 25 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH

# Any python3 runs baseline_info.py (it only starts the candidate interpreters).
HELPER_PY=$(command -v python3 || echo /usr/bin/python3)
BASELINE_INFO=bench/compare/baseline_info.py
jar=bench/target/benchmarks.jar

# Builds bench/target/benchmarks.jar unless NO_BUILD=1 and it exists.
build_jar() {
  if [[ ${NO_BUILD:-} != 1 || ! -f $jar ]]; then
    ./inertia build >&2
  fi
}

# Runs one JMH benchmark from the jar: run_jmh BENCHMARK THREADS JSON_OUT [JMH args...]
run_jmh() {
  local bench=$1 t=$2 json=$3
  shift 3
  java --add-modules jdk.incubator.vector -Djmh.ignoreLock=true -jar "$jar" "$bench" "$@" -foe true \
    -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dinertia.threads=$t" \
    -rf json -rff "$json" >"$json.log" 2>&1 || { cat "$json.log" >&2; return 1; }
}

# One interpreter per distinct PyTorch installation, into the array TORCH_PYS (may be empty).
find_torch_pythons() {
  TORCH_PYS=()
  local py v
  while IFS=$'\t' read -r py v; do
    [[ -n $py ]] && TORCH_PYS+=("$py") && echo "PyTorch $v: $py" >&2
  done < <("$HELPER_PY" "$BASELINE_INFO" torch-pythons)
  if ((${#TORCH_PYS[@]} == 0)); then
    echo "no Python imports torch: the PyTorch columns stay empty. Current PyTorch: python3 -m venv .venv-torch &&" \
      ".venv-torch/bin/pip install torch numpy (or set TORCH_PYTHON); Debian's: apt-get install python3-torch" >&2
  elif ((${#TORCH_PYS[@]} == 1)); then
    echo "only one PyTorch build found; the baseline is the faster of Debian's python3-torch (with OpenBLAS) and" \
      "current PyTorch: python3 -m venv .venv-torch && .venv-torch/bin/pip install torch numpy, or set TORCH_PYTHON" >&2
  fi
}

# The first interpreter that imports numpy (find_numpy_python scipy: numpy and scipy): NUMPY_PY.
find_numpy_python() {
  NUMPY_PY=$("$HELPER_PY" "$BASELINE_INFO" "${1:-numpy}-pythons" | head -1 | cut -f1)
  [[ -n $NUMPY_PY ]] || { echo "no Python imports ${1:-numpy} (pip install numpy scipy)" >&2; return 1; }
}

# Runs a Python baseline without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on some machines for old
# OpenBLAS builds; they slow a current one) and with THREADS threads for OpenMP/OpenBLAS/MKL:
#   run_py THREADS OUT_FILE PYTHON SCRIPT [ARGS...]
# Appends the data lines to OUT_FILE and the "# " description lines to OUT_FILE.info; returns 3 if the
# baseline refused (reference BLAS), printing why.
run_py() {
  local t=$1 out=$2 py=$3 rc=0
  shift 3
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" MKL_NUM_THREADS="$t" \
    "$py" "$@" >"$out.tmp" || rc=$?
  grep '^# ' "$out.tmp" >>"$out.info" || true
  grep -v '^# ' "$out.tmp" >>"$out" || true
  rm -f "$out.tmp"
  if ((rc == 3)); then
    grep '^# refused' "$out.info" | tail -1 >&2
  elif ((rc != 0)); then
    echo "$py $* failed with exit code $rc" >&2
  fi
  return $rc
}

# "CPU model, N cores, load L" for the report header.
machine_line() {
  echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "$(grep -o -w -E 'avx512f|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')$(date -u '+%F %H:%M UTC')"
}

# Prints each distinct description block of OUT_FILE.info once, indented, under a title.
print_info() {
  local title=$1 file=$2
  [[ -s $file ]] || return 0
  echo "$title"
  awk '!seen[$0]++ { sub(/^# /, "  "); print }' "$file"
}
