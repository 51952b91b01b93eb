#!/usr/bin/env bash
# Issue 19's done list, measured and judged in one run on this machine:
#   1. per-thread GFLOP/s >= 1.1x OpenBLAS on every MNIST shape, >= 1.0x at 1024^3
#      (bench/matmul.sh ROUNDS 0.3 paired: call for call, the median pair ratio);
#   2. the MNIST epoch (2 threads) <= 0.6x NumPy's and <= 0.3x PyTorch's, quietest round
#      and medians both, and nns's spread of rounds no wider than NumPy's
#      (bench/epoch.py --rounds ROUNDS --epochs 3);
#   3. the figures a closing note needs: every line of both, the CPU, the kernel, the peak
#      and the share of it the epoch reached.
# The issue's machine is an AVX2-only Zen 3. On a CPU with AVX-512 the products are also
# judged held to AVX2 (NNS_KERNEL=avx2, OpenBLAS's Zen kernel): the AVX2 kernels there
# stand in for, but do not replace, a run on the Zen 3.
# Usage: bench/issue19.sh [matmul rounds (5)] [epoch rounds (7)] (NNS_DATA as for epoch.py)
# Exit status: 0 when every point holds, 1 when one does not, 2 on a failed measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
matmul_rounds=${1:-5}
epoch_rounds=${2:-7}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) online cores"
echo "# commit $(git rev-parse --short HEAD 2>/dev/null || echo '(not a git checkout)')"
kernels=(default)
grep -qw avx512f /proc/cpuinfo && kernels+=(avx2)
for k in "${kernels[@]}"; do
    if [ "$k" = avx2 ]; then
        NNS_KERNEL=avx2 OPENBLAS_CORETYPE=Zen bash bench/matmul.sh "$matmul_rounds" 0.3 paired > "$out/matmul.$k" || exit 2
    else
        bash bench/matmul.sh "$matmul_rounds" 0.3 paired > "$out/matmul.$k" || exit 2
    fi
    echo "## products, kernel $k"
    cat "$out/matmul.$k"
done
echo "## epochs"
python3 bench/epoch.py --rounds "$epoch_rounds" --epochs 3 --no-build > "$out/epoch" || exit 2
cat "$out/epoch"

python3 - "$out" "${kernels[@]}" <<'PY'
import re, sys
out, kernels = sys.argv[1], sys.argv[2:]
holds = True
def fail(message):
    print(f"bench/issue19.sh: {message}", file=sys.stderr)
    sys.exit(2)
def judge(point, ok, what):
    global holds
    holds &= ok
    print(f"{point}: {'holds' if ok else 'DOES NOT HOLD'}  {what}")

print("## the done list")
for k in kernels:
    rows = {}
    for line in open(f"{out}/matmul.{k}"):
        x = line.split()
        if len(x) >= 6 and "(" in x[0] and re.fullmatch(r"[0-9.]+", x[3]):
            rows[x[0]] = float(x[3])
    if len(rows) != 7:
        fail(f"expected 7 shapes from bench/matmul.sh, read {len(rows)}")
    short = [f"{name.split('(')[0]} {r:.2f}" for name, r in rows.items()
             if r < (1.0 if name.startswith("square") else 1.1)]
    judge(f"1 (kernel {k})", not short, "per-shape nns/OpenBLAS: " + ", ".join(f"{r:.2f}" for r in rows.values())
          + (f"; short: {'; '.join(short)}" if short else ""))

text = open(f"{out}/epoch").read()
def ratios(peer):
    m = re.search(rf"nns / {peer}\s+epoch time ([0-9.]+)× \(quiet round\), ([0-9.]+)× \(medians\)", text)
    if not m:
        fail(f"no nns / {peer} ratios in bench/epoch.py's output")
    return float(m[1]), float(m[2])
def spread(tool):
    m = re.search(rf"^{tool}\s+spread of rounds \(slowest / fastest\): ([0-9.]+)×", text, re.M)
    if not m:
        fail(f"no spread for {tool} in bench/epoch.py's output")
    return float(m[1])
numpy, torch = ratios("numpy"), ratios("torch")
judge("2 (NumPy)", max(numpy) <= 0.6, f"nns/NumPy {numpy[0]:.2f}x quietest round, {numpy[1]:.2f}x medians (<= 0.6)")
judge("2 (PyTorch)", max(torch) <= 0.3, f"nns/PyTorch {torch[0]:.2f}x quietest round, {torch[1]:.2f}x medians (<= 0.3)")
judge("2 (spread)", spread("nns") <= spread("numpy"), f"nns {spread('nns'):.2f}x, NumPy {spread('numpy'):.2f}x")
peak = re.findall(r"^nns epoch \((quiet round|median)\): .*?= ([0-9.]+ GFLOP/s, [0-9]+% of the 2-thread peak [0-9.]+ GFLOP/s)", text, re.M)
print("3: the epoch's products at " + "; ".join(f"{w}: {p}" for w, p in peak))
sys.exit(0 if holds else 1)
PY
