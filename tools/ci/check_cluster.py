"""Checks for tools/ci/cluster.sh (export_training, docs/cluster.md), run with the venv's python.

    check_cluster.py weights A.safetensors B.safetensors TOLERANCE LABEL
        every float tensor of B equals A's to TOLERANCE relative to the tensor's largest |value|
    check_cluster.py evaluate RUN_DIR WEIGHTS NNS_LOSS NNS_ACCURACY [IMAGES LABELS]
        the run's own train.py evaluates WEIGHTS on its data (or on the IDX files given) and
        agrees with nns's evaluate: loss to 1e-5 relative, accuracy exactly
    check_cluster.py accuracy RUN_DIR WEIGHTS IMAGES LABELS NNS_ACCURACY POINTS
        PyTorch's test accuracy of WEIGHTS is within POINTS percentage points of nns's
"""
import importlib.util
import sys

import torch
from safetensors.torch import load_file


def weights(a_path, b_path, tolerance, label):
    a, b = load_file(a_path), load_file(b_path)
    if sorted(a) != sorted(b):
        sys.exit(f"FAIL {label}: names differ: {sorted(a)} vs {sorted(b)}")
    worst = 0.0
    for name, t in a.items():
        if not t.dtype.is_floating_point:
            continue
        scale = max(float(t.abs().max()), 1e-12)
        worst = max(worst, float((t - b[name]).abs().max()) / scale)
    verdict = "ok  " if worst <= tolerance else "FAIL"
    print(f"{verdict} {label}: largest relative difference {worst:.2e} (allowed {tolerance:g})")
    if worst > tolerance:
        sys.exit(1)


def load_run(run_dir, weights_path):
    spec = importlib.util.spec_from_file_location("train", f"{run_dir}/train.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    model = train.build_network()
    model.load_state_dict(load_file(weights_path))
    return train, model


def torch_evaluation(run_dir, weights_path, files):
    train, model = load_run(run_dir, weights_path)
    x, y = train.read_data(train.DATA, files)
    y = train.as_targets(y, train.ONE_HOT)
    return train.evaluate(model, x, y, train.ACCURACY, torch.device("cpu"))


def evaluate(run_dir, weights_path, nns_loss, nns_accuracy, *files):
    loss, accuracy = torch_evaluation(run_dir, weights_path, list(files) or None)
    nns_loss, nns_accuracy = float(nns_loss), float(nns_accuracy)
    ok = abs(loss - nns_loss) <= 1e-5 * abs(nns_loss) and accuracy == nns_accuracy
    print(f"{'ok  ' if ok else 'FAIL'} evaluate: PyTorch loss {loss:.7f} accuracy {accuracy:.6f}; "
          f"nns loss {nns_loss:.7f} accuracy {nns_accuracy:.6f}")
    if not ok:
        sys.exit(1)


def accuracy(run_dir, weights_path, images, labels, nns_accuracy, points):
    _, torch_accuracy = torch_evaluation(run_dir, weights_path, [images, labels])
    gap = 100 * abs(torch_accuracy - float(nns_accuracy))
    ok = gap <= float(points)
    print(f"{'ok  ' if ok else 'FAIL'} MNIST: test accuracy under torchrun {100 * torch_accuracy:.2f}%, "
          f"nns {100 * float(nns_accuracy):.2f}% (gap {gap:.2f} points, allowed {points})")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "weights":
        weights(arguments[0], arguments[1], float(arguments[2]), arguments[3])
    elif command == "evaluate":
        evaluate(*arguments)
    elif command == "accuracy":
        accuracy(*arguments)
    else:
        sys.exit(__doc__)
