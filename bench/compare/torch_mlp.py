"""PyTorch CPU training step of MlpBenchmark's model: the baseline of bench/compare/mlp.sh.

usage: python3 torch_mlp.py THREADS BATCH...  -> "# ..." description lines, then per batch
       "batch threads us_per_step samples_per_s optimizer_path"

Model and step as MlpBenchmark: float32, x [batch, 784] uniform in [0, 1), labels uniform in [0, 10), one fixed
batch; nn.Sequential(Linear(784, 128), ReLU, Linear(128, 10)) with PyTorch's default initialization;
step = optimizer.zero_grad(); cross_entropy(model(x), y).backward(); optimizer.step() with
Adam(lr=1e-3) on its fastest CPU path (fused=True where the version has it, else foreach).
Time: median of 7 timed runs of enough steps for ~0.3 s each, after ~1 s of warm-up steps.
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
IN, HIDDEN, CLASSES = 784, 128, 10
torch.manual_seed(0)

for batch in map(int, sys.argv[2:]):
    model = torch.nn.Sequential(torch.nn.Linear(IN, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES))
    opt, path = bi.optimizer_path(torch, torch.optim.Adam, params=list(model.parameters()), lr=1e-3)
    x = torch.rand(batch, IN)
    y = torch.randint(0, CLASSES, (batch,))

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    t_end = time.perf_counter() + float(os.environ.get("WARMUP_S", "1"))
    n = 0
    while time.perf_counter() < t_end or n < 10:
        step()
        n += 1
    per = (float(os.environ.get("WARMUP_S", "1")) or 0.1) / n
    reps = max(3, int(0.3 / per))
    samples = []
    for _ in range(int(os.environ.get("RUNS", "7"))):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        samples.append((time.perf_counter() - t0) / reps)
    us = statistics.median(samples) * 1e6
    print(f"{batch} {threads} {us:.2f} {batch / us * 1e6:.0f} {path}", flush=True)
