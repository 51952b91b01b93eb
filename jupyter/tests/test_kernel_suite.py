"""jupyter_kernel_test's conformance suite for the nns kernel."""

import unittest

import jupyter_kernel_test


class NNSKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "nns"
    language_name = "nns"
    file_extension = ".nns"

    code_hello_world = 'print("hello, world")'
    completion_samples = [
        {"text": "pri", "matches": {"print"}},
        {"text": "plot_b", "matches": {"plot_boundary"}},
        {"text": ":tr", "matches": {":train", ":trace"}},
    ]
    complete_code_samples = ["1 + 1", "x = [1, 2]", "net = linear(2, 2) |> relu", ":vars"]
    incomplete_code_samples = ["net = linear(2, 2) |>", "x = [1,", "fn f(x) {", ":train net data optimizer: sgd(lr: 0.1,"]
    code_display_data = [
        {"code": "plot([1, 3, 2, 4])", "mime": "image/svg+xml"},
        {"code": "plot_boundary(linear(2, 1) |> sigmoid, xor_gate)", "mime": "image/svg+xml"},
    ]
    code_inspect_sample = "relu"
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "x = 20\nx + 22", "result": "42"},
        {"code": "[0.5, 0.8] |> linear(2, 1, weight: [[2, 1]], bias: [0.1])", "result": "tensor[1] [1.9]"},
    ]
    code_generate_error = "y = undefined_name + 1"


if __name__ == "__main__":
    unittest.main()
