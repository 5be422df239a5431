#!/usr/bin/env bash
# Square float32 GEMM, C = A·B: Inertia's GemmBenchmark (JMH) next to numpy's sgemm (OpenBLAS) and torch.mm
# of every PyTorch build found (MKL in the pip wheels, the system BLAS in Debian's), for 1 and 2 threads.
# Prints n, threads, GFLOP/s of each (2n³/t), and the ratio against the fastest baseline of the row.
# Each baseline first prints what it runs (version, BLAS library and kernel); a reference BLAS is refused.
#
# Paired, interleaved rounds: the host this was written on (a 2-vCPU cloud guest) runs at about half speed
# for minutes at a time, so timing all of Inertia first and all baselines afterwards can put the two sides
# in different weather. Instead, every round times each (threads, n) cell on every side back to back:
# Inertia, then numpy, then each torch. A round's ratio compares sides that ran seconds apart; the report
# gives, per cell, the median over rounds of those paired ratios, their range, and the GFLOP/s.
# Takes about 2.5 minutes per round.
#   bench/compare/gemm.sh                      (first (re)builds bench/target/benchmarks.jar)
#   ROUNDS=5 SIZES="1024 2048" THREADS=1 NO_BUILD=1 bench/compare/gemm.sh
# Inertia's time in a round is JMH's median over JMH_ARGS's iterations (default 3 one-second iterations
# after 3 warm-up ones); a baseline's is the median of several reps after 3 warm-up calls.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZES=${SIZES:-"256 512 1024 2048"}
THREADS=${THREADS:-"1 2"}
ROUNDS=${ROUNDS:-3}

build_jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== machine: $(machine_line)"

names=() scripts=() # each baseline's interpreter and timing script
if find_numpy_python; then names+=("$NUMPY_PY"); scripts+=(bench/compare/numpy_gemm.py); fi
find_torch_pythons
for py in ${TORCH_PYS[@]+"${TORCH_PYS[@]}"}; do names+=("$py"); scripts+=(bench/compare/torch_gemm.py); done

for r in $(seq 1 "$ROUNDS"); do
  for t in $THREADS; do
    for n in $SIZES; do
      echo "== round $r, $t thread(s), n=$n" >&2
      # shellcheck disable=SC2086
      run_jmh GemmBenchmark "$t" "$tmp/inertia.$r.$t.$n.json" -p n="$n" ${JMH_ARGS:--f 1 -wi 3 -i 3 -w 1s -r 1s}
      for k in $(seq 1 ${#names[@]}); do
        run_py "$t" "$tmp/base$k.$r.txt" "${names[k - 1]}" "${scripts[k - 1]}" "$t" "$n" || true
        cat "$tmp/base$k.$r.txt.info" >>"$tmp/base$k.txt.info" 2>/dev/null || true
        rm -f "$tmp/base$k.$r.txt.info"
      done
    done
  done
done

echo "== Java: $(java -version 2>&1 | head -1)"
for k in $(seq 1 ${#names[@]}); do print_info "== baseline $k:" "$tmp/base$k.txt.info"; done
python3 - "$tmp" "${#names[@]}" "$ROUNDS" "$THREADS" "$SIZES" <<'PY'
import json
import re
import statistics
import sys

tmp, nb, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
threads, sizes = [int(t) for t in sys.argv[4].split()], [int(n) for n in sys.argv[5].split()]
gf = lambda n, ms: 2.0 * n ** 3 / (ms * 1e-3) / 1e9  # JMH's score is ms/op


def inertia(r, t, n):
    """JMH's median and fastest iteration of one round's cell, in GFLOP/s."""
    try:
        res = json.load(open(f"{tmp}/inertia.{r}.{t}.{n}.json"))[0]
    except (FileNotFoundError, IndexError):
        return None, None
    raw = [x for it in res["primaryMetric"]["rawData"] for x in it]
    return gf(n, statistics.median(raw)), gf(n, min(raw))


def baseline(k, r, t, n):
    """A baseline's median and fastest rep of one round's cell, in GFLOP/s."""
    try:
        for line in open(f"{tmp}/base{k}.{r}.txt"):
            f = line.split()
            if int(f[0]) == n and int(f[1]) == t:
                return float(f[2]), float(f[3]) if len(f) > 3 else float(f[2])
    except FileNotFoundError:
        pass
    return None, None


labels = []
for k in range(1, nb + 1):
    try:
        info = open(f"{tmp}/base{k}.txt.info").read()
    except FileNotFoundError:
        info = ""
    m = re.search(r"# torch: (\S+)", info)
    labels.append(f"torch {m.group(1)} mm" if m else "numpy " + (re.search(r"# numpy: (\S+)", info) or [0, "?"])[1])
print(f"per cell: the median over {rounds} rounds of each side's GFLOP/s (each round's value is that side's")
print("median iteration or rep), and the paired ratio: in every round, Inertia against the fastest baseline")
print("of that same round; median over rounds [lowest, highest].")
print(f"{'n':>6} {'threads':>7} {'inertia':>9}" + "".join(f" {l:>20}" for l in labels)
      + f" {'paired ratio':>13} {'range':>13}")
for t in threads:
    for n in sizes:
        ours, bases, ratios = [], [[] for _ in range(nb)], []
        for r in range(1, rounds + 1):
            g, _ = inertia(r, t, n)
            vals = [baseline(k, r, t, n)[0] for k in range(1, nb + 1)]
            for k, v in enumerate(vals):
                if v:
                    bases[k].append(v)
            if g:
                ours.append(g)
                best = max((v for v in vals if v), default=None)
                if best:
                    ratios.append(g / best)
        med = lambda xs: f"{statistics.median(xs):.1f}" if xs else "-"
        rng = f"[{min(ratios):.2f}, {max(ratios):.2f}]" if ratios else "-"
        print(f"{n:>6} {t:>7} {med(ours):>9}" + "".join(f" {med(b):>20}" for b in bases)
              + f" {(f'{statistics.median(ratios):.2f}' if ratios else '-'):>13} {rng:>13}")
PY
