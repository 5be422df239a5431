#!/usr/bin/env bash
# Square float32 GEMM, C = A·B: Inertia's GemmBenchmark (JMH) next to numpy's OpenBLAS sgemm, for 1 and
# 2 threads. Prints n, threads, GFLOP/s of each (2n³/t) and their ratio. Takes about 3 minutes.
#   bench/compare/gemm.sh            (first (re)builds bench/target/benchmarks.jar)
#   SIZES="1024 2048" bench/compare/gemm.sh
# Inertia's time is JMH's average over 5 one-second iterations after 3 warm-up ones; numpy's is the median
# of several reps after 3 warm-up calls. Other processes on the machine make both noisy.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
SIZES=${SIZES:-"256 512 1024 2048"}
THREADS=${THREADS:-"1 2"}

jdk_ok() { [[ -x $1/bin/java ]] && [[ $("$1/bin/java" -XshowSettings:properties -version 2>&1 |
  sed -n 's/ *java.specification.version = \([0-9]*\).*/\1/p') -ge 25 ]]; }
JAVA_HOME=${JAVA_HOME:-}
if [[ -z $JAVA_HOME ]] || ! jdk_ok "$JAVA_HOME"; then
  JAVA_HOME=""
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [[ -d $c ]] && jdk_ok "$c"; then JAVA_HOME=$c; break; fi
  done
fi
[[ -n $JAVA_HOME ]] || { echo "gemm.sh: no JDK >= 25 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH

jar=bench/target/benchmarks.jar
if [[ ${NO_BUILD:-} != 1 || ! -f $jar ]]; then # NO_BUILD=1 reuses an existing jar
  mvn -B -ntp -q -Dstyle.color=never -pl bench -am package -DskipTests >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
params=$(echo "$SIZES" | tr ' ' ',')

for t in $THREADS; do
  echo "== Inertia GemmBenchmark, inertia.threads=$t" >&2
  java --add-modules jdk.incubator.vector -jar "$jar" GemmBenchmark -p n="$params" \
    -f 1 -wi 3 -i 5 -w 1s -r 1s -foe true \
    -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dinertia.threads=$t" \
    -rf csv -rff "$tmp/inertia-$t.csv" >"$tmp/inertia-$t.log" 2>&1 || { cat "$tmp/inertia-$t.log" >&2; exit 1; }
  # CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: n"; score in ms/op
  tail -n +2 "$tmp/inertia-$t.csv" | tr -d '"' | awk -F, -v t="$t" '{ printf "%s %s %.1f\n", $8, t, 2*$8^3/($5*1e-3)/1e9 }' \
    >>"$tmp/inertia.txt"
  echo "== numpy/OpenBLAS, $t thread(s)" >&2
  # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine for old OpenBLAS builds; they slow a
  # current numpy, so this one command runs without them and reports which kernel OpenBLAS picked.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
    python3 bench/compare/numpy_gemm.py "$t" $SIZES >>"$tmp/numpy.txt"
done

echo "OpenBLAS kernel: $(awk 'NR==1 { $1=$2=$3=$4=""; sub(/^ +/, ""); print }' "$tmp/numpy.txt")"
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; Java $(java -version 2>&1 | head -1)"
printf "%6s %8s %16s %17s %7s\n" n threads "inertia GFLOP/s" "openblas GFLOP/s" ratio
while read -r n t g; do
  o=$(awk -v n="$n" -v t="$t" '$1 == n && $2 == t { print $3 }' "$tmp/numpy.txt")
  printf "%6s %8s %16s %17s %7.2f\n" "$n" "$t" "$g" "$o" "$(echo "$g $o" | awk '{ print $1 / $2 }')"
done <"$tmp/inertia.txt"
