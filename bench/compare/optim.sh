#!/usr/bin/env bash
# Side by side, in one run: Inertia's OptimizerStepBenchmark (JMH) and PyTorch CPU (Debian python3-torch,
# foreach=True where available) for the same methods and sizes, 1 and 2 threads each, plus the
# STREAM-like triad as the bandwidth reference. Prints time per step, GB/s by the bytes-per-element
# model of OptimizerStepBenchmark (sgd 12, momentum/adagrad/rmsprop 20, adam/adamw/rprop 28, aggmo 36)
# and the ratios PyTorch/Inertia (speed-up) and Inertia GB/s / triad GB/s (fraction of bandwidth).
# usage: bench/compare/optim.sh        (from the repository root; builds if needed)
# env:   METHODS=adam,sgd-momentum  restricts the methods; SIZES=100000000 replaces the sizes (both sides);
#        JMH_ARGS overrides the JMH run lengths; OUT_DIR the output folder (default target/compare).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT_DIR:-target/compare}; mkdir -p "$out"
./inertia build >/dev/null
gcc -O3 -march=native -fopenmp bench/compare/stream.c -o "$out/stream"
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
for t in 1 2; do OMP_NUM_THREADS=$t "$out/stream"; done | tee "$out/stream.txt"
methods=${METHODS:-}
margs=()
[[ -n $methods ]] && margs=(-p "method=$methods")
[[ -n ${SIZES:-} ]] && margs+=(-p "size=$SIZES")
export METHODS SIZES
# JMH refuses to start while another JMH run holds /tmp/jmh.lock; on a shared machine we run anyway
# (and note the noise) rather than wait: set JMH_WAIT=1 to keep JMH's lock.
[[ -z ${JMH_WAIT:-} ]] && export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -Djmh.ignoreLock=true"
for t in 1 2; do
  ./inertia jmh OptimizerStepBenchmark "${margs[@]}" ${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s} \
    -jvmArgs "-Dinertia.threads=$t" -rf json -rff "$out/optim-$t.json" >"$out/optim-jmh-$t.log"
  python3 bench/compare/jmh_json.py "$out/optim-$t.json" >"$out/optim-inertia$t.tsv"
done
PY=${PYTHON:-/usr/bin/python3}  # Debian's interpreter: python3-torch installs there
if "$PY" -c 'import torch' 2>/dev/null; then
  for t in 1 2; do "$PY" bench/compare/torch_optim.py $t >"$out/optim-torch$t.tsv"; done
  "$PY" -c 'import torch; print("== torch", torch.__version__)'
else
  echo "== PyTorch not importable (apt-get install python3-torch): Inertia columns only"
  : >"$out/optim-torch1.tsv"; : >"$out/optim-torch2.tsv"
fi
python3 - "$out" <<'PY'
import re
import sys
out = sys.argv[1]
triad = {}
for line in open(f"{out}/stream.txt"):
    m = re.match(r"threads (\d+) copy ([\d.]+) GB/s triad ([\d.]+) GB/s", line)
    if m:
        triad[int(m.group(1))] = float(m.group(3))
def bpe(method):
    return {"sgd": 12, "adam": 28, "adamw": 28, "rprop": 28, "aggmo": 36}.get(method, 20)
print(f"{'method':13} {'size':>9} {'thr':>3} {'inertia us':>11} {'torch us':>10} {'inertia GB/s':>12} {'torch GB/s':>10}"
      f" {'torch/inertia':>13} {'of triad':>8}")
for t in (1, 2):
    ours = {}
    for line in open(f"{out}/optim-inertia{t}.tsv"):
        name, params, score, unit = line.rstrip("\n").split("\t")
        p = dict(kv.split("=") for kv in params.split(","))
        ours[(p["method"], int(p["size"]))] = float(score)
    theirs = {}
    for line in open(f"{out}/optim-torch{t}.tsv"):
        method, size, us, mode = line.rstrip("\n").split("\t")
        theirs[(method, int(size))] = float(us)
    for (method, size), us in sorted(ours.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        gb = bpe(method) * size / (us * 1e-6) / 1e9
        tu = theirs.get((method, size))
        tcol = f"{tu:>10.0f}" if tu else f"{'-':>10}"
        tgb = f"{bpe(method) * size / (tu * 1e-6) / 1e9:>10.1f}" if tu else f"{'-':>10}"
        ratio = f"{tu / us:>13.2f}" if tu else f"{'-':>13}"
        frac = f"{gb / triad[t]:>8.2f}" if t in triad else f"{'-':>8}"
        print(f"{method:13} {size:>9} {t:>3} {us:>11.0f} {tcol} {gb:>12.1f} {tgb} {ratio} {frac}")
PY
