#!/usr/bin/env bash
# Interleaved matmul benchmark: nns (nns-bench matmul) against NumPy/OpenBLAS, both with
# 2 threads, alternating in each round so machine noise hits both alike.
# Usage: bench/matmul.sh [rounds (default 3)] [seconds per shape (default 0.3)] [cpu|threads|paired]
#   cpu:     one thread each, GFLOP/s per second of thread CPU time -- compares the kernels
#            on a shared machine where wall time mostly measures the other load.
#   paired:  one thread each, call for call in one process (nns-bench matmul-paired against
#            the OpenBLAS NumPy loads): each round prints, per shape, both median calls and
#            the median of the adjacent calls' time ratios, which the machine's slow phases
#            (that move whole runs by a third) do not move; the summary takes the median
#            over rounds.
#   threads: nns alone, one thread (thread CPU time) against two threads (wall time): the
#            2-thread speed-up per shape and how busy the two threads were (CPU / wall).
# To compare the AVX2 kernels on an AVX-512 machine, hold both to AVX2:
#   NNS_KERNEL=avx2 OPENBLAS_CORETYPE=Zen bench/matmul.sh 5 0.6 paired
# Prints the CPU model, the kernel that ran, the measured clock and peak (nns-bench peak),
# then per shape: nns and numpy GFLOP/s over whole runs (best and median round) and their
# ratio of bests; the same from each run's 10th-percentile call (p10: on a shared machine
# the fastest calls are the undisturbed ones; the timer's own cost, ~0.3 us a call, is in
# both) and its ratio; and each whole-run best as a percentage of the peak of the threads
# used (one core with `cpu`, all online cores otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-0.3}
mode=${3:-}
clock=()
if [ "$mode" = cpu ]; then
    clock=(--cpu-time)
    export OPENBLAS_NUM_THREADS=1 NNS_THREADS=1
fi
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-2}
export NNS_THREADS=${NNS_THREADS:-2}

swift build -c release --product nns-bench >/dev/null
bin=$(swift build -c release --show-bin-path)/nns-bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "# cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) online cores"
"$bin" peak > "$out/peak"
echo "# peak: $(cat "$out/peak")"
echo "#   clock: dependent register-add chain (1 cycle per add), thread CPU time, best of 10 passes"
echo "#   core peak = clock x flops_per_cycle (2 per FMA x lanes x FMA pipes, from an FMA-throughput loop),"
echo "#   or that loop's own rate when lower (Intel runs AVX-512 FMAs below the scalar clock)"

if [ "$mode" = paired ]; then
    # The BLAS library NumPy has loaded (its wheel's OpenBLAS, or the system's).
    blas=$(python3 bench/matmul.py --library)
    if [ -z "$blas" ]; then
        echo "bench/matmul.sh: NumPy has loaded no BLAS library to pair with (is it built without one?)" >&2
        exit 2
    fi
    echo "# peer: $blas (kernels: $(python3 bench/matmul.py --core))"
    for r in $(seq 1 "$rounds"); do
        "$bin" matmul-paired --blas "$blas" --seconds "$seconds" > "$out/paired.$r"
    done
    head -1 "$out/paired.1"
    python3 - "$out" "$rounds" <<'PY'
import statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = {}
for r in range(1, rounds + 1):
    for line in open(f"{out}/paired.{r}"):
        if line.startswith("#") or not line.strip():
            continue
        name, *v = line.split()
        rows.setdefault(name, []).append([float(x) for x in v])
print(f"# rounds={rounds}; per shape, medians over rounds of: the median call's GFLOP/s, and the")
print(f"# pair ratio (BLAS call time / nns call time, > 1: nns faster) at its median, p10 and p90")
print(f"{'shape':30s} {'nns':>6s} {'blas':>6s} {'ratio':>6s} {'p10':>5s} {'p90':>5s} {'rounds: median ratio':>s}")
for name, v in rows.items():
    med = lambda i: statistics.median(x[i] for x in v)
    each = " ".join(f"{x[2]:.2f}" for x in v)
    print(f"{name:30s} {med(0):6.1f} {med(1):6.1f} {med(2):6.2f} {med(3):5.2f} {med(4):5.2f}  {each}")
PY
    exit 0
fi

if [ "$mode" = threads ]; then
    for r in $(seq 1 "$rounds"); do
        NNS_THREADS=1 "$bin" matmul --seconds "$seconds" --cpu-time > "$out/one.$r"
        NNS_THREADS=2 "$bin" matmul --seconds "$seconds" > "$out/two.$r"
    done
    head -1 "$out/two.1"
    echo "# rounds=$rounds seconds/shape=$seconds; speed-up = best 2-thread wall GFLOP/s / best 1-thread CPU GFLOP/s"
else
    for r in $(seq 1 "$rounds"); do
        "$bin" matmul --seconds "$seconds" "${clock[@]}" > "$out/nns.$r"
        python3 bench/matmul.py --seconds "$seconds" "${clock[@]}" > "$out/numpy.$r"
    done
    head -1 "$out/nns.1"; head -1 "$out/numpy.1"
    echo "# rounds=$rounds seconds/shape=$seconds"
fi

python3 - "$out" "$rounds" "$NNS_THREADS" "$mode" <<'PY'
import statistics, sys
out, rounds, threads, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def load(tool):
    """shape -> per round (GFLOP/s, 10th-percentile call GFLOP/s, busy)"""
    runs = {}
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{tool}.{r}"):
            if line.startswith("#") or not line.strip():
                continue
            name, *values = line.split()
            runs.setdefault(name, []).append(tuple(float(x) for x in values[:3]))
    return runs
if mode == "threads":
    one, two = load("one"), load("two")
    print(f"{'shape':30s} {'1 thr':>7s} {'2 thr':>7s} {'speed-up':>8s} {'busy (cpu/wall, median)':>24s}")
    for name in one:
        a, b = max(x[0] for x in one[name]), max(x[0] for x in two[name])
        busy = statistics.median(x[2] for x in two[name])
        print(f"{name:30s} {a:7.1f} {b:7.1f} {b / a:8.2f} {busy:24.2f}")
    sys.exit(0)
peak = dict(kv.split("=") for kv in open(f"{out}/peak").read().split())
limit = float(peak["core_peak_gflops"]) * min(threads, int(peak["cores"]))
nns, npy = load("nns"), load("numpy")
print(f"# whole-run GFLOP/s (best and median round); p10: the 10th-percentile call's GFLOP/s, best round")
print(f"# % of peak: of {limit:.1f} GFLOP/s ({threads} thread(s) x core peak)")
print(f"{'shape':30s} {'nns best':>8s} {'nns med':>7s} {'np best':>7s} {'np med':>7s} {'ratio':>5s}"
      f" {'nns p10':>7s} {'np p10':>6s} {'ratio':>5s} {'nns %pk':>7s} {'np %pk':>6s}")
nan = (float('nan'),) * 3
for name in nns:
    a, b = nns[name], npy.get(name, [nan])
    ga, gb = max(x[0] for x in a), max(x[0] for x in b)
    da, db = max(x[1] for x in a), max(x[1] for x in b)
    print(f"{name:30s} {ga:8.1f} {statistics.median(x[0] for x in a):7.1f} {gb:7.1f} "
          f"{statistics.median(x[0] for x in b):7.1f} {ga/gb:5.2f} {da:7.1f} {db:6.1f} {da/db:5.2f} "
          f"{100*ga/limit:6.0f}% {100*gb/limit:5.0f}%")
PY
