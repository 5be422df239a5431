"""PyTorch CPU nn.LSTM training step (forward + backward, no optimizer) with LstmBenchmark's shapes.

usage: python3 torch_lstm.py THREADS HIDDEN...  -> lines "hidden threads ms_per_step us_per_sample"
Batch 64, 784 steps, input 1, batch_first, logits from the last h through Linear(H, 10), cross-entropy.
Time: median of REPS (default 3) steps after WARMUP (default 1) warm-up steps.
"""
import os
import statistics
import sys
import time

import torch

threads = int(sys.argv[1])
torch.set_num_threads(threads)
reps = int(os.environ.get("REPS", "3"))
warmup = int(os.environ.get("WARMUP", "1"))
B, T, I, C = 64, 784, 1, 10
torch.manual_seed(0)
for hidden in map(int, sys.argv[2:]):
    lstm = torch.nn.LSTM(I, hidden, batch_first=True)
    head = torch.nn.Linear(hidden, C)
    x = torch.rand(B, T, I)
    y = torch.randint(0, C, (B,))
    params = list(lstm.parameters()) + list(head.parameters())

    def step():
        for p in params:
            p.grad = None
        out, (h, c) = lstm(x)
        loss = torch.nn.functional.cross_entropy(head(h[-1]), y)
        loss.backward()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    ms = statistics.median(times) * 1e3
    print(f"{hidden} {threads} {ms:.1f} {ms * 1e3 / B:.1f}", flush=True)
