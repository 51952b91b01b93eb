"""The seed network 784-256-32-10 in idiomatic PyTorch on the CPU: nn.Sequential of
Linear/ReLU, CrossEntropyLoss on the logits (PyTorch's fused softmax + log-loss),
optim.SGD(lr=0.1), He (kaiming_normal_) init, batch 64, shuffled every epoch with randperm,
batches indexed from in-memory float32 tensors (faster than a DataLoader).

Prints one JSON line: {"tool", "epoch_seconds": [...], "loss", "accuracy"}.
Epoch time covers shuffling, batch indexing, forward, the epoch's running loss and
accuracy (as nns's history reports them), backward and update; data loading
and the final test evaluation are outside it. Threads: torch.set_num_threads (argv[3], 2).
"""
import glob
import json
import os
import subprocess
import sys
import time

import mnist_data  # before torch: it installs NumPy if missing, and torch looks for it on import


def install_torch():
    """Installs the CPU build of torch: from PyTorch's CPU index when it is reachable, else
    a CPU wheel among pip's find-links (some machines carry one), else PyPI's default build
    (large, as it bundles CUDA libraries, but it runs on the CPU just the same)."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    if subprocess.call(pip + ["--timeout", "15", "--retries", "0", "torch",
                              "--index-url", "https://download.pytorch.org/whl/cpu"]) == 0:
        return
    print("torch_mlp: PyTorch's CPU index failed; installing torch another way", file=sys.stderr)
    found = subprocess.run([sys.executable, "-m", "pip", "config", "get", "global.find-links"],
                           capture_output=True, text=True).stdout.split()
    wheels = sorted(w for d in found for w in glob.glob(os.path.join(d, "torch-*+cpu-*.whl")))
    subprocess.check_call(pip + ([wheels[-1]] if wheels else ["torch"]))


try:
    import torch
except ImportError:  # install the peer's package if missing
    install_torch()
    import torch
from torch import nn


def run(make_model, lr, default_epochs):
    """Trains make_model()'s network, built after seeding (He init on its Linear/Conv2d
    layers, biases zero), with the seed
    recipe (SGD(lr), batch 64, randperm shuffling) for argv[1] epochs (default_epochs when
    absent), seed argv[2], argv[3] threads, and prints the JSON line; argv[4] `adam` trains
    with Adam(lr=0.001) instead of SGD (bench/epoch.py --optimizer adam). torch_cnn.py calls it
    with its network, so both peers time exactly the same loop."""
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else default_epochs
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = make_model()

    xtr, ytr = mnist_data.load("train")
    xte, yte = mnist_data.load("test")
    X_train = torch.from_numpy(xtr).float().div_(255)
    Y_train = torch.from_numpy(ytr)
    X_test = torch.from_numpy(xte).float().div_(255)
    Y_test = torch.from_numpy(yte)

    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    optimizer = sys.argv[4] if len(sys.argv) > 4 else "sgd"
    if optimizer not in ("sgd", "adam"):
        sys.exit(f"torch_mlp: the optimizer is sgd or adam, not {optimizer}")
    opt = (torch.optim.Adam(model.parameters(), lr=0.001) if optimizer == "adam"
           else torch.optim.SGD(model.parameters(), lr=lr))
    loss_fn = nn.CrossEntropyLoss()

    times = []
    m, batch = len(X_train), 64
    for _ in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(m)
        total_loss, correct = 0.0, 0
        for s in range(0, m, batch):
            idx = order[s:s + batch]
            opt.zero_grad(set_to_none=True)
            y = Y_train[idx]
            logits = model(X_train[idx])
            loss = loss_fn(logits, y)
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(idx)   # the epoch's running loss and accuracy
            correct += int((logits.argmax(1) == y).sum())
        times.append(time.perf_counter() - start)

    model.eval()
    with torch.no_grad():
        logits = model(X_test)
        loss = float(loss_fn(logits, Y_test))
        acc = float((logits.argmax(1) == Y_test).float().mean())
    print(json.dumps({"tool": "torch", "epoch_seconds": times, "loss": loss, "accuracy": acc}))


def main():
    run(lambda: nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 32), nn.ReLU(), nn.Linear(32, 10)),
        lr=0.1, default_epochs=10)


if __name__ == "__main__":
    main()
