"""The seed network 784-256-32-10 trained the way the lecture notes write it (mcmp21,
Listings 10-12): NumPy float32, X @ W + b with W of shape [in, out], ReLU, softmax,
the fused (p - y)/m gradient, plain SGD. He init, batch 64, shuffled every epoch.

Prints one JSON line: {"tool", "epoch_seconds": [...], "loss", "accuracy"}.
Epoch time covers shuffling, batch slicing, forward, the epoch's running loss and
accuracy (as nns's history reports them), backward and update; data loading
and the final test evaluation are outside it (as for the other peers and nns).
Threads: OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (the driver sets 2).
"""
import json
import sys
import time

import mnist_data  # first: it installs NumPy if missing
import numpy as np


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    lr, batch = np.float32(0.1), 64
    rng = np.random.default_rng(seed)

    xtr, ytr = mnist_data.load("train")
    xte, yte = mnist_data.load("test")
    X_train = xtr.astype(np.float32) / np.float32(255)   # the notes' loaders hold floats
    X_test = xte.astype(np.float32) / np.float32(255)
    Y_train = np.eye(10, dtype=np.float32)[ytr]          # one-hot, as in the notes

    sizes = [784, 256, 32, 10]
    W = [(rng.standard_normal((i, o)) * np.sqrt(2.0 / i)).astype(np.float32) for i, o in zip(sizes, sizes[1:])]
    b = [np.zeros(o, dtype=np.float32) for o in sizes[1:]]

    def softmax(x):
        exp_x = np.exp(x - np.max(x, axis=1, keepdims=True))
        return exp_x / np.sum(exp_x, axis=1, keepdims=True)

    times = []
    m = len(X_train)
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(m)
        total_loss, correct = 0.0, 0
        for s in range(0, m, batch):
            idx = order[s:s + batch]
            X, Y = X_train[idx], Y_train[idx]
            n = X.shape[0]
            h1 = X @ W[0] + b[0]
            a1 = np.maximum(0, h1)
            h2 = a1 @ W[1] + b[1]
            a2 = np.maximum(0, h2)
            logits = a2 @ W[2] + b[2]
            probs = softmax(logits)

            # the notes' Listing 16: track the epoch's loss and accuracy as it goes
            total_loss += float(-np.sum(Y * np.log(np.clip(probs, 1e-7, 1 - 1e-7))))
            correct += int(np.sum(probs.argmax(axis=1) == Y.argmax(axis=1)))

            grad_y = probs.copy()
            grad_y[range(n), Y.argmax(axis=1)] -= 1
            grad_y /= n
            grad_w3 = a2.T @ grad_y
            grad_b3 = np.sum(grad_y, axis=0)
            grad_a2 = grad_y @ W[2].T
            grad_h2 = grad_a2 * (h2 > 0)
            grad_w2 = a1.T @ grad_h2
            grad_b2 = np.sum(grad_h2, axis=0)
            grad_a1 = grad_h2 @ W[1].T
            grad_h1 = grad_a1 * (h1 > 0)
            grad_w1 = X.T @ grad_h1
            grad_b1 = np.sum(grad_h1, axis=0)

            for i, (gw, gb) in enumerate([(grad_w1, grad_b1), (grad_w2, grad_b2), (grad_w3, grad_b3)]):
                W[i] -= lr * gw
                b[i] -= lr * gb
        times.append(time.perf_counter() - start)

    a = np.maximum(0, X_test @ W[0] + b[0])
    a = np.maximum(0, a @ W[1] + b[1])
    p = softmax(a @ W[2] + b[2])
    loss = float(-np.mean(np.log(np.clip(p[np.arange(len(yte)), yte], 1e-12, 1))))
    acc = float(np.mean(p.argmax(axis=1) == yte))
    print(json.dumps({"tool": "numpy", "epoch_seconds": times, "loss": loss, "accuracy": acc}))


if __name__ == "__main__":
    main()
