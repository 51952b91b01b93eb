#!/usr/bin/env python3
"""Epoch time, peak memory and accuracy of the seed network 784-256-32-10 with the plain
recipe (SGD lr 0.1, batch 64, He init, shuffled, 10 epochs, 2 threads): nns (the release CLI
on bench/mnist_plain.nns), PyTorch on the CPU (bench/peers/torch_mlp.py) and NumPy float32
written as the lecture notes write it (bench/peers/numpy_mlp.py).

Usage: bench/epoch.py [--rounds 5] [--epochs 10] [--threads 2] [--no-build] [--tools nns,torch,numpy]
                      [--before OLD_NNS_BINARY] [--optimizer sgd|adam]

--optimizer adam trains nns and PyTorch with Adam (lr 0.001, betas 0.9/0.999) instead of
SGD; the NumPy peer has only the notes' plain SGD and is left out.

The machine has slow phases, so the tools run interleaved — nns, torch, numpy, nns, torch,
numpy, ... — each in a fresh process. Epoch times exclude data loading and the final test
evaluation for all three: nns's come from its history's `seconds` column (printed with
--json), the peers time their own epoch loops the same way. Peak RSS is the child's
ru_maxrss (os.wait4), so it includes the data loading. Accuracy is on the 10,000 test images.

Reported per tool: the quietest round's mean epoch time (the quietest round is the one where
the tools ran fastest relative to their own medians), the median over rounds of the mean
epoch time, the best round, peak RSS (max over rounds) and final accuracy (round 1's); the
ratios nns/peer for the quietest round and the medians, the spread of each tool's rounds
(slowest / fastest), the median of the per-round ratios (paired), and the fraction of the
machine's peak FLOP rate that nns's epoch reaches: the FLOPs its products ran in an epoch
(the layer sizes below, counted dense, less the multiply-adds nns reports it skipped over
zero input columns: NNS_STATS=1) per second of epoch time, over `threads` x the per-core
peak that `nns-bench peak` measures (clock from a dependent-add chain x FLOPs per cycle of
the kernel's ISA); the dense count's rate follows it. The header names the
CPU model and the kernel that ran. Each run's line also gives the cache-line round trip
between CPUs 0 and 1 just before and after it (bench/pingpong.c): on a VM whose two vCPUs
sometimes sit on different CCDs (hundreds of ns instead of tens), that tells the runs the
machine slowed apart from the tool's own spread.
"""
import argparse
import atexit
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")


def run_measured(cmd, env):
    """Runs cmd as a child and returns (stdout lines, peak RSS MiB, stderr text) using os.wait4."""
    r, w = os.pipe()
    errors = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        os.dup2(errors.fileno(), 2)
        os.chdir(ROOT)
        try:
            os.execvpe(cmd[0], cmd, env)
        finally:
            os._exit(127)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        errors.seek(0)
        sys.exit(f"{' '.join(cmd)} failed (status {status}):\n{errors.read().decode(errors='replace')}")
    errors.seek(0)
    stderr = errors.read().decode(errors="replace")
    return b"".join(chunks).decode().splitlines(), usage.ru_maxrss / 1024, stderr


def parse_nns(lines, stderr):
    """(epoch seconds, accuracy, (multiply-adds run, skipped)): the counts from the line
    NNS_STATS=1 has nns print on stderr."""
    history = next(json.loads(l) for l in lines if l.startswith("{") and '"seconds"' in l)
    result = json.loads(lines[-1])
    counts = re.search(r"products ran (\d+) multiply-adds, skipped (\d+)", stderr)
    return history["seconds"], result["accuracy"], counts and (int(counts[1]), int(counts[2]))


def parse_peer(lines, stderr):
    record = json.loads(lines[-1])
    return record["epoch_seconds"], record["accuracy"], None


# The seed network and the training set: 784-256-32-10 on MNIST's 60,000 images.
LAYERS = [784, 256, 32, 10]
TRAIN_IMAGES = 60000


TEST_IMAGES = 10000


def dense_madds(images, training=True):
    """Multiply-adds of the seed network's dense products over `images` samples: per sample,
    each layer's forward x·Wᵀ (in · out), in training also its weight gradient δᵀ·x (in · out)
    and the input gradient δ·W of every layer but the first (in · out)."""
    pairs = list(zip(LAYERS, LAYERS[1:]))
    per_sample = sum(i * o for i, o in pairs)
    if training:
        per_sample += sum(i * o for i, o in pairs) + sum(i * o for i, o in pairs[1:])
    return per_sample * images


def epoch_gflop(counts, epochs):
    """(FLOPs of one epoch's products counted dense, FLOPs nns ran) in GFLOP, 2 per
    multiply-add. nns skips a batch's zero input columns in the first layer's forward and
    weight gradient and counts what it skipped (`NNS_STATS=1`); a run's products are its
    epochs' and the final evaluation's (dense), which the counts must add up to."""
    dense = dense_madds(TRAIN_IMAGES)
    ran, skipped = counts
    expected = epochs * dense + dense_madds(TEST_IMAGES, training=False)
    if ran + skipped != expected:
        print(f"# warning: nns counted {ran} + {skipped} multiply-adds, not the recipe's {expected}")
    return 2.0 * dense / 1e9, 2.0 * (dense - skipped / epochs) / 1e9


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform
    return platform.processor() or platform.machine()


def environment(threads):
    """The environment every tool runs in: NNS_DATA (default ../shared/data) and `threads`
    threads for nns and for the peers' BLAS/OpenMP."""
    env = dict(os.environ)
    env.setdefault("NNS_DATA", os.path.normpath(os.path.join(ROOT, "..", "shared", "data")))
    t = str(threads)
    env.update(NNS_THREADS=t, OPENBLAS_NUM_THREADS=t, OMP_NUM_THREADS=t, MKL_NUM_THREADS=t, NNS_STATS="1")
    return env


def release_binaries(products, build):
    """The release build's bin folder, after building `products` unless `build` is false."""
    if build:
        for product in products:
            subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
    return subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


def pingpong_binary():
    """bench/pingpong.c compiled to a temporary file (None without a C compiler or a
    second CPU): the cache-line round trip between CPUs 0 and 1, printed beside each run."""
    if (os.cpu_count() or 1) < 2:
        return None
    folder = tempfile.mkdtemp(prefix="nns-pingpong-")
    atexit.register(shutil.rmtree, folder, True)
    out = os.path.join(folder, "pingpong")
    for cc in ("clang", "cc", "gcc"):
        try:
            subprocess.run([cc, "-O2", "-o", out, os.path.join(ROOT, "bench", "pingpong.c"), "-lpthread"],
                           check=True, capture_output=True)
            return out
        except (OSError, subprocess.CalledProcessError):
            continue
    return None


def round_trip(pingpong):
    """The current CPU 0 <-> 1 round trip, e.g. "79 ns" (hundreds of ns: the two vCPUs sit on
    different CCDs, and whatever the threads hand each other crosses between them)."""
    if not pingpong:
        return "n/a"
    out = subprocess.run([pingpong], capture_output=True, text=True).stdout.split(":")[-1].strip()
    return out or "n/a"


def run_rounds(commands, tools, rounds, env):
    """Runs each tool once per round, interleaved; returns per tool and round
    (mean epoch s, peak MiB, accuracy, the epochs' seconds, nns's product counts or None)."""
    results = {tool: [] for tool in tools}
    pingpong = pingpong_binary()
    for r in range(rounds):
        for tool in tools:
            cmd, parse = commands[tool]
            before = round_trip(pingpong)
            lines, rss, stderr = run_measured(cmd, env)
            seconds, acc, counts = parse(lines, stderr)
            mean = sum(seconds) / len(seconds)
            results[tool].append((mean, rss, acc, seconds, counts))
            print(f"# round {r + 1} {tool:6s} {mean:.3f} s/epoch  {rss:6.0f} MiB  acc {acc:.4f}  "
                  f"epochs {' '.join(f'{x:.2f}' for x in seconds)}  (cpu0-cpu1 {before} before, "
                  f"{round_trip(pingpong)} after)", flush=True)
    return results


def report(results, title):
    """Prints the table (quietest round, median, best, peak RSS, accuracy) and each tool's
    spread of rounds; returns (quietest round, medians). The quietest round is the one with
    the smallest geometric mean of each tool's time over its own median."""
    tools = list(results)
    rounds = len(results[tools[0]])
    medians = {tool: statistics.median(x[0] for x in results[tool]) for tool in tools}
    quiet = min(range(rounds), key=lambda r: statistics.geometric_mean(
        results[tool][r][0] / medians[tool] for tool in tools))
    print(f"\n{title}, {rounds} interleaved rounds (quietest: round {quiet + 1}); epoch time excludes data loading")
    print(f"{'tool':8s} {'quiet s/ep':>10s} {'median s/ep':>11s} {'best s/ep':>9s} {'peak RSS':>9s} {'test acc':>8s}")
    for tool in tools:
        rows = results[tool]
        print(f"{tool:8s} {rows[quiet][0]:10.3f} {medians[tool]:11.3f} {min(x[0] for x in rows):9.3f} "
              f"{max(x[1] for x in rows):6.0f} MiB {rows[0][2] * 100:7.2f}%")
    for tool in tools:
        means = [x[0] for x in results[tool]]
        print(f"{tool:8s} spread of rounds (slowest / fastest): {max(means) / min(means):.2f}×")
    return quiet, medians


def report_ratios(results, quiet, medians):
    """nns's epoch time and peak RSS over each peer's; `paired` is the median over rounds of
    the ratio within a round (the two runs back to back), which a slow phase spanning both
    moves less than it moves either tool's own figures."""
    for peer in [p for p in results if p != "nns"]:
        q = results["nns"][quiet][0] / results[peer][quiet][0]
        m = medians["nns"] / medians[peer]
        paired = statistics.median(n[0] / p[0] for n, p in zip(results["nns"], results[peer]))
        mem = max(x[1] for x in results["nns"]) / max(x[1] for x in results[peer])
        print(f"nns / {peer:6s} epoch time {q:.2f}× (quiet round), {m:.2f}× (medians), {paired:.2f}× (paired); "
              f"peak RSS {mem:.2f}×")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--tools", default="nns,torch,numpy")
    ap.add_argument("--before", metavar="NNS_BINARY",
                    help="also run this nns binary (an earlier build) as the tool 'before', interleaved "
                         "with the others, to show a change's effect in the same run")
    ap.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd")
    a = ap.parse_args()
    if a.optimizer != "sgd" and "numpy" in a.tools.split(","):
        a.tools = ",".join(t for t in a.tools.split(",") if t != "numpy")
        print("# the NumPy peer trains with plain SGD only: left out with --optimizer", a.optimizer)

    env = environment(a.threads)
    t = str(a.threads)
    binpath = release_binaries(("nns", "nns-bench"), build=not a.no_build)
    nns = os.path.join(binpath, "nns")
    # The limit, measured with the same library and environment (kernel, threads) as nns.
    peak_line = subprocess.run([os.path.join(binpath, "nns-bench"), "peak"], cwd=ROOT, check=True, env=env,
                               capture_output=True, text=True).stdout.strip()
    peak = dict(kv.split("=", 1) for kv in peak_line.split())
    threads_peak = float(peak["core_peak_gflops"]) * min(a.threads, int(peak["cores"]))
    core = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "matmul.py"), "--core"], env=env,
                          capture_output=True, text=True).stdout.strip() or "unknown"
    print(f"# cpu: {cpu_model()}, {peak['cores']} online cores; "
          f"nns kernel: {peak['kernel']} (kc {peak.get('kc', '?')}, L1d {peak.get('l1d', '?')}); "
          f"NumPy's OpenBLAS kernels: {core}")
    print(f"# peak: clock {peak['clock_ghz']} GHz (dependent register-add chain, 1 cycle per add) x "
          f"{peak['flops_per_cycle']} FLOP/cycle (2 x lanes x FMA pipes), or the FMA loop's "
          f"{peak['fma_loop_gflops']} GFLOP/s when lower = {peak['core_peak_gflops']} GFLOP/s "
          f"per core; {a.threads} thread(s): {threads_peak:.1f} GFLOP/s", flush=True)
    py = sys.executable
    e, s = str(a.epochs), str(a.seed)
    commands = {
        "nns": ([nns, "--json", "bench/mnist_plain.nns", e, s, a.optimizer], parse_nns),
        "before": ([a.before or "false", "--json", "bench/mnist_plain.nns", e, s, a.optimizer], parse_nns),
        "torch": ([py, "bench/peers/torch_mlp.py", e, s, t, a.optimizer], parse_peer),
        "numpy": ([py, "bench/peers/numpy_mlp.py", e, s], parse_peer),
    }
    tools = list(dict.fromkeys(a.tools.split(",") + (["before"] if a.before else [])))
    results = run_rounds(commands, tools, a.rounds, env)
    recipe = "SGD lr 0.1" if a.optimizer == "sgd" else "Adam lr 0.001"
    quiet, medians = report(results, f"seed network 784-256-32-10, {recipe}, batch 64, {a.epochs} epochs, "
                                     f"{a.threads} threads")
    if "nns" in tools:
        counts = results["nns"][quiet][4]
        if counts is None:
            print("# nns printed no product counts (a build without NNS_STATS): no FLOP rate")
        else:
            dense, ran = epoch_gflop(counts, a.epochs)
            for label, t in (("quiet round", results["nns"][quiet][0]), ("median", medians["nns"])):
                print(f"nns epoch ({label}): {ran:.1f} GFLOP of products run in {t:.3f} s = {ran / t:.1f} GFLOP/s, "
                      f"{100 * ran / t / threads_peak:.0f}% of the {a.threads}-thread peak {threads_peak:.1f} "
                      f"GFLOP/s ({dense:.1f} GFLOP counted dense, {dense / t:.1f} GFLOP/s: the zero input "
                      f"columns skipped {100 * (1 - ran / dense):.0f}%)")
        report_ratios(results, quiet, medians)


if __name__ == "__main__":
    main()
