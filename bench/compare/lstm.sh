#!/usr/bin/env bash
# One LSTM training step (forward + BPTT over 784 steps, batch 64, input 1, no optimizer): Inertia's
# LstmBenchmark (every cell of the MomentumRNN family) next to every PyTorch CPU build found (see common.sh),
# each at 1 and 2 threads: nn.LSTM, the nn.LSTMCell loop, and the MomentumLSTM loop a PyTorch user writes
# (torch_lstm.py). Prints µs/sample, and speed-ups (> 1: Inertia faster) against the best (build, threads)
# of nn.LSTM (the issue's baseline for every cell), of any PyTorch LSTM (nn.LSTM or the LSTMCell loop) for
# lstm, and of the MomentumLSTM loop for momentum-lstm.
#   bench/compare/lstm.sh                         (first (re)builds bench/target/benchmarks.jar; every cell,
#                                                  hidden 128 and 256: 15-30 minutes)
#   CELLS="lstm momentum-lstm" HIDDEN=128 NO_BUILD=1 bench/compare/lstm.sh     (about 5 minutes)
#   JMH_ARGS="-f 1 -bm avgt -wi 3 -w 4s -i 5 -r 4s" ...   (longer, steadier JMH runs: the Vector API code
#                                                  keeps speeding up for the first seconds of C2 compilation)
# Settings (a step takes about a second, so these are short): JMH single-shot, -f 1 -wi 2 -i 3 (median of 3
# shots after two warm-up shots); PyTorch median of $REPS (3) steps after $WARMUP (1) warm-up. Inertia
# threads: $INERTIA_THREADS (default "1 2"). TORCH_MODELS restricts the PyTorch models. Other processes on
# the machine make both noisy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
CELLS=${CELLS:-"lstm momentum-lstm adam-lstm rmsprop-lstm sr-lstm"}
HIDDEN=${HIDDEN:-"128 256"}
TORCH_THREADS=${TORCH_THREADS:-"1 2"}
TORCH_HIDDEN=${TORCH_HIDDEN:-$HIDDEN}
INERTIA_THREADS=${INERTIA_THREADS:-"1 2"}
export MODELS=${TORCH_MODELS:-"nn.LSTM,momentum-lstm-loop,lstm-cell-loop"}

build_jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== machine: $(machine_line)"

find_torch_pythons
k=0
for py in ${TORCH_PYS[@]+"${TORCH_PYS[@]}"}; do
  k=$((k + 1))
  for t in $TORCH_THREADS; do
    echo "== PyTorch ($py), $t thread(s)" >&2
    # shellcheck disable=SC2086
    run_py "$t" "$tmp/torch$k.txt" "$py" bench/compare/torch_lstm.py "$t" $TORCH_HIDDEN || true
  done
done

for t in $INERTIA_THREADS; do
  echo "== Inertia LstmBenchmark, inertia.threads=$t" >&2
  run_jmh LstmBenchmark "$t" "$tmp/inertia$t.json" -p cell="$(echo $CELLS | tr ' ' ',')" \
    -p hidden="$(echo $HIDDEN | tr ' ' ',')" ${JMH_ARGS:--f 1 -wi 2 -i 3 -bm ss} -tu ms
done

echo "== Java: $(java -version 2>&1 | head -1)"
for j in $(seq 1 "$k"); do print_info "== PyTorch build $j:" "$tmp/torch$j.txt.info"; done
python3 - "$tmp" "$k" "$INERTIA_THREADS" <<'PY'
import json
import re
import statistics
import sys


def median_score(r):
    """JMH's median iteration, as the PyTorch and numpy baselines report their median rep."""
    return statistics.median(x for it in r["primaryMetric"]["rawData"] for x in it)


tmp, builds, threads = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3].split()]
torch = {}  # (model, hidden) -> list of (us/sample, label)
print("PyTorch (us/sample):")
for j in range(1, builds + 1):
    info = open(f"{tmp}/torch{j}.txt.info").read()
    m = re.search(r"# torch: (\S+)", info)
    name = m.group(1) if m else str(j)
    try:
        lines = open(f"{tmp}/torch{j}.txt").read().split("\n")
    except FileNotFoundError:
        lines = []
    for line in filter(None, lines):
        model, h, t, ms, us = line.split()
        label = f"torch {name}, {t} thr"
        torch.setdefault((model, int(h)), []).append((float(us), label))
        print(f"  {model:20} hidden {h:>4}  {label:28} {float(ms):9.1f} ms/step {float(us):10.1f} us/sample")


def best(model, h):
    c = torch.get((model, h))
    return min(c) if c else None


print(f"{'cell':14} {'hidden':>6} {'thr':>3} {'inertia us/smp':>14} {'vs best nn.LSTM':>28} {'vs best PyTorch LSTM':>30}"
      f" {'vs MomentumLSTM loop':>30}")
for t in threads:
    for r in json.load(open(f"{tmp}/inertia{t}.json")):
        cell, h = r["params"]["cell"], int(r["params"]["hidden"])
        us = median_score(r) * 1000 / 64  # ms/op -> us/sample
        lstm = best("nn.LSTM", h)
        anyl = min(filter(None, [best("nn.LSTM", h), best("lstm-cell-loop", h)]), default=None)
        mom = best("momentum-lstm-loop", h) if cell == "momentum-lstm" else None
        fmt = lambda b: f"{b[0] / us:.2f}x ({b[1]})" if b else "-"
        print(f"{cell:14} {h:>6} {t:>3} {us:>14.1f} {fmt(lstm):>28} {fmt(anyl if cell == 'lstm' else None):>30}"
              f" {fmt(mom):>30}")
PY
