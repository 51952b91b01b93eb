#!/usr/bin/env bash
# Interleaved matmul benchmark: nns (nns-bench matmul) against NumPy/OpenBLAS, both with
# 2 threads, alternating in each round so machine noise hits both alike.
# Usage: bench/matmul.sh [rounds (default 3)] [seconds per shape (default 0.3)] [cpu]
#   cpu: one thread each, GFLOP/s per second of thread CPU time -- compares the kernels
#        on a shared machine where wall time mostly measures the other load.
# Prints: shape, nns GFLOP/s best/median, numpy GFLOP/s best/median, ratio of the bests.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-0.3}
clock=()
if [ "${3:-}" = cpu ]; then
    clock=(--cpu-time)
    export OPENBLAS_NUM_THREADS=1 NNS_THREADS=1
fi
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}
export NNS_THREADS=${NNS_THREADS:-2}

swift build -c release --product nns-bench >/dev/null
bin=$(swift build -c release --show-bin-path)/nns-bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for r in $(seq 1 "$rounds"); do
    "$bin" matmul --seconds "$seconds" "${clock[@]}" > "$out/nns.$r"
    python3 bench/matmul.py --seconds "$seconds" "${clock[@]}" > "$out/numpy.$r"
done
head -1 "$out/nns.1"; head -1 "$out/numpy.1"
echo "# rounds=$rounds seconds/shape=$seconds"

python3 - "$out" "$rounds" <<'PY'
import statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(tool):
    runs = {}
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{tool}.{r}"):
            if line.startswith("#") or not line.strip():
                continue
            name, g = line.split()
            runs.setdefault(name, []).append(float(g))
    return runs
nns, npy = load("nns"), load("numpy")
print(f"{'shape':30s} {'nns best':>9s} {'nns med':>8s} {'np best':>8s} {'np med':>8s} {'ratio':>6s}")
for name in nns:
    a, b = nns[name], npy.get(name, [float('nan')])
    print(f"{name:30s} {max(a):9.1f} {statistics.median(a):8.1f} {max(b):8.1f} {statistics.median(b):8.1f} {max(a)/max(b):6.2f}")
PY
