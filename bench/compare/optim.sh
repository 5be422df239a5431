#!/usr/bin/env bash
# Side by side, in one run: Inertia's OptimizerStepBenchmark (JMH) and PyTorch CPU for the same methods and
# sizes, 1 and 2 threads each, plus the STREAM-like triad as the bandwidth reference. Every PyTorch build
# found is run (see common.sh: Debian's python3-torch and current PyTorch from a venv or $TORCH_PYTHON), on
# every implementation path it has (fused=True: Adam, AdamW, SGD, Adagrad in PyTorch 2.x; foreach); the
# baseline of a row is the fastest (build, path). Prints time per step, GB/s by the bytes-per-element model
# of OptimizerStepBenchmark (sgd 12, momentum/adagrad/rmsprop 20, adam/adamw/rprop 28, aggmo 36), the
# speed-up best-PyTorch/Inertia and Inertia GB/s / triad GB/s (fraction of bandwidth).
# usage: bench/compare/optim.sh        (from anywhere; builds if needed, NO_BUILD=1 reuses the jar)
# env:   METHODS=adam,sgd-momentum  restricts the methods; SIZES=100000000 replaces the sizes (both sides);
#        THREADS="1 2"; JMH_ARGS overrides the JMH run lengths; OUT_DIR the output folder (default
#        target/compare); PATHS=fused,foreach the PyTorch paths to time; ROUNDS=3 paired rounds (default 1).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
out=${OUT_DIR:-target/compare}; mkdir -p "$out"
THREADS=${THREADS:-"1 2"}
ROUNDS=${ROUNDS:-1}
build_jar
gcc -O3 -march=native -fopenmp bench/compare/stream.c -o "$out/stream"
echo "== machine: $(machine_line)"
for t in $THREADS; do OMP_NUM_THREADS=$t "$out/stream"; done | tee "$out/stream.txt"
margs=()
[[ -n ${METHODS:-} ]] && margs=(-p "method=$METHODS")
[[ -n ${SIZES:-} ]] && margs+=(-p "size=$SIZES")
export METHODS SIZES PATHS
find_torch_pythons
rm -f "$out"/optim-torch*.tsv* "$out"/optim-inertia*.tsv
# Paired rounds (see gemm.sh): in each round, for each thread count, Inertia and then every PyTorch build
# run back to back, so a round's ratio compares runs minutes apart at most, in the same host conditions.
for r in $(seq 1 "$ROUNDS"); do
  for t in $THREADS; do
    echo "== round $r: Inertia OptimizerStepBenchmark, inertia.threads=$t" >&2
    # shellcheck disable=SC2086
    run_jmh OptimizerStepBenchmark "$t" "$out/optim-$t.$r.json" ${margs[@]+"${margs[@]}"} ${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}
    python3 bench/compare/jmh_json.py "$out/optim-$t.$r.json" >"$out/optim-inertia$t.$r.tsv"
    k=0
    for py in ${TORCH_PYS[@]+"${TORCH_PYS[@]}"}; do
      k=$((k + 1))
      echo "== round $r: PyTorch ($py), $t thread(s)" >&2
      : >>"$out/optim-torch$k-$t.$r.tsv"
      run_py "$t" "$out/optim-torch$k-$t.$r.tsv" "$py" bench/compare/torch_optim.py "$t" || true
    done
  done
done
echo "== Java: $(java -version 2>&1 | head -1)"
for j in $(seq 1 "$k"); do print_info "== PyTorch build $j:" "$out/optim-torch$j-${THREADS%% *}.1.tsv.info"; done
python3 - "$out" "$k" "$THREADS" "$ROUNDS" <<'PY'
import re
import statistics
import sys

out, builds, threads, rounds = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split()], int(sys.argv[4])
triad = {}
for line in open(f"{out}/stream.txt"):
    m = re.match(r"threads (\d+) copy ([\d.]+) GB/s triad ([\d.]+) GB/s", line)
    if m:
        triad[int(m.group(1))] = float(m.group(3))


def bpe(method):
    return {"sgd": 12, "adam": 28, "adamw": 28, "rprop": 28, "aggmo": 36}.get(method, 20)


names = []
for j in range(1, builds + 1):
    info = open(f"{out}/optim-torch{j}-{threads[0]}.1.tsv.info").read()
    m = re.search(r"# torch: (\S+)", info)
    names.append(m.group(1) if m else str(j))
print(f"median over {rounds} round(s) of each side's us per step (Inertia: JMH's score; PyTorch: each build on its")
print("fastest path, fused/foreach/for-loop). speed-up: in each round, the best PyTorch of that round / Inertia of")
print("that round; the median over rounds, and [lowest, highest]. GB/s by the byte model, from the medians.")
print(f"{'method':13} {'size':>9} {'thr':>3} {'inertia us':>11}" + "".join(f" {('torch ' + n):>24}" for n in names)
      + f" {'speed-up':>8} {'range':>12} {'inertia GB/s':>12} {'best torch GB/s':>15} {'of triad':>8}")
for t in threads:
    ours, theirs = {}, {}  # (method, size) -> [us per round]; (method, size, build) -> [(us, path) per round]
    for r in range(1, rounds + 1):
        for line in open(f"{out}/optim-inertia{t}.{r}.tsv"):
            name, params, score, unit = line.rstrip("\n").split("\t")
            p = dict(kv.split("=") for kv in params.split(","))
            ours.setdefault((p["method"], int(p["size"])), {})[r] = float(score)
        for j in range(1, builds + 1):
            best = {}
            for line in open(f"{out}/optim-torch{j}-{t}.{r}.tsv"):
                method, size, us, path = line.rstrip("\n").split("\t")
                key = (method, int(size))
                if key not in best or float(us) < best[key][0]:
                    best[key] = (float(us), path)
            for key, v in best.items():
                theirs.setdefault((key[0], key[1], j), {})[r] = v
    for (method, size), per_round in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        us = statistics.median(per_round.values())
        gb = bpe(method) * size / (us * 1e-6) / 1e9
        cells = []
        for j in range(1, builds + 1):
            c = theirs.get((method, size, j), {})
            cells.append((statistics.median(v[0] for v in c.values()), c[min(c)][1]) if c else None)
        ratios = []
        for r, mine in per_round.items():
            bs = [theirs[(method, size, j)][r][0] for j in range(1, builds + 1) if r in theirs.get((method, size, j), {})]
            if bs:
                ratios.append(min(bs) / mine)
        best = min((c[0] for c in cells if c), default=None)
        row = f"{method:13} {size:>9} {t:>3} {us:>11.0f}"
        row += "".join(f" {(f'{c[0]:.0f} ({c[1]})' if c else '-'):>24}" for c in cells)
        row += f" {(f'{statistics.median(ratios):.2f}' if ratios else '-'):>8}"
        row += f" {(f'[{min(ratios):.2f}, {max(ratios):.2f}]' if ratios else '-'):>12} {gb:>12.1f}"
        row += f" {(f'{bpe(method) * size / (best * 1e-6) / 1e9:.1f}' if best else '-'):>15}"
        row += f" {(f'{gb / triad[t]:.2f}' if t in triad else '-'):>8}"
        print(row)
PY
