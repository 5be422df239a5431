#!/usr/bin/env bash
# Square float32 GEMM, C = A·B: Inertia's GemmBenchmark (JMH) next to numpy's sgemm (OpenBLAS) and torch.mm
# of every PyTorch build found (MKL in the pip wheels, the system BLAS in Debian's), for 1 and 2 threads.
# Prints n, threads, GFLOP/s of each (2n³/t), and the ratio against the fastest baseline of the row.
# Each baseline first prints what it runs (version, BLAS library and kernel); a reference BLAS is refused.
# Takes about 4 minutes.
#   bench/compare/gemm.sh            (first (re)builds bench/target/benchmarks.jar)
#   SIZES="1024 2048" THREADS=1 NO_BUILD=1 bench/compare/gemm.sh
# Inertia's time is JMH's median over 5 one-second iterations after 3 warm-up ones; the baselines' is the
# median of several reps after 3 warm-up calls. Other processes on the machine make both noisy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZES=${SIZES:-"256 512 1024 2048"}
THREADS=${THREADS:-"1 2"}

build_jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== machine: $(machine_line)"

for t in $THREADS; do
  echo "== Inertia GemmBenchmark, inertia.threads=$t" >&2
  run_jmh GemmBenchmark "$t" "$tmp/inertia$t.json" -p n="$(echo $SIZES | tr ' ' ',')" ${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}
done
names=()
if find_numpy_python; then
  names+=("numpy")
  for t in $THREADS; do
    echo "== numpy ($NUMPY_PY), $t thread(s)" >&2
    # shellcheck disable=SC2086
    run_py "$t" "$tmp/base1.txt" "$NUMPY_PY" bench/compare/numpy_gemm.py "$t" $SIZES || true
  done
fi
find_torch_pythons
for py in ${TORCH_PYS[@]+"${TORCH_PYS[@]}"}; do
  names+=("torch")
  k=${#names[@]}
  for t in $THREADS; do
    echo "== torch.mm ($py), $t thread(s)" >&2
    # shellcheck disable=SC2086
    run_py "$t" "$tmp/base$k.txt" "$py" bench/compare/torch_gemm.py "$t" $SIZES || true
  done
done

echo "== Java: $(java -version 2>&1 | head -1)"
for k in $(seq 1 ${#names[@]}); do print_info "== baseline $k:" "$tmp/base$k.txt.info"; done
python3 - "$tmp" "${#names[@]}" "$THREADS" <<'PY'
import json
import re
import statistics
import sys


def median_score(r):
    """JMH's median iteration, as the PyTorch and numpy baselines report their median rep."""
    return statistics.median(x for it in r["primaryMetric"]["rawData"] for x in it)


tmp, nb, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
ours, ours_best = {}, {}
for t in threads:
    for r in json.load(open(f"{tmp}/inertia{t}.json")):
        n = int(r["params"]["n"])
        ours[(n, int(t))] = 2.0 * n ** 3 / (median_score(r) * 1e-3) / 1e9  # score: ms/op
        fastest = min(x for it in r["primaryMetric"]["rawData"] for x in it)
        ours_best[(n, int(t))] = 2.0 * n ** 3 / (fastest * 1e-3) / 1e9
labels, base, base_best = [], {}, {}
for k in range(1, nb + 1):
    try:
        info = open(f"{tmp}/base{k}.txt.info").read()
    except FileNotFoundError:
        info = ""
    m = re.search(r"# torch: (\S+)", info)
    labels.append(f"torch {m.group(1)} mm" if m else "numpy (" + (re.search(r"# numpy: (\S+)", info) or [0, "?"])[1] + ")")
    try:
        for line in open(f"{tmp}/base{k}.txt"):
            f = line.split()
            base[(int(f[0]), int(f[1]), k)] = float(f[2])
            base_best[(int(f[0]), int(f[1]), k)] = float(f[3]) if len(f) > 3 else float(f[2])
    except FileNotFoundError:
        pass
print("medians (JMH's median iteration; the baselines' median rep):")
print(f"{'n':>6} {'threads':>7} {'inertia GFLOP/s':>15}" + "".join(f" {l:>22}" for l in labels) + f" {'ratio vs best':>13}")
for (n, t), g in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    vals = [base.get((n, t, k)) for k in range(1, nb + 1)]
    best = max((v for v in vals if v), default=None)
    print(f"{n:>6} {t:>7} {g:>15.1f}" + "".join(f" {(f'{v:.1f}' if v else '-'):>22}" for v in vals)
          + f" {(f'{g / best:.2f}' if best else '-'):>13}")
# On a shared machine the fastest observation is the least disturbed one: JMH's fastest one-second
# iteration against the baselines' fastest single rep (which favours the baselines).
print("fastest (JMH's fastest iteration; the baselines' fastest rep):")
for (n, t), g in sorted(ours_best.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    vals = [base_best.get((n, t, k)) for k in range(1, nb + 1)]
    best = max((v for v in vals if v), default=None)
    print(f"{n:>6} {t:>7} {g:>15.1f}" + "".join(f" {(f'{v:.1f}' if v else '-'):>22}" for v in vals)
          + f" {(f'{g / best:.2f}' if best else '-'):>13}")
PY
