"""bench/mnist_cnn_epoch.nns's CNN in idiomatic PyTorch on the CPU: conv 16@5×5 → ReLU →
MaxPool 2 → conv 32@5×5 → ReLU → MaxPool 2 → Flatten → 512→64 → ReLU → 64→10,
CrossEntropyLoss on the logits, optim.SGD(lr=0.05), He (kaiming_normal_) init, batch 64,
shuffled with randperm, batches indexed from in-memory float32 tensors; the rows of 784
pixels enter through nn.Unflatten as nns's reshape(1, 28, 28) does.

Prints one JSON line: {"tool", "epoch_seconds": [...], "loss", "accuracy"}, timed as
bench/peers/torch_mlp.py times its epochs (its `run`). Usage: torch_cnn.py [EPOCHS] [SEED] [THREADS].
"""
from torch_mlp import nn, run   # installs the CPU build of torch when missing


def main():
    run(lambda: nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                              nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 10)),
        lr=0.05, default_epochs=1)


if __name__ == "__main__":
    main()
