"""PyTorch CPU optimizer steps, timed like the JMH benchmark (median over repeated steps).

usage: [SIZES=1000000,10000000] [METHODS=adam,...] python3 torch_optim.py THREADS  -> lines "method<TAB>size<TAB>microseconds<TAB>foreach"
Same methods, sizes and hyperparameters as OptimizerStepBenchmark; one float32 parameter tensor of
`size` elements (PyTorch's multi-tensor "foreach" path where the installed version has it).
"""
import os
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)

METHODS = {
    "sgd": lambda p, fe: torch.optim.SGD(p, lr=1e-3, **fe),
    "sgd-momentum": lambda p, fe: torch.optim.SGD(p, lr=1e-3, momentum=0.9, **fe),
    "nesterov": lambda p, fe: torch.optim.SGD(p, lr=1e-3, momentum=0.9, nesterov=True, **fe),
    "adagrad": lambda p, fe: torch.optim.Adagrad(p, lr=1e-3, **fe),
    "rmsprop": lambda p, fe: torch.optim.RMSprop(p, lr=1e-3, **fe),
    "adam": lambda p, fe: torch.optim.Adam(p, **fe),
    "adamw": lambda p, fe: torch.optim.AdamW(p, **fe),
    "rprop": lambda p, fe: torch.optim.Rprop(p, lr=1e-3, **fe),
}


def make(name, params):
    try:
        return METHODS[name](params, {"foreach": True}), "foreach"
    except TypeError:  # this version has no foreach for the method
        return METHODS[name](params, {}), "single"


SIZES = [int(s) for s in os.environ.get("SIZES", "1000000,10000000").split(",")]
ONLY = os.environ.get("METHODS")

for size in SIZES:
    for name in METHODS:
        if ONLY and name not in ONLY.split(","):
            continue
        g = torch.Generator().manual_seed(42)
        p = torch.randn(size, generator=g, dtype=torch.float32).requires_grad_()
        p.grad = torch.randn(size, generator=g, dtype=torch.float32) * 1e-3
        opt, mode = make(name, [p])
        opt.step()  # allocates the state outside the measurement
        reps = max(5, int(2e8 / size))
        for _ in range(reps):
            opt.step()
        samples = []
        for _ in range(7):
            t = time.perf_counter()
            for _ in range(reps):
                opt.step()
            samples.append((time.perf_counter() - t) / reps)
        samples.sort()
        print(f"{name}\t{size}\t{samples[len(samples) // 2] * 1e6:.2f}\t{mode}", flush=True)
