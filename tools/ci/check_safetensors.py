#!/usr/bin/env python3
"""Interoperability of nns's safetensors files with the reference Python implementation.

usage: check_safetensors.py DIR NNS_IO_CHECK

(a) DIR holds NAME.safetensors written by nns `save` and NAME.json, nns's own dump of every
    tensor (name, dtype, shape, values). Reading the file with safetensors.numpy must give
    exactly those names, dtypes, shapes and values, and the architecture metadata.
(b) Files written here with safetensors.numpy.save_file under PyTorch names (as
    save_file(model.state_dict()) would) are loaded into nns networks with load(path, into:);
    nns must hold exactly the values written, and a wrong shape must be refused by name.
"""
import json
import os
import subprocess
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

NAMES = ["spec", "mnist", "kinds"]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def check_nns_written(directory):
    for name in NAMES:
        path = os.path.join(directory, name + ".safetensors")
        dump = json.load(open(os.path.join(directory, name + ".json")))
        tensors = load_file(path)
        expected = {t["name"]: t for t in dump["tensors"]}
        check(set(tensors) == set(expected), f"{name}: names {sorted(tensors)} != {sorted(expected)}")
        for key, t in expected.items():
            if key not in tensors:
                continue
            array = tensors[key]
            dtype = np.int64 if t["dtype"] == "I64" else np.float32
            check(array.dtype == dtype, f"{name}:{key}: dtype {array.dtype}, nns says {t['dtype']}")
            check(list(array.shape) == t["shape"], f"{name}:{key}: shape {list(array.shape)} != {t['shape']}")
            want = np.array(t["values"], dtype=dtype).reshape(t["shape"])
            check(np.array_equal(array, want), f"{name}:{key}: values differ from nns's")
        with safe_open(path, framework="numpy") as f:
            metadata = f.metadata() or {}
        check(metadata.get("nns.network") == dump["network"], f"{name}: nns.network metadata {metadata.get('nns.network')!r}")
        layers = json.loads(metadata.get("nns.layers", "null"))
        check(isinstance(layers, list) and all("kind" in layer for layer in layers), f"{name}: nns.layers {layers!r}")
        # PyTorch's export script sits beside its own copy of the weights.
        torch_weights = load_file(os.path.join(directory, name + "_torch.safetensors"))
        check(set(torch_weights) == set(tensors), f"{name}: export's weights differ in names")
        source = open(os.path.join(directory, name + "_torch.py")).read()
        compile(source, name + "_torch.py", "exec")
        check(source.count("\n    nn.") + source.count("\n    Step()") == len(layers),
              f"{name}: the script's nn.Sequential does not list {len(layers)} modules")
        print(f"ok  {name}.safetensors: {len(tensors)} tensors match nns's dump")


def nns_load_into(nns_io_check, path, layers):
    result = subprocess.run([nns_io_check, "load-into", path, json.dumps(layers)], capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def check_python_written(directory, nns_io_check):
    rng = np.random.default_rng(1)
    # the classroom 2-2-1 network (README) under PyTorch names, plus a batchnorm layer with PyTorch's int64
    # counter and a float64 tensor nns must convert.
    state = {
        "0.weight": np.array([[0.2, 0.4], [0.3, 0.1]], dtype=np.float32),
        "0.bias": np.array([0.1, 0.2], dtype=np.float32),
        "2.weight": np.array([[0.6, 0.5]], dtype=np.float32),
        "2.bias": np.array([0.3], dtype=np.float32),
        "4.weight": np.array([1.5], dtype=np.float32),
        "4.bias": np.array([-0.25], dtype=np.float32),
        "4.running_mean": rng.standard_normal(1).astype(np.float64),
        "4.running_var": np.array([2.0], dtype=np.float32),
        "4.num_batches_tracked": np.array(7, dtype=np.int64),
    }
    layers = [{"kind": "linear", "in": 2, "out": 2}, {"kind": "sigmoid"}, {"kind": "linear", "in": 2, "out": 1},
              {"kind": "sigmoid"}, {"kind": "batchnorm", "n": 1}]
    path = os.path.join(directory, "from_python.safetensors")
    save_file(state, path, metadata={"format": "pt"})
    code, out, err = nns_load_into(nns_io_check, path, layers)
    check(code == 0, f"load into: nns failed: {err.strip()}")
    if code == 0:
        loaded = {t["name"]: t for t in json.loads(out)["tensors"]}
        check(set(loaded) == set(state), f"load into: names {sorted(loaded)}")
        for key, array in state.items():
            want = array.astype(np.float32).reshape(-1)
            got = np.array(loaded[key]["values"], dtype=np.float32)
            check(list(loaded[key]["shape"]) == list(array.shape), f"load into: {key} shape {loaded[key]['shape']}")
            check(np.array_equal(got, want), f"load into: {key} values {got} != {want}")
        print("ok  a file written by Python's safetensors loads into an nns network")

    # A wrong shape is refused, naming the tensor.
    bad = dict(state)
    bad["2.weight"] = np.zeros((1, 3), dtype=np.float32)
    save_file(bad, path)
    code, out, err = nns_load_into(nns_io_check, path, layers)
    check(code != 0 and '"2.weight"' in err and "[1, 3]" in err, f"wrong shape not refused by name: {err.strip()}")
    # A missing tensor is refused, naming it.
    missing = {k: v for k, v in state.items() if k != "0.bias"}
    save_file(missing, path)
    code, out, err = nns_load_into(nns_io_check, path, layers)
    check(code != 0 and '"0.bias"' in err, f"missing tensor not named: {err.strip()}")
    print("ok  mismatched files are refused with the tensor's name")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    directory, nns_io_check = sys.argv[1], sys.argv[2]
    check_nns_written(directory)
    check_python_written(directory, nns_io_check)
    if failures:
        sys.exit(f"check_safetensors: {len(failures)} failure(s)")
    print("check_safetensors: all passed")


if __name__ == "__main__":
    main()
