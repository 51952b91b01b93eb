#!/usr/bin/env bash
# CI for export_training (docs/cluster.md): a recipe exported from nns and run by PyTorch —
# on one process and under torchrun with two (DistributedDataParallel over gloo, loopback) —
# ends where nns's own train ends; the weights come back into nns and evaluate agrees.
#
#   tools/ci/cluster.sh path/to/release/nns
#
# 1. plain SGD, shuffle: false, one epoch, cross_entropy: 2 processes and 1 process equal nns
#    to float32 rounding (relative 1e-4), and both processes hold identical weights;
# 2. momentum SGD (mse on one-hot targets) and Adam (cross_entropy with l2 and clip), 2 epochs
#    of a cosine schedule, under torchrun — see the tolerances below;
# 3. trained.safetensors loads back with into:, and evaluate agrees with PyTorch's;
# 4. the MNIST recipe of samples/mnist.nns, shortened to 2 epochs (cosine over 2), trained by
#    nns and by torchrun with 2 processes: test accuracies within 0.3 points.
# 250 examples in batches of 24: the last batch (10) is partial and splits 5 + 5.
set -euo pipefail
NNS=$(realpath "${1:?usage: tools/ci/cluster.sh path/to/nns}")
HERE=$(cd "$(dirname "$0")" && pwd)
export NNS_DATA="${NNS_DATA:-$HERE/../../../shared/data}"
source "$HERE/venv.sh"
nns_need_torch
nns_pip safetensors numpy
CHECK="$NNS_PY $HERE/check_cluster.py"
export MASTER_ADDR=127.0.0.1 OMP_NUM_THREADS=1
# torchrun's own module: the venv has no torchrun script when torch comes from the system's
# site-packages (the venv sees them) rather than from its own pip install.
torchrun() { "$NNS_PY" -m torch.distributed.run --standalone --nproc_per_node=2 "$@" 2> >(grep -v -e "^W.*run.py" -e "OMP_NUM_THREADS" >&2); }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

"$NNS_PY" - <<'PY'
import random
random.seed(3)
with open("blobs.csv", "w") as f:
    f.write("a,b,c,label\n")
    for i in range(250):
        k = i % 3
        f.write(f"{random.gauss(k, 1):.4f},{random.gauss(-k, 1):.4f},{random.gauss(k / 2, 1):.4f},{k}\n")
PY

cat > recipes.nns <<'NNS'
seed(1)
data = csv("blobs.csv", target: "label")
net = linear(3, 16) |> tanh |> linear(16, 3) |> softmax
save(net, "start.safetensors")

# 1. plain SGD
export_training(net, data, "sgd/", loss: cross_entropy, optimizer: sgd(lr: 0.1), epochs: 1, batch: 24, shuffle: false, processes: 2)
train(net, data, loss: cross_entropy, optimizer: sgd(lr: 0.1), epochs: 1, batch: 24, shuffle: false)
save(net, "sgd/nns.safetensors")

# 2. momentum SGD with mse (one-hot targets), Adam with l2 and clipping; cosine over 2 epochs
load("start.safetensors", into: net)
export_training(net, data, "momentum/", loss: mse, optimizer: sgd(lr: cosine(0.2, 2), momentum: 0.9), epochs: 2, batch: 24, shuffle: false)
train(net, data, loss: mse, optimizer: sgd(lr: cosine(0.2, 2), momentum: 0.9), epochs: 2, batch: 24, shuffle: false)
save(net, "momentum/nns.safetensors")

load("start.safetensors", into: net)
export_training(net, data, "adam/", loss: cross_entropy, optimizer: adam(lr: cosine(0.01, 2)), epochs: 2, batch: 24, shuffle: false, l2: 0.001, clip: 1)
train(net, data, loss: cross_entropy, optimizer: adam(lr: cosine(0.01, 2)), epochs: 2, batch: 24, shuffle: false, l2: 0.001, clip: 1)
save(net, "adam/nns.safetensors")
NNS
"$NNS" recipes.nns > /dev/null

echo "-- 1. plain SGD, one epoch: 2 processes, then 1"
torchrun sgd/train.py | tee sgd/log
grep -q "all 2 processes hold the same weights (largest difference 0)" sgd/log \
    || { echo "FAIL: the two processes' weights differ"; exit 1; }
$CHECK weights sgd/nns.safetensors sgd/trained.safetensors 1e-4 "torchrun ×2 vs nns (plain SGD)"
"$NNS_PY" sgd/train.py --out sgd/single.safetensors > /dev/null
$CHECK weights sgd/nns.safetensors sgd/single.safetensors 1e-4 "python ×1 vs nns (plain SGD)"

# Momentum and Adam keep every rounding difference in their state, and Adam divides by √v,
# which makes a weight whose gradients hover near 0 sensitive to the last bit of each one;
# over these 22 steps the differences measured were 2–3e-7 relative. 1e-4 leaves room for
# other CPUs' summation orders, while a wrong formula does not fit in it: dampening 0.1 on the
# momentum moved weights by 9e-2 relative, the schedule one epoch late by 1.2.
echo "-- 2. momentum SGD and Adam, two epochs of cosine"
for run in momentum adam; do
    torchrun $run/train.py > $run/log
    grep -q "hold the same weights (largest difference 0)" $run/log || { cat $run/log; echo "FAIL: $run: ranks differ"; exit 1; }
    $CHECK weights $run/nns.safetensors $run/trained.safetensors 1e-4 "torchrun ×2 vs nns ($run)"
done

echo "-- 3. trained.safetensors back into nns"
cat > back.nns <<'NNS'
data = csv("blobs.csv", target: "label")
net = linear(3, 16) |> tanh |> linear(16, 3) |> softmax
load("sgd/trained.safetensors", into: net)
e = evaluate(net, data, loss: cross_entropy)
print(e.loss, e.accuracy)
NNS
read -r loss accuracy < <("$NNS" back.nns)
$CHECK evaluate sgd sgd/trained.safetensors "$loss" "$accuracy"

echo "-- 4. the MNIST recipe, 2 epochs: nns, and torchrun with 2 processes"
cat > mnist.nns <<'NNS'
seed(0)
train_data = mnist("train")
test_data = mnist("test")
net = linear(784, 256) |> relu |> linear(256, 32) |> relu |> linear(32, 10) |> softmax
epochs = 2
export_training(net, train_data, "mnist/", loss: cross_entropy, optimizer: sgd(lr: cosine(0.05, epochs), momentum: 0.9, weight_decay: 0.0005), epochs: epochs, batch: 64)
train(net, train_data, loss: cross_entropy, optimizer: sgd(lr: cosine(0.05, epochs), momentum: 0.9, weight_decay: 0.0005), epochs: epochs, batch: 64)
print(evaluate(net, test_data, loss: cross_entropy).accuracy)
NNS
nns_accuracy=$("$NNS" mnist.nns | tail -n 1)
torchrun mnist/train.py
$CHECK accuracy mnist mnist/trained.safetensors \
    "$NNS_DATA/mnist/t10k-images-idx3-ubyte.gz" "$NNS_DATA/mnist/t10k-labels-idx1-ubyte.gz" "$nns_accuracy" 0.3
