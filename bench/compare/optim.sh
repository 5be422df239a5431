#!/usr/bin/env bash
# Side by side, in one run: Inertia's OptimizerStepBenchmark (JMH) and PyTorch CPU for the same methods and
# sizes, 1 and 2 threads each, plus the STREAM-like triad as the bandwidth reference. Every PyTorch build
# found is run (see common.sh: Debian's python3-torch and current PyTorch from a venv or $TORCH_PYTHON), on
# every implementation path it has (fused=True: Adam, AdamW, SGD, Adagrad in PyTorch 2.x; foreach); the
# baseline of a row is the fastest (build, path). Prints time per step, GB/s by the bytes-per-element model
# of OptimizerStepBenchmark (sgd 12, momentum/adagrad/rmsprop/lion/qhm/sfsgd 20, adam/adamw/rprop/nadam/radam/
# adamax/qhadam/sfadamw 28, aggmo/ademamix 36), the
# speed-up best-PyTorch/Inertia and Inertia GB/s / triad GB/s (fraction of bandwidth).
# usage: bench/compare/optim.sh        (from anywhere; builds if needed, NO_BUILD=1 reuses the jar)
# env:   METHODS=adam,sgd-momentum  restricts the methods; SIZES=100000000 replaces the sizes (both sides);
#        THREADS="1 2"; JMH_ARGS overrides the JMH run lengths; OUT_DIR the output folder (default
#        target/compare); PATHS=fused,foreach the PyTorch paths to time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
out=${OUT_DIR:-target/compare}; mkdir -p "$out"
THREADS=${THREADS:-"1 2"}
build_jar
gcc -O3 -march=native -fopenmp bench/compare/stream.c -o "$out/stream"
echo "== machine: $(machine_line)"
for t in $THREADS; do OMP_NUM_THREADS=$t "$out/stream"; done | tee "$out/stream.txt"
margs=()
[[ -n ${METHODS:-} ]] && margs=(-p "method=$METHODS")
[[ -n ${SIZES:-} ]] && margs+=(-p "size=$SIZES")
export METHODS SIZES PATHS
for t in $THREADS; do
  echo "== Inertia OptimizerStepBenchmark, inertia.threads=$t" >&2
  # shellcheck disable=SC2086
  run_jmh OptimizerStepBenchmark "$t" "$out/optim-$t.json" ${margs[@]+"${margs[@]}"} ${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}
  python3 bench/compare/jmh_json.py "$out/optim-$t.json" >"$out/optim-inertia$t.tsv"
done
find_torch_pythons
rm -f "$out"/optim-torch*.tsv "$out"/optim-torch*.tsv.info
k=0
for py in ${TORCH_PYS[@]+"${TORCH_PYS[@]}"}; do
  k=$((k + 1))
  for t in $THREADS; do
    echo "== PyTorch ($py), $t thread(s)" >&2
    : >>"$out/optim-torch$k-$t.tsv"
    run_py "$t" "$out/optim-torch$k-$t.tsv" "$py" bench/compare/torch_optim.py "$t" || true
  done
done
echo "== Java: $(java -version 2>&1 | head -1)"
for j in $(seq 1 "$k"); do print_info "== PyTorch build $j:" "$out/optim-torch$j-${THREADS%% *}.tsv.info"; done
python3 - "$out" "$k" "$THREADS" <<'PY'
import re
import sys

out, builds, threads = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split()]
triad = {}
for line in open(f"{out}/stream.txt"):
    m = re.match(r"threads (\d+) copy ([\d.]+) GB/s triad ([\d.]+) GB/s", line)
    if m:
        triad[int(m.group(1))] = float(m.group(3))


def bpe(method):
    return {"sgd": 12, "adam": 28, "adamw": 28, "rprop": 28, "nadam": 28, "radam": 28, "adamax": 28, "qhadam": 28,
            "sfadamw": 28, "aggmo": 36, "ademamix": 36}.get(method, 20)


names = []
for j in range(1, builds + 1):
    info = open(f"{out}/optim-torch{j}-{threads[0]}.tsv.info").read()
    m = re.search(r"# torch: (\S+)", info)
    names.append(m.group(1) if m else str(j))
print("PyTorch columns: us per step of each build on its fastest path (fused/foreach/for-loop); speed-up = best PyTorch / Inertia")
print(f"{'method':13} {'size':>9} {'thr':>3} {'inertia us':>11}" + "".join(f" {('torch ' + n):>24}" for n in names)
      + f" {'speed-up':>8} {'inertia GB/s':>12} {'best torch GB/s':>15} {'of triad':>8}")
for t in threads:
    ours = {}
    for line in open(f"{out}/optim-inertia{t}.tsv"):
        name, params, score, unit = line.rstrip("\n").split("\t")
        p = dict(kv.split("=") for kv in params.split(","))
        ours[(p["method"], int(p["size"]))] = float(score)
    theirs = {}
    for j in range(1, builds + 1):
        for line in open(f"{out}/optim-torch{j}-{t}.tsv"):
            method, size, us, path = line.rstrip("\n").split("\t")
            key = (method, int(size), j)
            if key not in theirs or float(us) < theirs[key][0]:
                theirs[key] = (float(us), path)
    for (method, size), us in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        gb = bpe(method) * size / (us * 1e-6) / 1e9
        cells = [theirs.get((method, size, j)) for j in range(1, builds + 1)]
        best = min((c[0] for c in cells if c), default=None)
        row = f"{method:13} {size:>9} {t:>3} {us:>11.0f}"
        row += "".join(f" {(f'{c[0]:.0f} ({c[1]})' if c else '-'):>24}" for c in cells)
        row += f" {(f'{best / us:.2f}' if best else '-'):>8} {gb:>12.1f}"
        row += f" {(f'{bpe(method) * size / (best * 1e-6) / 1e9:.1f}' if best else '-'):>15}"
        row += f" {(f'{gb / triad[t]:.2f}' if t in triad else '-'):>8}"
        print(row)
PY
