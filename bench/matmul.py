#!/usr/bin/env python3
"""NumPy (float32, OpenBLAS) GFLOP/s on the same shapes as `nns-bench matmul`.

Output: one line per shape, "<name> <GFLOP/s> <GFLOP/s of the 10th-percentile call> <busy>"
(busy: process CPU time / wall time), as `nns-bench matmul`. Set OPENBLAS_NUM_THREADS before running
(bench/matmul.sh sets it to 2) -- it must be set before NumPy is imported.
Options: --seconds S (time per shape), --cpu-time (divide by this thread's CPU time; only
meaningful with OPENBLAS_NUM_THREADS=1).
"""
import time

import numpy as np

# name, trans_a, trans_b, m, k, n  (keep identical to bench/nns-bench/MatmulBench.swift)
SHAPES = [
    ("784x256.fwd.A*Bt(64x784x256)", False, True, 64, 784, 256),
    ("784x256.dW.At*B(256x64x784)", True, False, 256, 64, 784),
    ("784x256.dA.A*B(64x256x784)", False, False, 64, 256, 784),
    ("256x32.fwd.A*Bt(64x256x32)", False, True, 64, 256, 32),
    ("256x32.dW.At*B(32x64x256)", True, False, 32, 64, 256),
    ("256x32.dA.A*B(64x32x256)", False, False, 64, 32, 256),
    ("square.A*B(1024x1024x1024)", False, False, 1024, 1024, 1024),
]


def measure(trans_a, trans_b, m, k, n, seconds, clock):
    rng = np.random.default_rng(12345)
    a = rng.random((k, m) if trans_a else (m, k), dtype=np.float32) - 0.5
    b = rng.random((n, k) if trans_b else (k, n), dtype=np.float32) - 0.5
    A = a.T if trans_a else a  # views: BLAS gets the transpose flag, no copy
    B = b.T if trans_b else b
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(A, B, out=c)  # warm-up
    reps = 0
    calls = []
    start = previous = clock()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        np.matmul(A, B, out=c)
        reps += 1
        now = clock()
        calls.append(now - previous)
        previous = now
        elapsed = now - start
        if elapsed >= seconds:
            break
    busy = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
    calls.sort()
    flop = 2.0 * m * n * k
    return flop * reps / elapsed / 1e9, flop / calls[len(calls) // 10] / 1e9, busy


def blas_library():
    """The path of the BLAS library NumPy has loaded (its wheel's OpenBLAS, or the
    system's), or None."""
    import re
    np.ones((8, 8), np.float32) @ np.ones((8, 8), np.float32)  # loads the library
    with open("/proc/self/maps") as maps:
        return next((l.split()[-1] for l in maps if re.search(r"blas[^/]*\.so", l)), None)


def blas_core():
    """The kernel family of the OpenBLAS that NumPy loaded (e.g. Haswell, SkylakeX, Zen: what
    OPENBLAS_CORETYPE selects), or "unknown" for another BLAS."""
    import ctypes
    lib = blas_library()
    if lib:
        handle = ctypes.CDLL(lib)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                     "openblas_get_corename64_", "openblas_get_corename"):
            f = getattr(handle, name, None)
            if f is not None:
                f.restype = ctypes.c_char_p
                return f().decode()
    return "unknown"


def main():
    import argparse
    import os
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.3)
    parser.add_argument("--cpu-time", action="store_true")
    parser.add_argument("--core", action="store_true", help="print the BLAS kernel family and exit")
    parser.add_argument("--library", action="store_true", help="print the BLAS library's path and exit")
    args = parser.parse_args()
    if args.core or args.library:
        print(blas_core() if args.core else blas_library() or "")
        return
    clock = time.thread_time if args.cpu_time else time.perf_counter
    print(f"# numpy {np.__version__} OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
          f" openblas core={blas_core()} clock={'thread-cpu' if args.cpu_time else 'wall'}")
    for name, ta, tb, m, k, n in SHAPES:
        g, decile, busy = measure(ta, tb, m, k, n, args.seconds, clock)
        print(f"{name} {g:.1f} {decile:.1f} {busy:.2f}", flush=True)


if __name__ == "__main__":
    main()
