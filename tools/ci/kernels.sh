#!/usr/bin/env bash
# CI for the matrix kernels' benchmarks (issue 19): the tools bench/matmul.sh and
# bench/epoch.py rely on must run and print what they parse, on every kernel this CPU has.
# Correctness of the kernels themselves is in swift test (KernelTests). Takes ~20 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product nns-bench 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)/nns-bench

# the limit: clock, FLOPs per cycle and peak, as key=value pairs
peak=$("$bin" peak --seconds 0.2)
echo "$peak"
python3 - "$peak" <<'PY'
import sys
kv = dict(x.split("=", 1) for x in sys.argv[1].split())
ghz, fpc, core = float(kv["clock_ghz"]), int(kv["flops_per_cycle"]), float(kv["core_peak_gflops"])
assert 0.3 < ghz < 10, kv
assert 2 <= fpc <= 128, kv
# clock x FLOPs per cycle, or the FMA loop's own rate where that is lower (Intel's AVX-512)
assert abs(core - min(ghz * fpc, float(kv["fma_loop_gflops"]))) < 0.1 * core, kv
assert core <= ghz * fpc * 1.01, kv
assert int(kv["cores"]) >= 1 and kv["kernel"], kv
PY

# every runnable kernel through the matmul benchmark: 7 shapes, 3 positive numbers each
check_matmul() {
    out=$("$@")
    echo "$out" | head -n 1
    echo "$out" | python3 -c '
import sys
rows = [l.split() for l in sys.stdin if l.strip() and not l.startswith("#")]
assert len(rows) == 7, rows
for r in rows:
    assert len(r) >= 4 and all(float(x) > 0 for x in r[1:4]), r
'
}
for kernel in portable avx2 avx512 neon; do
    # NNS_KERNEL only takes a kernel this CPU can run (else the automatic choice stays)
    if NNS_KERNEL=$kernel "$bin" peak --seconds 0.01 | grep -q "kernel=$kernel"; then
        NNS_KERNEL=$kernel NNS_THREADS=1 check_matmul "$bin" matmul --seconds 0.02 --cpu-time
    fi
done
NNS_THREADS=2 check_matmul "$bin" matmul --seconds 0.02

# NumPy's side prints the same columns (bench/matmul.sh joins them by shape name)
if python3 -c 'import numpy' 2>/dev/null; then
    OPENBLAS_NUM_THREADS=1 check_matmul python3 bench/matmul.py --seconds 0.02 --cpu-time
    # call for call against the OpenBLAS NumPy loads: per shape, both GFLOP/s and the
    # pair ratios (median, p10, p90), all positive
    bash bench/matmul.sh 1 0.02 paired | python3 -c '
import sys
lines = sys.stdin.read().splitlines()
print("\n".join(l for l in lines if l.startswith("# nns")))
rows = [l.split() for l in lines if l[:1].isdigit() or l.startswith("square")]
assert len(rows) == 7, lines
for r in rows:
    assert all(float(x) > 0 for x in r[1:6]), r
'
fi

# a library that is not a BLAS (a device, a library without cblas_sgemm, no file) is a
# clear error, not a crash
for lib in /dev/null /nonexistent/libblas.so "$(ldconfig -p | awk '/libm\.so\.6 /{print $NF; exit}')"; do
    [ -n "$lib" ] || continue
    if msg=$("$bin" matmul-paired --blas "$lib" 2>&1); then
        echo "matmul-paired accepted $lib"; exit 1
    fi
    echo "$msg" | grep -q "cannot use $lib" || { echo "unclear error for $lib: $msg"; exit 1; }
done

# two builds of the kernels call for call (here HEAD against the working tree)
if command -v clang >/dev/null && git rev-parse -q --verify HEAD >/dev/null; then
    bash bench/kernel-ab/run.sh HEAD 0.02 1 | python3 -c '
import sys
lines = sys.stdin.read().splitlines()
rows = [l for l in lines if " B/A median " in l]
assert len(rows) == 9, lines  # the 7 shapes of nns-bench matmul, then two calls with extras
assert {r.split()[0] for r in rows[7:]} == {"step.490x256", "gated.256x32"}, rows
for r in rows:
    x = r.split()
    assert float(x[3]) > 0 and float(x[-5]) > 0 and float(x[-3]) > 0, r
print(rows[0])
'
fi
echo "kernel benchmarks: ok"
