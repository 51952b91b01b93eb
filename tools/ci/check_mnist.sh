#!/usr/bin/env bash
# CI: the MNIST and Fashion-MNIST samples reach their accuracy targets (issue 6) — the seed
# network 784-256-32-10 at ≥ 98% on MNIST (samples/mnist.nns, seed 0) and ≥ 88% on
# Fashion-MNIST (samples/fashion.nns). Release build; MNIST from ../shared/data relative to
# the repository root (override with NNS_DATA), Fashion-MNIST from dataset-fashion-mnist.
# Usage: tools/ci/check_mnist.sh [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
seed=${1:-0}

export NNS_DATA=${NNS_DATA:-$(cd .. && pwd)/shared/data}
swift build -c release --product nns >/dev/null
nns=$(swift build -c release --show-bin-path)/nns

# Reads the last line of a --json run ({"loss": ..., "accuracy": ...}) and checks the accuracy.
check() {
    local name=$1 minimum=$2 script=$3
    local started=$SECONDS out
    if ! out=$("$nns" --json "$script" "$seed"); then
        echo "FAIL $name: $script exited with an error"; return 1
    fi
    python3 - "$name" "$minimum" "$((SECONDS - started))" "$(printf '%s\n' "$out" | tail -n 1)" <<'PY'
import json, sys
name, minimum, seconds, last = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
try:
    accuracy = json.loads(last)["accuracy"]
except (ValueError, KeyError, TypeError):
    sys.exit(f"FAIL {name}: the last line is not an evaluate record: {last!r}")
verdict = "ok  " if accuracy >= minimum else "FAIL"
print(f"{verdict} {name}: test accuracy {accuracy:.4f} (needs ≥ {minimum}) in {seconds} s")
sys.exit(0 if accuracy >= minimum else 1)
PY
}

status=0
echo "== MNIST sample (seed $seed)"
check mnist 0.98 samples/mnist.nns || status=1

echo "== Fashion-MNIST sample (seed $seed)"
if ! [ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ] && ! [ -d "$NNS_DATA/fashion-mnist" ]; then
    (apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist) >/dev/null
fi
check fashion 0.88 samples/fashion.nns || status=1
exit $status
