"""Cross-checks Inertia's safetensors files against PyTorch and the reference safetensors library.

Run by SafeTensorsPythonTest when `python3` (or $INERTIA_PYTHON) can import torch and safetensors.torch:

  safetensors_crosscheck.py check FILE   # FILE was written by Inertia: load it with safetensors.torch.load_file
  safetensors_crosscheck.py write DIR    # write DIR/torch.safetensors (same tensors, via save_file) and
                                         # DIR/torch_extra.safetensors (dtypes Inertia converts on load)

The tensors are given by closed formulas, mirrored in the Java test, so both sides know the expected values.
"""
import sys

import torch
from safetensors.torch import load_file, save_file


def expected():
    return {
        "weight": torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1,
        "bias": (torch.arange(4, dtype=torch.float32) + 1) / 3,
        "scalar": torch.tensor(2.5, dtype=torch.float64),
        "steps": torch.tensor([[1, 2], [3, 4]], dtype=torch.int32),
        "empty": torch.zeros((0, 3), dtype=torch.float32),
        "layer.0.w": torch.arange(6, dtype=torch.float64).reshape(2, 3) * 1e-3,
    }


def extra():
    return {
        "i64": torch.arange(5, dtype=torch.int64) - 2,
        "half": torch.arange(4, dtype=torch.float16) / 4,
        "bf": torch.arange(4, dtype=torch.bfloat16) * 0.5,
        "u8": torch.tensor([0, 7, 255], dtype=torch.uint8),
    }


def check(path):
    got = load_file(path)
    want = expected()
    if set(got) != set(want):
        sys.exit(f"names differ: {sorted(got)} vs {sorted(want)}")
    for name, t in want.items():
        g = got[name]
        if g.dtype != t.dtype or g.shape != t.shape or not torch.equal(g, t):
            sys.exit(f"{name}: got {g.dtype} {tuple(g.shape)} {g} expected {t.dtype} {tuple(t.shape)} {t}")
    print("ok")


def write(directory):
    save_file(expected(), f"{directory}/torch.safetensors", metadata={"format": "pt"})
    save_file(extra(), f"{directory}/torch_extra.safetensors")
    print("ok")


if __name__ == "__main__":
    {"check": check, "write": write}[sys.argv[1]](sys.argv[2])
