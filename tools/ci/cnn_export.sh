#!/usr/bin/env bash
# CI: a convolutional network's files (SPEC §13, issue 15), checked against Python's own tools.
#  (a) an nns CNN with every new layer — reshape, conv2d with stride 2 and padding, batchnorm2d
#      (after training steps, so its running statistics are not the defaults), relu, maxpool,
#      avgpool, flatten, linear, softmax — exported to ONNX: onnxruntime's output matches nns's
#      to 1e-5, and the graph holds Reshape, Conv, BatchNormalization, MaxPool, AveragePool, Flatten;
#  (b) the PyTorch export (nn.Unflatten, nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d, nn.AvgPool2d,
#      nn.Flatten) runs in torch and matches nns to 1e-5;
#  (c) the same CNN built in PyTorch, trained a few steps, its state_dict saved with
#      safetensors' save_file, loads `into:` the nns CNN and gives torch's outputs to 1e-5.
# Usage: tools/ci/cnn_export.sh [path/to/release/nns]
set -euo pipefail
cd "$(dirname "$0")/../.."
nns=${1:-}
if [ -z "$nns" ]; then
    swift build -c release --product nns >/dev/null
    nns=$(swift build -c release --show-bin-path)/nns
fi
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null; }
source tools/ci/venv.sh
nns_pip onnxruntime onnx safetensors numpy
nns_need_torch

work=$(mktemp -d /tmp/nns-cnn-export.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The architecture, once for nns and once for torch: 1×12×12 images.
cat > "$work/cnn.nns" <<'EOF'
seed(7)
fn cnn() => reshape(1, 12, 12)
    |> conv2d(1, 4, 3, stride: 2, padding: 1)
    |> batchnorm2d(4)
    |> relu
    |> maxpool(2)
    |> conv2d(4, 6, 2)
    |> relu
    |> avgpool(2)
    |> flatten
    |> linear(6, 3)
    |> softmax
net = cnn()
# Training steps move batchnorm's running statistics away from their defaults (0 and 1).
data = dataset(randn([40, 144]), argmax(randn([40, 3]), 1))
h = train(net, data, epochs: 3, batch: 8, optimizer: sgd(lr: 0.1), loss: cross_entropy)
x = randn([5, 144])
export(net, args[0] + "/cnn.onnx")
export(net, args[0] + "/cnn.py")
theirs = cnn()
load(args[0] + "/torch.safetensors", into: theirs)
print(json({x: x, nns: x |> net, torch_weights: x |> theirs}))
EOF

# (c) first half: the torch CNN, trained a few steps, then its state_dict saved.
cat > "$work/torch_cnn.py" <<'EOF'
import sys
import torch
from torch import nn
from safetensors.torch import save_file

torch.manual_seed(3)
model = nn.Sequential(
    nn.Unflatten(1, (1, 12, 12)),
    nn.Conv2d(1, 4, 3, stride=2, padding=1),
    nn.BatchNorm2d(4),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(4, 6, 2),
    nn.ReLU(),
    nn.AvgPool2d(2),
    nn.Flatten(),
    nn.Linear(6, 3),
    nn.Softmax(dim=1),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(5):
    x = torch.randn(8, 144)
    loss = -model(x)[:, 0].log().mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
model.eval()
if __name__ == "__main__":
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, sys.argv[1])
EOF
"$NNS_PY" "$work/torch_cnn.py" "$work/torch.safetensors"

"$nns" "$work/cnn.nns" "$work" </dev/null > "$work/out.json"

"$NNS_PY" - "$work" <<'EOF'
import json, os, runpy, sys
import numpy as np
import onnx, onnxruntime, torch

work = sys.argv[1]
record = json.loads(open(os.path.join(work, "out.json")).read().strip().splitlines()[-1])
x = np.asarray(record["x"], dtype=np.float32)
ours = np.asarray(record["nns"], dtype=np.float32)
failed = False

def check(what, got, want):
    global failed
    err = float(np.max(np.abs(np.asarray(got, dtype=np.float64) - want)))
    ok = np.asarray(got).shape == want.shape and err <= 1e-5
    failed |= not ok
    print(f"{'ok  ' if ok else 'FAIL'} {what}: max |difference| {err:.2e} over {want.size} outputs")

# (a) ONNX in onnxruntime, and the nodes the CNN needs.
model = onnx.load(os.path.join(work, "cnn.onnx"))
onnx.checker.check_model(model)
ops = {n.op_type for n in model.graph.node}
needed = {"Reshape", "Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool", "Flatten", "Softmax"}
if not needed <= ops:
    failed = True
    print("FAIL ONNX graph lacks", sorted(needed - ops), "; has", sorted(ops))
session = onnxruntime.InferenceSession(os.path.join(work, "cnn.onnx"), providers=["CPUExecutionProvider"])
name = session.get_inputs()[0].name
check("ONNX (onnxruntime) vs nns", session.run(None, {name: x})[0], ours)

# (b) the exported PyTorch script, as a user would run it.
exported = runpy.run_path(os.path.join(work, "cnn.py"))["model"]
kinds = {type(m).__name__ for m in exported.modules()}
wanted = {"Unflatten", "Conv2d", "BatchNorm2d", "MaxPool2d", "AvgPool2d", "Flatten"}
if not wanted <= kinds:
    failed = True
    print("FAIL PyTorch export lacks", sorted(wanted - kinds), "; has", sorted(kinds))
bn = next(m for m in exported.modules() if isinstance(m, torch.nn.BatchNorm2d))
if torch.allclose(bn.running_mean, torch.zeros(4)) or torch.allclose(bn.running_var, torch.ones(4)):
    failed = True
    print("FAIL batchnorm2d's running statistics are still the defaults: train the nns CNN first")
with torch.no_grad():
    check("PyTorch export (torch) vs nns", exported(torch.from_numpy(x)).numpy(), ours)

# (c) torch's own CNN, its state_dict loaded into: the nns CNN.
sys.argv = ["torch_cnn.py"]
theirs = runpy.run_path(os.path.join(work, "torch_cnn.py"))["model"]
from safetensors.torch import load_file
theirs.load_state_dict(load_file(os.path.join(work, "torch.safetensors")))
theirs.eval()
with torch.no_grad():
    check("torch state_dict loaded into: nns vs torch", np.asarray(record["torch_weights"], dtype=np.float32),
          theirs(torch.from_numpy(x)).numpy().astype(np.float64))
sys.exit(1 if failed else 0)
EOF
echo "cnn export checks: all passed"
