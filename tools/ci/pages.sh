#!/usr/bin/env bash
# The pages of docs/pages.md in a real headless Chromium: writes the classroom walkthrough (the classroom example of the README,
# y = 1, lr: 0.5), a replay of XOR training and, with NNS_DATA, the MNIST MLP's page, then
# drives them with Selenium (tools/ci/check_pages.py): keys, clicks, visible text, the
# browser log, load time and size, screenshots.
#
#   bash tools/ci/pages.sh NNS [SHOTS_DIR]      (NNS: the release nns binary)
set -euo pipefail
NNS=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
shots="${2:-$work}"
mkdir -p "$shots"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi
source "$ROOT/tools/ci/venv.sh"
"$NNS_PY" -c "import selenium" 2>/dev/null || nns_pip selenium

cat > "$work/walk.nns" <<'NNS'
# the classroom 2-2-1 network (README), one example, target 1: forward, backward and one SGD step.
net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2]) |> sigmoid |> linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3]) |> sigmoid
explain(net, [0.5, 0.8], 1, args[0] + "/walk.html", loss: mse, lr: 0.5)
# XOR, trained with the weights kept every 20 epochs.
seed(1)
xnet = linear(2, 8) |> tanh |> linear(8, 1) |> sigmoid
h = train(xnet, xor_gate, loss: bce, optimizer: 0.5, epochs: 300, batch: 4, snapshots: 20)
replay(h, xor_gate, args[0] + "/train.html")
NNS
"$NNS" "$work/walk.nns" "$work"

if [ -n "${NNS_DATA:-}" ] && [ -f "$NNS_DATA/mnist/train-images-idx3-ubyte.gz" ]; then
    cat > "$work/mnist.nns" <<'NNS'
# The notes' MNIST MLP after one epoch, explained on the first test image.
seed(0)
net = linear(784, 256) |> relu |> linear(256, 32) |> relu |> linear(32, 10) |> softmax
train(net, mnist("train"), loss: cross_entropy, optimizer: 0.1, epochs: 1, batch: 64)
test = mnist("test")
explain(net, test.x[0], test.y[0], args[0] + "/mnist.html", lr: 0.1)
NNS
    "$NNS" "$work/mnist.nns" "$work"
fi

"$NNS_PY" "$ROOT/tools/ci/check_pages.py" "$work" "$shots"
echo "screenshots in $shots"
