#!/usr/bin/env python3
"""Runs the PyTorch scripts nns exported (`export(net, "NAME_torch.py")`) and compares their
outputs with nns's.

usage: check_pytorch_script.py DIR

Each DIR/NAME_torch.py is executed as a user would import it: it builds an nn.Sequential and
loads NAME_torch.safetensors with load_state_dict (strict: every name and shape must match).
Its output for DIR/NAME.json's input must match nns's to 1e-5. With PyTorch installed the real
torch runs; without it (CI avoids the large download) a small numpy stand-in for the parts of
torch the scripts use runs instead, with load_state_dict's strict name and shape checks
(NNS_CHECK_WITHOUT_TORCH=1 forces the stand-in).
"""
import json
import math
import os
import sys
import types

import numpy as np

NAMES = ["spec", "mnist", "kinds"]
TOLERANCE = 1e-5


class Tensor(np.ndarray):
    def to(self, dtype):
        return self.astype(dtype).view(Tensor)


def as_tensor(x):
    return np.asarray(x, dtype=np.float32).view(Tensor)


class Module:
    def __call__(self, x):
        return self.forward(x)

    def _tensors(self):
        return {}

    def eval(self):
        self.training = False
        return self


class Sequential(Module):
    def __init__(self, *modules):
        self.modules = list(modules)

    def forward(self, x):
        for module in self.modules:
            x = module(x)
        return x

    def state_dict(self):
        return {f"{i}.{name}": value for i, m in enumerate(self.modules) for name, value in m._tensors().items()}

    def load_state_dict(self, state, strict=True):
        own = self.state_dict()
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        if strict and (missing or unexpected):
            raise RuntimeError(f"Error(s) in loading state_dict: missing {missing}, unexpected {unexpected}")
        for key, value in state.items():
            index, name = key.split(".", 1)
            module = self.modules[int(index)]
            if tuple(np.shape(value)) != tuple(np.shape(getattr(module, name))):
                raise RuntimeError(f"size mismatch for {key}: {np.shape(value)} vs {np.shape(getattr(module, name))}")
            setattr(module, name, np.asarray(value))
        return types.SimpleNamespace(missing_keys=missing, unexpected_keys=unexpected)


class Linear(Module):
    def __init__(self, inputs, outputs):
        self.weight = np.zeros((outputs, inputs), dtype=np.float32)
        self.bias = np.zeros(outputs, dtype=np.float32)

    def _tensors(self):
        return {"weight": self.weight, "bias": self.bias}

    def forward(self, x):
        return as_tensor(np.asarray(x) @ self.weight.T + self.bias)


class BatchNorm1d(Module):
    def __init__(self, n, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.weight, self.bias = np.ones(n, np.float32), np.zeros(n, np.float32)
        self.running_mean, self.running_var = np.zeros(n, np.float32), np.ones(n, np.float32)
        self.num_batches_tracked = np.array(0, dtype=np.int64)

    def _tensors(self):
        return {k: getattr(self, k) for k in ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]}

    def forward(self, x):
        return as_tensor((np.asarray(x) - self.running_mean) / np.sqrt(self.running_var + self.eps) * self.weight + self.bias)


def elementwise(function):
    class Activation(Module):
        def __init__(self, *args, **kwargs):
            self.args, self.kwargs = args, kwargs

        def forward(self, x):
            return as_tensor(function(np.asarray(x, dtype=np.float64), *self.args, **self.kwargs))
    return Activation


def softmax(x, dim=-1):
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


def install_stand_in():
    """Registers numpy stand-ins for torch, torch.nn and safetensors.torch."""
    from safetensors.numpy import load_file
    nn = types.ModuleType("torch.nn")
    nn.Module, nn.Sequential, nn.Linear, nn.BatchNorm1d = Module, Sequential, Linear, BatchNorm1d
    nn.Sigmoid = elementwise(lambda x: 1 / (1 + np.exp(-x)))
    nn.Tanh = elementwise(np.tanh)
    nn.ReLU = elementwise(lambda x: np.maximum(x, 0))
    nn.LeakyReLU = elementwise(lambda x, negative_slope=0.01: np.where(x > 0, x, negative_slope * x))
    nn.ELU = elementwise(lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(x)))
    nn.GELU = elementwise(lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2))))
    nn.SiLU = elementwise(lambda x: x / (1 + np.exp(-x)))
    # torch's Softplus(beta=1, threshold=20): x itself above the threshold
    nn.Softplus = elementwise(lambda x, beta=1.0, threshold=20.0: np.where(x * beta > threshold, x, np.logaddexp(0, x * beta) / beta))
    nn.Softmax = elementwise(softmax)
    nn.Identity = elementwise(lambda x: x)
    nn.Dropout = elementwise(lambda x, p=0.5: x)  # eval mode
    torch = types.ModuleType("torch")
    torch.nn = nn
    torch.zeros = lambda *shape: as_tensor(np.zeros(shape))
    torch.tensor = as_tensor
    st = types.ModuleType("safetensors.torch")
    st.load_file = load_file
    sys.modules.update({"torch": torch, "torch.nn": nn, "safetensors.torch": st})


def run_script(path):
    namespace = {"__file__": path, "__name__": "nns_export_check"}
    exec(compile(open(path).read(), path, "exec"), namespace)
    return namespace["model"]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    try:
        if os.environ.get("NNS_CHECK_WITHOUT_TORCH"):
            raise ImportError("stand-in requested")
        import torch  # noqa: F401
        real = True
    except ImportError:
        install_stand_in()
        real = False
    failures = 0
    for name in NAMES:
        dump = json.load(open(os.path.join(directory, name + ".json")))
        model = run_script(os.path.join(directory, name + "_torch.py"))
        x = np.array(dump["input"], dtype=np.float32)
        if real:
            import torch
            with torch.no_grad():
                got = model(torch.from_numpy(x)).numpy()
        else:
            got = np.asarray(model(as_tensor(x)))
        difference = float(np.max(np.abs(got - np.array(dump["output"], dtype=np.float32))))
        if difference > TOLERANCE:
            failures += 1
            print(f"FAIL: {name}_torch.py differs from nns by {difference}")
        else:
            print(f"ok  {name}_torch.py ({'torch' if real else 'numpy stand-in for torch'}): max |script - nns| = {difference:.2e}")
    if failures:
        sys.exit(f"check_pytorch_script: {failures} failure(s)")
    print("check_pytorch_script: all passed")


if __name__ == "__main__":
    main()
