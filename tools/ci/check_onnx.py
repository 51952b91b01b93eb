#!/usr/bin/env python3
"""Runs the ONNX models nns exported in onnxruntime and compares with nns's own outputs.

usage: check_onnx.py DIR

DIR holds NAME.onnx (nns `export`) and NAME.json (the input and nns's inference output).
Each model must pass onnx's checker with full shape inference, declare opset >= 17, take
"input" [batch, in] with a symbolic batch and give "output"; onnxruntime's outputs must match
nns's to 1e-5 for the whole batch and for single rows. The classroom 2-2-1 network (README) is also checked
against the hand-worked value 0.727 and a numpy forward pass.
"""
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

NAMES = ["spec", "mnist", "kinds"]
TOLERANCE = 1e-5
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    for name in NAMES:
        path = os.path.join(directory, name + ".onnx")
        dump = json.load(open(os.path.join(directory, name + ".json")))
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        opsets = {o.domain: o.version for o in model.opset_import}
        check(opsets.get("", 0) >= 17, f"{name}: opset {opsets}")
        graph = model.graph
        check([i.name for i in graph.input] == ["input"], f"{name}: inputs {[i.name for i in graph.input]}")
        check([o.name for o in graph.output] == ["output"], f"{name}: outputs {[o.name for o in graph.output]}")
        batch = graph.input[0].type.tensor_type.shape.dim[0]
        check(batch.dim_param != "" and not batch.HasField("dim_value"), f"{name}: batch dimension is not symbolic")

        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        x = np.array(dump["input"], dtype=np.float32)
        want = np.array(dump["output"], dtype=np.float32)
        (got,) = session.run(["output"], {"input": x})
        difference = float(np.max(np.abs(got - want)))
        check(got.shape == want.shape and difference <= TOLERANCE,
              f"{name}: onnxruntime differs from nns by {difference} (shape {got.shape} vs {want.shape})")
        for row in range(min(3, len(x))):
            (single,) = session.run(["output"], {"input": x[row:row + 1]})
            check(float(np.max(np.abs(single[0] - want[row]))) <= TOLERANCE, f"{name}: row {row} alone differs")
        print(f"ok  {name}.onnx: {len(graph.node)} nodes, max |onnxruntime - nns| = {difference:.2e}")

        if name == "spec":
            t = {entry["name"]: np.array(entry["values"], dtype=np.float64).reshape(entry["shape"]) for entry in dump["tensors"]}
            sigmoid = lambda z: 1 / (1 + np.exp(-z))
            reference = sigmoid(sigmoid(x.astype(np.float64) @ t["0.weight"].T + t["0.bias"]) @ t["2.weight"].T + t["2.bias"])
            check(np.max(np.abs(got - reference)) <= TOLERANCE, f"spec: onnxruntime differs from numpy: {got} vs {reference}")
            check(abs(got[0, 0] - 0.727) < 5e-4, f"spec: output for [0.5, 0.8] is {got[0, 0]}, the notes give 0.727")
    if failures:
        sys.exit(f"check_onnx: {len(failures)} failure(s)")
    print("check_onnx: all passed")


if __name__ == "__main__":
    main()
