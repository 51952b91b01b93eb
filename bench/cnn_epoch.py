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
import statistics
import subprocess
import sys

from epoch import ROOT, parse_nns, parse_peer, run_measured


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args()

    env = dict(os.environ)
    env.setdefault("NNS_DATA", os.path.normpath(os.path.join(ROOT, "..", "shared", "data")))
    t = str(a.threads)
    env.update(NNS_THREADS=t, OPENBLAS_NUM_THREADS=t, OMP_NUM_THREADS=t, MKL_NUM_THREADS=t)
    if not a.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "nns"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    binpath = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    e, s = str(a.epochs), str(a.seed)
    commands = {
        "nns": ([os.path.join(binpath, "nns"), "--json", "bench/mnist_cnn_epoch.nns", e, s], parse_nns),
        "torch": ([sys.executable, "bench/peers/torch_cnn.py", e, s, t], parse_peer),
    }
    results = {tool: [] for tool in commands}   # per round: (mean epoch s, peak MiB, accuracy)
    for r in range(a.rounds):
        for tool, (cmd, parse) in commands.items():
            lines, rss = run_measured(cmd, env)
            seconds, acc = parse(lines)
            mean = sum(seconds) / len(seconds)
            results[tool].append((mean, rss, acc))
            print(f"# round {r + 1} {tool:6s} {mean:.3f} s/epoch  {rss:6.0f} MiB  acc {acc:.4f}", flush=True)

    medians = {tool: statistics.median(x[0] for x in rows) for tool, rows in results.items()}
    quiet = min(range(a.rounds), key=lambda r: statistics.geometric_mean(
        results[tool][r][0] / medians[tool] for tool in results))
    print(f"\nMNIST CNN 16@5-pool-32@5-pool-512-64-10, SGD lr 0.05, batch 64, {a.epochs} epoch(s), {a.threads} threads, "
          f"{a.rounds} interleaved rounds (quietest: round {quiet + 1}); epoch time excludes data loading")
    print(f"{'tool':8s} {'quiet s/ep':>10s} {'median s/ep':>11s} {'best s/ep':>9s} {'peak RSS':>9s} {'test acc':>8s}")
    for tool, rows in results.items():
        print(f"{tool:8s} {rows[quiet][0]:10.3f} {medians[tool]:11.3f} {min(x[0] for x in rows):9.3f} "
              f"{max(x[1] for x in rows):6.0f} MiB {rows[0][2] * 100:7.2f}%")
    n, p = results["nns"], results["torch"]
    print(f"nns / torch epoch time {n[quiet][0] / p[quiet][0]:.2f}× (quiet round), "
          f"{medians['nns'] / medians['torch']:.2f}× (medians); peak RSS {max(x[1] for x in n) / max(x[1] for x in p):.2f}×")


if __name__ == "__main__":
    main()
