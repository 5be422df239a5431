#!/usr/bin/env bash
# One LSTM training step (forward + BPTT over 784 steps, batch 64, input 1, no optimizer): Inertia's
# LstmBenchmark (every cell of the MomentumRNN family) next to PyTorch CPU nn.LSTM (Debian python3-torch)
# with torch.set_num_threads(1) and (2), in one run. Prints µs/sample and Inertia/PyTorch speed ratios
# (> 1: Inertia faster) against PyTorch's best thread setting.
#   bench/compare/lstm.sh                         (first (re)builds bench/target/benchmarks.jar)
#   CELLS=lstm HIDDEN=128 NO_BUILD=1 bench/compare/lstm.sh
# Settings (a step takes seconds, so these are short): JMH single-shot, -f 1 -wi 2 -i 3 (mean of 3 shots
# after two warm-up shots); PyTorch median of $REPS (3) steps after $WARMUP (1) warm-up. Inertia threads: inertia.threads
# (default $INERTIA_THREADS=1). Other processes on the machine make both noisy.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
CELLS=${CELLS:-"lstm momentum-lstm adam-lstm rmsprop-lstm sr-lstm"}
HIDDEN=${HIDDEN:-"128 256"}
TORCH_THREADS=${TORCH_THREADS:-"1 2"}
TORCH_HIDDEN=${TORCH_HIDDEN:-$HIDDEN} # PyTorch can be very slow here: TORCH_HIDDEN=128 REPS=1 WARMUP=0 for a quick run
INERTIA_THREADS=${INERTIA_THREADS:-1}
PY=${PY:-/usr/bin/python3} # Debian's python3 (python3-torch); a pyenv python on PATH may lack torch

jdk_ok() { [[ -x $1/bin/java ]] && [[ $("$1/bin/java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/ *java.specification.version = \([0-9]*\).*/\1/p') -ge 25 ]]; }
JAVA_HOME=${JAVA_HOME:-}
if [[ -z $JAVA_HOME ]] || ! jdk_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [[ -d $c ]] && jdk_ok "$c"; then JAVA_HOME=$c; break; fi
  done
fi
[[ -n $JAVA_HOME ]] || { echo "lstm.sh: no JDK >= 25 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH

jar=bench/target/benchmarks.jar
if [[ ${NO_BUILD:-} != 1 || ! -f $jar ]]; then # NO_BUILD=1 reuses an existing jar
  mvn -B -ntp -q -pl bench -am package -DskipTests
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== PyTorch nn.LSTM" >&2
if "$PY" -c "import torch" 2>/dev/null; then
  for t in $TORCH_THREADS; do
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t "$PY" bench/compare/torch_lstm.py "$t" $TORCH_HIDDEN | tee -a "$tmp/torch.txt" >&2
  done
else
  echo "PyTorch not importable by $PY (apt-get install -y python3-torch); Inertia only" >&2
  : >"$tmp/torch.txt"
fi

echo "== Inertia LstmBenchmark, inertia.threads=$INERTIA_THREADS" >&2
java --add-modules jdk.incubator.vector -jar "$jar" LstmBenchmark \
  -p cell="$(echo $CELLS | tr ' ' ',')" -p hidden="$(echo $HIDDEN | tr ' ' ',')" \
  -f 1 -wi 2 -i 3 -bm ss -tu ms -foe true \
  -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dinertia.threads=$INERTIA_THREADS" \
  -rf json -rff "$tmp/inertia.json" >"$tmp/inertia.log" 2>&1 || { cat "$tmp/inertia.log" >&2; exit 1; }
python3 bench/compare/jmh_json.py "$tmp/inertia.json" >"$tmp/inertia.txt"

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; Java $(java -version 2>&1 | head -1)"
echo "PyTorch (us/sample by threads):"
awk '{ printf "  hidden %s, %s thread(s): %s ms/step, %s us/sample\n", $1, $2, $3, $4 }' "$tmp/torch.txt"
printf "%-14s %6s %16s %22s %12s\n" cell hidden "inertia us/smp" "pytorch best us/smp" "speedup"
# jmh_json lines: name<TAB>cell=..,hidden=..<TAB>ms/op<TAB>unit
tr '\t' ' ' <"$tmp/inertia.txt" | sed 's/cell=\([^,]*\),hidden=\([0-9]*\)/\1 \2/' | while read -r _ c h ms _; do
  us=$(awk -v ms="$ms" 'BEGIN { printf "%.1f", ms * 1000 / 64 }')
  best=$(awk -v h="$h" '$1 == h { if (b == "" || $4 < b) b = $4 } END { print b }' "$tmp/torch.txt")
  if [[ -n $best ]]; then
    printf "%-14s %6s %16s %22s %11.2fx\n" "$c" "$h" "$us" "$best" "$(awk -v a="$us" -v b="$best" 'BEGIN { print b / a }')"
  else
    printf "%-14s %6s %16s %22s %12s\n" "$c" "$h" "$us" "-" "-"
  fi
done
