#!/usr/bin/env python3
"""One MNIST CNN training epoch — conv 16@5×5 → relu → maxpool 2 → conv 32@5×5 → relu →
maxpool 2 → flatten → 512→64 → relu → 64→10, SGD lr 0.05, batch 64, 2 threads — in nns (the
release CLI on bench/mnist_cnn_epoch.nns) and in PyTorch on the CPU (bench/peers/torch_cnn.py).

Usage: bench/cnn_epoch.py [--rounds 5] [--epochs 1] [--threads 2] [--no-build]

As bench/epoch.py: the tools run interleaved (nns, torch, nns, torch, ...), each in a fresh
process; epoch times exclude data loading and the test evaluation; peak RSS is the child's
ru_maxrss (data loading included). Reported: the quietest round's epoch time, the median over
rounds, the best round, peak RSS (max over rounds), test accuracy (round 1's), and nns/torch.
"""
import argparse
import os
import sys

from epoch import environment, parse_nns, parse_peer, release_binaries, report, report_ratios, run_rounds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()

    env = environment(a.threads)
    binpath = release_binaries(("nns",), build=not a.no_build)
    e, s, t = str(a.epochs), str(a.seed), str(a.threads)
    commands = {
        "nns": ([os.path.join(binpath, "nns"), "--json", "bench/mnist_cnn_epoch.nns", e, s], parse_nns),
        "torch": ([sys.executable, "bench/peers/torch_cnn.py", e, s, t], parse_peer),
    }
    results = run_rounds(commands, list(commands), a.rounds, env)
    quiet, medians = report(results, f"MNIST CNN 16@5-pool-32@5-pool-512-64-10, SGD lr 0.05, batch 64, "
                                     f"{a.epochs} epoch(s), {a.threads} threads")
    report_ratios(results, quiet, medians)


if __name__ == "__main__":
    main()
