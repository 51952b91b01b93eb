"""bench/mnist_cnn_epoch.nns's CNN in idiomatic PyTorch on the CPU: conv 16@5×5 → ReLU →
MaxPool 2 → conv 32@5×5 → ReLU → MaxPool 2 → Flatten → 512→64 → ReLU → 64→10,
CrossEntropyLoss on the logits, optim.SGD(lr=0.05), He (kaiming_normal_) init, batch 64,
shuffled with randperm, batches indexed from in-memory float32 tensors; the rows of 784
pixels enter through nn.Unflatten as nns's reshape(1, 28, 28) does.

Prints one JSON line: {"tool", "epoch_seconds": [...], "loss", "accuracy"}, timed as
bench/peers/torch_mlp.py times its epochs. Usage: torch_cnn.py [EPOCHS] [SEED] [THREADS].
"""
import json
import sys
import time

import mnist_data
from torch_mlp import torch   # installs the CPU build of torch when missing
from torch import nn


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(seed)

    xtr, ytr = mnist_data.load("train")
    xte, yte = mnist_data.load("test")
    X_train = torch.from_numpy(xtr).float().div_(255)
    Y_train = torch.from_numpy(ytr)
    X_test = torch.from_numpy(xte).float().div_(255)
    Y_test = torch.from_numpy(yte)

    model = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                          nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 10))
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
            nn.init.zeros_(layer.bias)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
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
            total_loss += loss.item() * len(idx)
            correct += int((logits.argmax(1) == y).sum())
        times.append(time.perf_counter() - start)

    model.eval()
    with torch.no_grad():
        logits = model(X_test)
        loss = float(loss_fn(logits, Y_test))
        acc = float((logits.argmax(1) == Y_test).float().mean())
    print(json.dumps({"tool": "torch", "epoch_seconds": times, "loss": loss, "accuracy": acc}))


if __name__ == "__main__":
    main()
