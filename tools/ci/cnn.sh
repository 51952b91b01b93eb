#!/usr/bin/env bash
# CI: convolutional networks (issue 15) — samples/mnist_cnn.nns reaches ≥ 99.2% MNIST test
# accuracy for seed 0 (its --json run's last line is the evaluate record).
# Usage: tools/ci/cnn.sh NNS   (the release nns binary; MNIST from $NNS_DATA, by default
# ../shared/data relative to the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
nns=${1:?usage: tools/ci/cnn.sh path/to/release/nns}
export NNS_DATA=${NNS_DATA:-$(cd .. && pwd)/shared/data}

started=$SECONDS
if ! out=$("$nns" --json samples/mnist_cnn.nns 0); then
    echo "FAIL mnist_cnn: samples/mnist_cnn.nns exited with an error"; exit 1
fi
python3 - "$((SECONDS - started))" "$(printf '%s\n' "$out" | tail -n 1)" <<'PY'
import json, sys
seconds, last = sys.argv[1], sys.argv[2]
try:
    record = json.loads(last)
    accuracy = record["accuracy"]
except (ValueError, KeyError, TypeError):
    sys.exit(f"FAIL mnist_cnn: the last line is not an evaluate record: {last!r}")
verdict = "ok  " if accuracy >= 0.992 else "FAIL"
print(f"{verdict} mnist_cnn (seed 0): test accuracy {accuracy:.4f} (needs ≥ 0.992), loss {record.get('loss')}, in {seconds} s")
sys.exit(0 if accuracy >= 0.992 else 1)
PY
