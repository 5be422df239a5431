"""PyTorch CPU optimizer steps, timed like the JMH benchmark (median over repeated steps).

usage: [SIZES=1000000,10000000] [METHODS=adam,...] [PATHS=fused,foreach] python3 torch_optim.py THREADS
       -> "# ..." description lines (baseline_info), then "method<TAB>size<TAB>microseconds<TAB>path" lines
Same methods, sizes and hyperparameters as OptimizerStepBenchmark; one float32 parameter tensor of `size`
elements. Each method is timed on every implementation path in PATHS that this PyTorch version has:
"fused" (one kernel per step: Adam, AdamW, SGD, Adagrad in PyTorch >= 2.x on the CPU), "foreach" (the
multi-tensor path), "for-loop" (the single-tensor path, only when neither exists). The comparison takes
the fastest path per method; every timed path is printed. The BLAS is printed but never refused here: an
optimizer step makes no BLAS call, so a reference BLAS does not slow this baseline down.
"""
import os
import sys
import time

import baseline_info as bi
import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
bi.header(bi.torch_lines(torch))

METHODS = {
    "sgd": (torch.optim.SGD, dict(lr=1e-3)),
    "sgd-momentum": (torch.optim.SGD, dict(lr=1e-3, momentum=0.9)),
    "nesterov": (torch.optim.SGD, dict(lr=1e-3, momentum=0.9, nesterov=True)),
    "adagrad": (torch.optim.Adagrad, dict(lr=1e-3)),
    "rmsprop": (torch.optim.RMSprop, dict(lr=1e-3)),
    "adam": (torch.optim.Adam, dict()),
    "adamw": (torch.optim.AdamW, dict()),
    "rprop": (torch.optim.Rprop, dict(lr=1e-3)),
    "nadam": (torch.optim.NAdam, dict()),
    "radam": (torch.optim.RAdam, dict()),
    "adamax": (torch.optim.Adamax, dict()),
}
PATH_ARGS = {"fused": {"fused": True}, "foreach": {"foreach": True}, "for-loop": {}}


def make(name, params, path):
    """The optimizer on `path`, or None if this version does not have that path for the method."""
    cls, hyper = METHODS[name]
    try:
        opt = cls(params, **hyper, **PATH_ARGS[path])
        opt.step()  # a missing CPU kernel fails here; also allocates the state outside the measurement
        return opt
    except (TypeError, RuntimeError, ValueError, NotImplementedError):
        return None


SIZES = [int(s) for s in os.environ.get("SIZES", "1000000,10000000").split(",")]
ONLY = os.environ.get("METHODS")
PATHS = os.environ.get("PATHS", "fused,foreach").split(",")

for size in SIZES:
    for name in METHODS:
        if ONLY and name not in ONLY.split(","):
            continue
        timed_any = False
        for path in PATHS + ["for-loop"]:
            if path == "for-loop" and timed_any:
                break
            g = torch.Generator().manual_seed(42)
            p = torch.randn(size, generator=g, dtype=torch.float32).requires_grad_()
            p.grad = torch.randn(size, generator=g, dtype=torch.float32) * 1e-3
            opt = make(name, [p], path)
            if opt is None:
                continue
            timed_any = True
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
            print(f"{name}\t{size}\t{samples[len(samples) // 2] * 1e6:.2f}\t{path}", flush=True)
