"""PyTorch CPU LSTM training steps (forward + BPTT, no optimizer) with LstmBenchmark's shapes.

usage: [MODELS=nn.LSTM,momentum-lstm-loop,lstm-cell-loop] python3 torch_lstm.py THREADS HIDDEN...
       -> "# ..." description lines (baseline_info), then "model hidden threads ms_per_step us_per_sample" lines
Batch 64, 784 steps, input 1, logits from the last h through Linear(H, 10), mean cross-entropy, backward.
Models:
  nn.LSTM             PyTorch's fused LSTM layer: the baseline for Inertia's LSTM cells.
  momentum-lstm-loop  what a PyTorch user writes for MomentumLSTM, which PyTorch does not have: the cell of
                      the MomentumRNN paper's code (Nguyen et al. 2020), u = W_ih x + b_ih,
                      v <- mu v + s u (mu = s = 0.6, as MomentumLstmCell in LstmBenchmark),
                      gates = v + W_hh h + b_hh, then the LSTM gates, in a Python loop over the 784 steps
                      (the input projection per step, as that code does: slicing a hoisted [B, T, 4H]
                      projection per step costs a full-size gradient scatter per step in backward).
  lstm-cell-loop      nn.LSTMCell in the same Python loop: the cost of the loop itself, against nn.LSTM.
Time: median of REPS (default 3) steps after WARMUP (default 1) warm-up steps.
Exits with code 3 ("# refused: ...") if torch's BLAS is a reference BLAS.
"""
import os
import statistics
import sys
import time

import baseline_info as bi
import torch

threads = int(sys.argv[1])
torch.set_num_threads(threads)
bi.header(bi.torch_lines(torch))
bi.refuse_reference_blas(bi.torch_blas(torch), "PyTorch")
reps = int(os.environ.get("REPS", "3"))
warmup = int(os.environ.get("WARMUP", "1"))
MODELS = os.environ.get("MODELS", "nn.LSTM,momentum-lstm-loop,lstm-cell-loop").split(",")
B, T, I, C = 64, 784, 1, 10
MU, S = 0.6, 0.6


class MomentumLSTMCell(torch.nn.Module):
    """MomentumLSTM cell as in the MomentumRNN paper's code: x2h = (W_ih, b_ih), h2h = (W_hh, b_hh)."""

    def __init__(self, inputs, hidden):
        super().__init__()
        self.x2h = torch.nn.Linear(inputs, 4 * hidden)
        self.h2h = torch.nn.Linear(hidden, 4 * hidden)

    def forward(self, x, h, c, v):
        v = MU * v + S * self.x2h(x)
        gates = v + self.h2h(h)
        i, f, g, o = gates.chunk(4, 1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, c, v


def build(model, hidden):
    """(forward function x -> last h, parameters) for one model."""
    if model == "nn.LSTM":
        lstm = torch.nn.LSTM(I, hidden, batch_first=True)
        return (lambda x: lstm(x)[1][0][-1]), list(lstm.parameters())
    if model == "lstm-cell-loop":
        cell = torch.nn.LSTMCell(I, hidden)

        def run(x):
            h = torch.zeros(B, hidden)
            c = torch.zeros(B, hidden)
            for t in range(T):
                h, c = cell(x[:, t], (h, c))
            return h
        return run, list(cell.parameters())
    if model == "momentum-lstm-loop":
        cell = MomentumLSTMCell(I, hidden)

        def run(x):
            h = torch.zeros(B, hidden)
            c = torch.zeros(B, hidden)
            v = torch.zeros(B, 4 * hidden)
            for t in range(T):
                h, c, v = cell(x[:, t], h, c, v)
            return h
        return run, list(cell.parameters())
    raise SystemExit(f"unknown model {model} (use nn.LSTM, momentum-lstm-loop, lstm-cell-loop)")


torch.manual_seed(0)
for hidden in map(int, sys.argv[2:]):
    for model in MODELS:
        forward, params = build(model, hidden)
        head = torch.nn.Linear(hidden, C)
        params += list(head.parameters())
        x = torch.rand(B, T, I)
        y = torch.randint(0, C, (B,))

        def step():
            for p in params:
                p.grad = None
            loss = torch.nn.functional.cross_entropy(head(forward(x)), y)
            loss.backward()

        for _ in range(warmup):
            step()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            step()
            times.append(time.perf_counter() - t0)
        ms = statistics.median(times) * 1e3
        print(f"{model} {hidden} {threads} {ms:.1f} {ms * 1e3 / B:.1f}", flush=True)
