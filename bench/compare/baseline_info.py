"""What a Python baseline of bench/compare/ really runs, shared by every baseline script.

Why: Debian's python3-numpy and python3-torch call whatever libblas.so.3 the alternatives system points
to. Without libopenblas0-pthread that is the netlib reference BLAS, 20-30x slower than OpenBLAS, and a
ratio against it says nothing about Inertia. So every baseline script prints, before its numbers, the
interpreter, the library version, the code path (fused / foreach / for-loop) and the BLAS that the
process actually resolved, and refuses (exit code REFUSED, a "# refused: ..." line) to time a reference
BLAS.

Use from a baseline script (the script's directory is on sys.path):

    import baseline_info as bi
    import torch
    bi.header(bi.torch_lines(torch))        # "# torch: 2.13.0 ...", "# blas: ..."
    bi.refuse_reference_blas(bi.torch_blas(torch))

Output protocol shared with the shell scripts and BenchCommand: lines starting with "# " describe the
baseline; every other stdout line is data. A refused baseline prints "# refused: <why and how to fix>"
and exits with REFUSED.

As a command (any python3):
    python3 baseline_info.py torch-pythons   the interpreters that import torch, one distinct install each,
                                             as "path<TAB>torch version"
    python3 baseline_info.py numpy-pythons   the same for numpy (scipy-pythons: for scipy)
    python3 baseline_info.py describe        what this interpreter's numpy and torch run
"""
import ctypes
import os
import re
import subprocess
import sys

REFUSED = 3
INSTALL_OPENBLAS = ("install OpenBLAS so that libblas.so.3 points to it: "
                    "'apt-get install libopenblas0-pthread' (Debian/Ubuntu; 'update-alternatives --config "
                    "libblas.so.3-x86_64-linux-gnu' if another BLAS is still selected), or use a pip-installed "
                    "numpy/torch, which bundle their own BLAS")

# Where an interpreter with current PyTorch is looked for, after $TORCH_PYTHON (README: "Baselines").
VENV_DIRS = (".venv-torch", "venv-torch", ".venv", "venv")


def header(lines):
    """Prints each line as a "# " description line and flushes (before any data line)."""
    for line in lines:
        print("# " + line, flush=True)


def refuse(why):
    """Prints the refusal in the shared protocol and exits with REFUSED."""
    print("# refused: " + why, flush=True)
    print("refused: " + why, file=sys.stderr, flush=True)
    sys.exit(REFUSED)


# ----------------------------------------------------------------------------------------- libraries

def loaded_libraries():
    """Distinct files mapped into this process (shared libraries), from /proc/self/maps; [] elsewhere."""
    seen = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split(None, 5)
                if len(parts) == 6 and ".so" in parts[5]:
                    p = parts[5].strip()
                    if p not in seen:
                        seen.append(p)
    except OSError:
        pass
    return seen


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def _dladdr(address):
    """The file that holds a loaded symbol's address, or None."""
    for name in (None, "libdl.so.2"):
        try:
            lib = ctypes.CDLL(name)
            f = lib.dladdr
        except (OSError, AttributeError):
            continue
        f.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
        f.restype = ctypes.c_int
        info = _DlInfo()
        if f(address, ctypes.byref(info)) and info.dli_fname:
            return info.dli_fname.decode()
    return None


def symbol_file(library, symbols):
    """Which file provides the first of `symbols` as `library` (a loaded file) resolves it, or None.

    dlsym on the library's handle searches the library and then its dependencies in load order, which is
    how the library's own calls bind: for libtorch_cpu that finds sgemm_ in whichever libblas.so.3 the
    loader picked (the alternatives link, LD_LIBRARY_PATH, ...)."""
    try:
        lib = ctypes.CDLL(library)
    except OSError:
        return None
    for s in symbols:
        try:
            fn = getattr(lib, s)
        except AttributeError:
            continue
        path = _dladdr(ctypes.cast(fn, ctypes.c_void_p).value)
        if path:
            return os.path.realpath(path)
    return None


def _call_str(lib, name):
    try:
        f = getattr(lib, name)
    except AttributeError:
        return None
    f.restype = ctypes.c_char_p
    try:
        v = f()
    except Exception:  # noqa: BLE001 - a foreign library
        return None
    return v.decode(errors="replace").strip() if v else None


def classify_blas_file(path):
    """(kind, detail) of a BLAS library file: kind is 'openblas', 'mkl', 'blis' or 'reference'.

    'reference' means a BLAS with none of the optimized libraries' entry points: the netlib reference
    implementation that Debian's libblas3 installs as /usr/lib/<arch>/blas/libblas.so.3."""
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        return "unknown", f"{path} (cannot open: {e})"
    for prefix in ("", "scipy_", "scipy_openblas_"):
        cfg = _call_str(lib, prefix + "openblas_get_config") or _call_str(lib, prefix + "openblas_get_config64_")
        if cfg:
            core = (_call_str(lib, prefix + "openblas_get_corename")
                    or _call_str(lib, prefix + "openblas_get_corename64_") or "?")
            name = cfg if cfg.startswith("OpenBLAS") else "OpenBLAS " + cfg
            return "openblas", f"{name}, kernel {core} ({path})"
    for sym in ("mkl_get_version_string", "MKL_Get_Version_String", "mkl_serv_get_version"):
        if hasattr(lib, sym):
            return "mkl", f"MKL ({path})"
    v = _call_str(lib, "bli_info_get_version_str")
    if v:
        return "blis", f"BLIS {v} ({path})"
    return "reference", f"reference BLAS without an optimized kernel ({path})"


def _libblas_alternative():
    """Where the system's libblas.so.3 link points (Debian's alternatives), or None."""
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"):
        p = os.path.join(d, "libblas.so.3")
        if os.path.exists(p):
            return os.path.realpath(p)
    return None


# ----------------------------------------------------------------------------------------- torch

def torch_blas(torch):
    """(kind, detail) of the BLAS torch's matrix products call in this process."""
    cfg = torch.__config__.show()
    m = re.search(r"BLAS_INFO=([^,\s]+)", cfg)
    info = m.group(1) if m else "unknown"
    if info == "mkl":
        mkl = next((l.strip(" -") for l in cfg.splitlines() if "Math Kernel Library" in l), "MKL")
        return "mkl", f"{mkl} (linked into libtorch, BLAS_INFO=mkl)"
    # A build against the system BLAS (Debian: BLAS_INFO=generic): ask libtorch_cpu which file sgemm_ binds to.
    lib = next((p for p in loaded_libraries() if os.path.basename(p).startswith("libtorch_cpu")), None)
    path = symbol_file(lib, ("sgemm_", "cblas_sgemm")) if lib else None
    if path is None:
        path = next((p for p in loaded_libraries() if re.search(r"lib(open)?blas", os.path.basename(p))), None)
    if path is None:
        return "unknown", f"BLAS_INFO={info}, no BLAS library found in the process"
    kind, detail = classify_blas_file(path)
    return kind, f"BLAS_INFO={info}: {detail}"


def torch_lines(torch):
    """Description lines of this interpreter's torch: version, install, threads, BLAS, libblas.so.3."""
    kind, detail = torch_blas(torch)
    cap = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
    lines = [f"python: {sys.executable} ({sys.prefix})",
             f"torch: {torch.__version__} from {os.path.dirname(torch.__file__)}"
             + (f", CPU capability {cap.group(1)}" if cap else ""),
             f"torch threads: {torch.get_num_threads()} intra-op",
             f"blas: {detail}"]
    alt = _libblas_alternative()
    if alt:
        lines.append(f"system libblas.so.3 -> {alt}")
    return lines


def optimizer_path(torch, cls, **kw):
    """Builds torch.optim `cls` on the fastest CPU path this version has: fused=True (PyTorch >= 2.x for
    Adam, AdamW, SGD, Adagrad), else foreach=True, else the for-loop. Returns (optimizer, path name).
    `kw` holds the parameters (`params`) and hyperparameters."""
    for path, extra in (("fused", {"fused": True}), ("foreach", {"foreach": True}), ("for-loop", {})):
        try:
            opt = cls(**kw, **extra)
        except (TypeError, RuntimeError, ValueError):
            continue
        if path == "fused":
            # a CPU fused step needs the kernels: step once on a copy to see that they exist
            try:
                probe_p = torch.zeros(4, requires_grad=True)
                probe_p.grad = torch.zeros(4)
                kw2 = dict(kw)
                kw2["params"] = [probe_p]
                cls(**kw2, **extra).step()
            except (RuntimeError, TypeError, NotImplementedError):
                continue
        return opt, path
    raise RuntimeError(f"cannot build {cls.__name__}")


# ----------------------------------------------------------------------------------------- numpy

def numpy_blas(np):
    """(kind, detail) of the BLAS numpy's float32 matmul calls in this process.

    First the file that numpy's core extension binds cblas_sgemm to (a Debian numpy links libblas.so.3,
    so this follows the alternatives link or LD_LIBRARY_PATH); then threadpoolctl; then show_config."""
    core = next((p for p in loaded_libraries() if os.path.basename(p).startswith("_multiarray_umath")), None)
    path = symbol_file(core, ("cblas_sgemm", "scipy_cblas_sgemm64_", "cblas_sgemm64_")) if core else None
    if path and not os.path.basename(path).startswith("_multiarray_umath"):
        return classify_blas_file(path)
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            if info.get("user_api") == "blas":
                api = info.get("internal_api")
                kind = {"openblas": "openblas", "mkl": "mkl", "blis": "blis"}.get(api, "reference")
                return kind, (f"{api} {info.get('version')}, kernel {info.get('architecture')}, "
                              f"{info.get('num_threads')} threads ({info.get('filepath')}, threadpoolctl)")
    except ImportError:
        pass
    for p in loaded_libraries():
        if re.search(r"openblas|mkl_rt|libblis", os.path.basename(p)):
            return classify_blas_file(p)
    try:  # numpy 2: show_config(mode="dicts")
        blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
        name = f"{blas.get('name', '')} {blas.get('version', '')}".strip()
    except TypeError:  # numpy 1.x has no mode argument
        name = ""
    for kind in ("openblas", "mkl", "blis"):
        if kind in name:
            return kind, f"{name} (numpy show_config)"
    return "unknown", f"no BLAS library found in the process (numpy built with {name or 'unknown'})"


def numpy_lines(np):
    """Description lines of this interpreter's numpy: version and the BLAS it resolved."""
    kind, detail = numpy_blas(np)
    lines = [f"python: {sys.executable} ({sys.prefix})", f"numpy: {np.__version__}", f"blas: {detail}"]
    alt = _libblas_alternative()
    if alt:
        lines.append(f"system libblas.so.3 -> {alt}")
    return lines


def refuse_reference_blas(blas, what="this baseline"):
    """Exits with REFUSED if `blas` (a (kind, detail) pair) is a reference BLAS."""
    kind, detail = blas
    if kind == "reference":
        refuse(f"{what} would run on a reference BLAS ({detail}), 20-30x slower than an optimized BLAS; a ratio "
               f"against it would flatter Inertia. To compare, {INSTALL_OPENBLAS}.")


# ----------------------------------------------------------------------------------------- interpreters

def candidate_pythons(module):
    """Interpreters to try for `module`, in order: $TORCH_PYTHON (torch) or $NUMPY_PYTHON (numpy, scipy), each a
    ':'-separated list; $VIRTUAL_ENV; the venvs VENV_DIRS in the repository root; Debian's /usr/bin/python3;
    python3 on PATH."""
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
    env = os.environ.get("TORCH_PYTHON" if module == "torch" else "NUMPY_PYTHON", "")
    out = [p for p in env.split(":") if p]
    if os.environ.get("VIRTUAL_ENV"):
        out.append(os.path.join(os.environ["VIRTUAL_ENV"], "bin", "python"))
    out += [os.path.join(root, d, "bin", "python") for d in VENV_DIRS]
    if module != "torch":  # a pip numpy (bundled OpenBLAS) first, as users have it
        out += ["python3", "/usr/bin/python3"]
    else:
        out += ["/usr/bin/python3", "python3"]
    return out


def find_pythons(module):
    """[(interpreter, version)] for each distinct installation of `module` among candidate_pythons()."""
    found, installs = [], set()
    code = f"import {module}, os; print({module}.__version__); print(os.path.realpath({module}.__file__))"
    for py in candidate_pythons(module):
        if os.sep in py and not os.path.exists(py):
            continue
        try:
            r = subprocess.run([py, "-c", code], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if r.returncode != 0:
            continue
        version, where = r.stdout.split("\n")[:2]
        if where not in installs:
            installs.add(where)
            found.append((py, version))
    return found


def main(argv):
    if len(argv) >= 2 and argv[1] in ("torch-pythons", "numpy-pythons", "scipy-pythons"):
        for py, version in find_pythons(argv[1].split("-")[0]):
            print(f"{py}\t{version}")
        return 0
    if len(argv) >= 2 and argv[1] == "describe":
        try:
            import numpy
            header(numpy_lines(numpy))
        except ImportError:
            header(["numpy: not importable"])
        try:
            import torch
            header(torch_lines(torch))
        except ImportError:
            header(["torch: not importable"])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
