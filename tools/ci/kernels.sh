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
assert abs(core - ghz * fpc) < 0.1 * core, kv
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
fi
echo "kernel benchmarks: ok"
