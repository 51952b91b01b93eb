#!/usr/bin/env bash
# Interoperability checks for save/load/export (issue 8): nns-written safetensors read by
# Python's safetensors, Python-written safetensors loaded into nns, exported ONNX models run
# in onnxruntime and exported PyTorch scripts run (in torch if installed, else a numpy
# stand-in), both against nns's outputs. Called by .ci/run; needs pip (network) once.
#
#   tools/ci/io_checks.sh [NNS_IO_CHECK]   # default: builds nns-io-check (debug)
set -euo pipefail
cd "$(dirname "$0")/../.."

python3 -m pip install -q --disable-pip-version-check safetensors numpy onnx onnxruntime 2>&1 | grep -v "Running pip as the 'root' user" || true

if [ $# -ge 1 ]; then
    tool="$1"
else
    swift build --product nns-io-check 2>&1 | tail -n 3
    tool="$(swift build --show-bin-path)/nns-io-check"
fi

work="$(mktemp -d /tmp/nns-io-checks.XXXXXX)"
trap 'rm -rf "$work"' EXIT

"$tool" write "$work"
python3 tools/ci/check_safetensors.py "$work" "$tool"
python3 tools/ci/check_onnx.py "$work"
python3 tools/ci/check_pytorch_script.py "$work"
echo "io checks: all passed"
