#!/usr/bin/env bash
# MLP training step, side by side in one run: Inertia's MlpBenchmark (JMH) and the same model and step in
# every PyTorch CPU build found (torch_mlp.py: Adam fused=True where the version has it), at the same thread
# count (1 and 2). Prints samples/s of each, the ratio against the best PyTorch build per row, the step's
# FLOP rate against Inertia's SGEMM rate (GemmBenchmark, n = 1024, same threads), and Inertia's 2-thread
# scaling: from the separate 1- and 2-thread JMH runs, and from MlpScaling, which times the step at 1 and 2
# threads by turns in one JVM (the separate runs compare whatever minutes each ran in; on a shared host the
# interleaved figure is the one that measures the code). Takes about 3 minutes; SCALING_ROUNDS=0 skips
# MlpScaling.
#   bench/compare/mlp.sh                         (first (re)builds bench/target/benchmarks.jar)
#   BATCHES=64 THREADS=1 NO_BUILD=1 bench/compare/mlp.sh
#   TORCH_PYTHON=/path/to/venv/bin/python bench/compare/mlp.sh   (add a PyTorch build; see common.sh)
# Model: 784-128-10 ReLU MLP, float32, mean cross-entropy, Adam(lr 1e-3), one fixed batch. FLOPs per step:
# the GEMMs only, 2·B·(784·128·2 + 128·10·3) (forward, ∂W of both layers, ∂h; no ∂x of the input).
# interpreted first steps, see MlpBenchmark), median iteration; PyTorch: median of 7 runs of
# interpreted first steps, see MlpBenchmark); PyTorch: median of 7 runs of
# ~0.3 s after 1 s of warm-up. Other processes on the machine make both noisy: the header prints the load.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BATCHES=${BATCHES:-"64 256"}
THREADS=${THREADS:-"1 2"}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 5 -w 2s -i 5 -r 1s"}

build_jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== machine: $(machine_line)"

find_torch_pythons
i=0
for py in ${TORCH_PYS[@]+"${TORCH_PYS[@]}"}; do
  i=$((i + 1))
  for t in $THREADS; do
    echo "== PyTorch ($py), $t thread(s)" >&2
    run_py "$t" "$tmp/torch$i.txt" "$py" bench/compare/torch_mlp.py "$t" $BATCHES || true
  done
done

for t in $THREADS; do
  echo "== Inertia MlpBenchmark and GemmBenchmark n=1024, inertia.threads=$t" >&2
  # shellcheck disable=SC2086
  run_jmh MlpBenchmark "$t" "$tmp/mlp$t.json" -p batch="$(echo $BATCHES | tr ' ' ',')" $JMH_ARGS
  run_jmh GemmBenchmark "$t" "$tmp/gemm$t.json" -p n=1024 -f 1 -wi 3 -i 3 -w 1s -r 1s
done

java -version 2>&1 | head -1 | sed 's/^/== Java: /'
for j in $(seq 1 "$i"); do print_info "== PyTorch build $j:" "$tmp/torch$j.txt.info"; done
python3 - "$tmp" "$i" "$THREADS" <<'PY'
import json
import re
import statistics
import sys


def median_score(r):
    """JMH's median iteration, as the PyTorch and numpy baselines report their median rep."""
    return statistics.median(x for it in r["primaryMetric"]["rawData"] for x in it)


tmp, builds, threads = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split()]
IN, H, C = 784, 128, 10
flops = lambda b: 2.0 * b * (IN * H * 2 + H * C * 3)
ours, gemm = {}, {}
for t in threads:
    for r in json.load(open(f"{tmp}/mlp{t}.json")):
        ours[(int(r["params"]["batch"]), t)] = median_score(r) * int(r["params"]["batch"])  # samples/s
    for r in json.load(open(f"{tmp}/gemm{t}.json")):
        n = int(r["params"]["n"])
        gemm[t] = 2.0 * n ** 3 / (median_score(r) * 1e-3) / 1e9  # score in ms/op
names, theirs = [], {}
for j in range(1, builds + 1):
    info = open(f"{tmp}/torch{j}.txt.info").read() if builds else ""
    m = re.search(r"# torch: (\S+)", info)
    names.append(f"torch {m.group(1) if m else j}")
    try:
        for line in open(f"{tmp}/torch{j}.txt"):
            b, t, us, sps, path = line.split()
            theirs[(int(b), int(t), j)] = (float(sps), path)
    except FileNotFoundError:
        pass
head = f"{'batch':>5} {'thr':>3} {'inertia samples/s':>17}"
for n in names:
    head += f" {n + ' samples/s':>28}"
head += f" {'ratio vs best':>13} {'step GFLOP/s':>12} {'SGEMM GFLOP/s':>13} {'step/SGEMM':>10}"
print(head)
for (b, t), s in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    row = f"{b:>5} {t:>3} {s:>17.0f}"
    best = None
    for j in range(1, builds + 1):
        v = theirs.get((b, t, j))
        row += f" {(f'{v[0]:.0f} ({v[1]})' if v else '-'):>28}"
        if v and (best is None or v[0] > best):
            best = v[0]
    gf = flops(b) * s / b / 1e9
    row += f" {(f'{s / best:.2f}' if best else '-'):>13} {gf:>12.1f} {gemm[t]:>13.1f} {gf / gemm[t]:>10.2f}"
    print(row)
for b in sorted({b for b, _ in ours}):
    if (b, 1) in ours and (b, 2) in ours:
        print(f"Inertia at batch {b}: 2 threads / 1 thread = {ours[(b, 2)] / ours[(b, 1)]:.2f}x "
              "(separate JMH runs, median iterations)")
PY
SCALING_ROUNDS=${SCALING_ROUNDS:-30}
if [[ $SCALING_ROUNDS != 0 && " $THREADS " == *" 2 "* ]]; then
  for b in $BATCHES; do
    java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dinertia.threads=2 -cp "$jar" \
      org.inertia.bench.jmh.MlpScaling "$b" "$SCALING_ROUNDS" 30 2>/dev/null | grep -v '^round ' |
      sed 's/^/Inertia, interleaved in one JVM: /'
  done
fi
