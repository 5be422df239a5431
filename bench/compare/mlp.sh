#!/usr/bin/env bash
# MLP training step, side by side: Inertia's MlpBenchmark (JMH) and the same model and step in every PyTorch
# CPU build found (torch_mlp.py: Adam fused=True where the version has it), at the same thread count (1 and
# 2). Prints samples/s of each, the ratio against the best PyTorch build per row, the step's FLOP rate
# against Inertia's SGEMM rate (GemmBenchmark, n = 1024, same threads), and Inertia's 2-thread scaling.
#
# Paired rounds (ROUNDS, default 1), as gemm.sh: the 2-vCPU guest this was written on runs at half speed for
# seconds to minutes at a time, so each round times every PyTorch build and then Inertia at one thread
# count, back to back, and the report gives per cell the median over rounds of the paired ratios and their
# range. The 2-thread scaling is reported twice: from the JMH runs (1 and 2 threads, seconds apart), and
# from MlpScaling, which times the step at 1 and 2 threads by turns in one JVM (SCALING_ROUNDS rounds of 30
# steps each, default 30; 0 skips it). About 2.5 minutes per round, plus 1 for SGEMM and MlpScaling.
#   bench/compare/mlp.sh                         (first (re)builds bench/target/benchmarks.jar)
#   ROUNDS=3 BATCHES=256 NO_BUILD=1 bench/compare/mlp.sh
#   TORCH_PYTHON=/path/to/venv/bin/python bench/compare/mlp.sh   (add a PyTorch build; see common.sh)
# Model: 784-128-10 ReLU MLP, float32, mean cross-entropy, Adam(lr 1e-3), one fixed batch. FLOPs per step:
# the GEMMs only, 2·B·(784·128·2 + 128·10·3) (forward, ∂W of both layers, ∂h; no ∂x of the input).
# Inertia: JMH's median iteration (five 2-second warm-up iterations first: the first steps run interpreted,
# see MlpBenchmark); PyTorch: median of 7 runs of ~0.3 s after 1 s of warm-up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BATCHES=${BATCHES:-"64 256"}
THREADS=${THREADS:-"1 2"}
JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 5 -w 2s -i 5 -r 1s"}
ROUNDS=${ROUNDS:-1}

build_jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== machine: $(machine_line)"

find_torch_pythons
nt=${#TORCH_PYS[@]}
for r in $(seq 1 "$ROUNDS"); do
  for t in $THREADS; do
    for i in $(seq 1 "$nt"); do
      py=${TORCH_PYS[i - 1]}
      echo "== round $r: PyTorch ($py), $t thread(s)" >&2
      run_py "$t" "$tmp/torch$i.$r.txt" "$py" bench/compare/torch_mlp.py "$t" $BATCHES || true
      cat "$tmp/torch$i.$r.txt.info" >>"$tmp/torch$i.txt.info" 2>/dev/null || true
      rm -f "$tmp/torch$i.$r.txt.info"
    done
    echo "== round $r: Inertia MlpBenchmark, inertia.threads=$t" >&2
    # shellcheck disable=SC2086
    run_jmh MlpBenchmark "$t" "$tmp/mlp.$r.$t.json" -p batch="$(echo $BATCHES | tr ' ' ',')" $JMH_ARGS
  done
done
for t in $THREADS; do
  echo "== Inertia GemmBenchmark n=1024, inertia.threads=$t (the step's FLOP rate is compared with it)" >&2
  run_jmh GemmBenchmark "$t" "$tmp/gemm$t.json" -p n=1024 -f 1 -wi 3 -i 3 -w 1s -r 1s
done

java -version 2>&1 | head -1 | sed 's/^/== Java: /'
for j in $(seq 1 "$i"); do print_info "== PyTorch build $j:" "$tmp/torch$j.txt.info"; done
python3 - "$tmp" "$nt" "$THREADS" "$ROUNDS" <<'PY'
import json
import re
import statistics
import sys


def median_score(r):
    """JMH's median iteration, as the PyTorch and numpy baselines report their median rep."""
    return statistics.median(x for it in r["primaryMetric"]["rawData"] for x in it)


tmp, builds, threads, rounds = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split()], int(sys.argv[4])
IN, H, C = 784, 128, 10
flops = lambda b: 2.0 * b * (IN * H * 2 + H * C * 3)
ours, gemm = {}, {}  # ours[(b, t)][r]: samples/s in round r
for r in range(1, rounds + 1):
    for t in threads:
        try:
            for res in json.load(open(f"{tmp}/mlp.{r}.{t}.json")):
                b = int(res["params"]["batch"])
                ours.setdefault((b, t), {})[r] = median_score(res) * b  # samples/s
        except FileNotFoundError:
            pass
for t in threads:
    for res in json.load(open(f"{tmp}/gemm{t}.json")):
        n = int(res["params"]["n"])
        gemm[t] = 2.0 * n ** 3 / (median_score(res) * 1e-3) / 1e9  # score in ms/op
names, theirs = [], {}  # theirs[(b, t, j)][r]: (samples/s, path)
for j in range(1, builds + 1):
    try:
        info = open(f"{tmp}/torch{j}.txt.info").read()
    except FileNotFoundError:
        info = ""
    m = re.search(r"# torch: (\S+)", info)
    names.append(f"torch {m.group(1) if m else j}")
    for r in range(1, rounds + 1):
        try:
            for line in open(f"{tmp}/torch{j}.{r}.txt"):
                b, t, us, sps, path = line.split()
                theirs.setdefault((int(b), int(t), j), {})[r] = (float(sps), path)
        except FileNotFoundError:
            pass
med = statistics.median
print(f"per cell: the median over {rounds} round(s) of each side's samples/s (each round's value is that side's")
print("median JMH iteration or rep), and the paired ratio: in every round, Inertia against the fastest PyTorch")
print("build of that same round, seconds apart; median over rounds [lowest, highest].")
head = f"{'batch':>5} {'thr':>3} {'inertia samples/s':>17}"
for n in names:
    head += f" {n + ' samples/s':>28}"
head += f" {'ratio vs best':>13} {'range':>13} {'step GFLOP/s':>12} {'SGEMM GFLOP/s':>13} {'step/SGEMM':>10}"
print(head)
for (b, t), by_round in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    s = med(by_round.values())
    row = f"{b:>5} {t:>3} {s:>17.0f}"
    for j in range(1, builds + 1):
        v = theirs.get((b, t, j), {})
        paths = ",".join(sorted({p for _, p in v.values()}))
        row += f" {(f'{med(x for x, _ in v.values()):.0f} ({paths})' if v else '-'):>28}"
    ratios = []
    for r, ours_r in by_round.items():
        best = max((theirs[(b, t, j)][r][0] for j in range(1, builds + 1) if r in theirs.get((b, t, j), {})),
                   default=None)
        if best:
            ratios.append(ours_r / best)
    rng = f"[{min(ratios):.2f}, {max(ratios):.2f}]" if ratios else "-"
    gf = flops(b) * s / b / 1e9
    row += (f" {(f'{med(ratios):.2f}' if ratios else '-'):>13} {rng:>13} {gf:>12.1f} {gemm[t]:>13.1f}"
            f" {gf / gemm[t]:>10.2f}")
    print(row)
for b in sorted({b for b, _ in ours}):
    if (b, 1) in ours and (b, 2) in ours:
        pairs = [ours[(b, 2)][r] / ours[(b, 1)][r] for r in ours[(b, 1)] if r in ours[(b, 2)]]
        print(f"Inertia at batch {b}: 2 threads / 1 thread = {med(pairs):.2f}x [{min(pairs):.2f}, {max(pairs):.2f}] "
              f"(separate JMH runs seconds apart, median iterations; median over {len(pairs)} round(s))")
PY
SCALING_ROUNDS=${SCALING_ROUNDS:-30}
if [[ $SCALING_ROUNDS != 0 && " $THREADS " == *" 2 "* ]]; then
  for b in $BATCHES; do
    java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dinertia.threads=2 -cp "$jar" \
      org.inertia.bench.jmh.MlpScaling "$b" "$SCALING_ROUNDS" 30 2>/dev/null | grep -v '^round ' |
      sed 's/^/Inertia, interleaved in one JVM: /'
  done
fi
