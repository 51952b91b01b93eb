"""Writes the course (docs/course.md) as notebooks in notebooks/ and executes them through the
nns kernel, storing their outputs:

    NNS_BIN=.build/release/nns NNS_DATA=../shared/data python3 tools/make_notebooks.py

Needs nbformat, nbclient and the installed nns kernel (python3 -m nns_kernel install). CI runs
the committed notebooks again (tools/ci/jupyter.sh); edit the lessons here, not the .ipynb."""

import os
import sys

import nbformat
from nbclient import NotebookClient

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "notebooks")

CLASSROOM = """net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2])
    |> sigmoid
    |> linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3])
    |> sigmoid"""

LESSONS = {
    "01-handworked.ipynb": [
        ("md", "# 1. The 2-2-1 network worked by hand\n\n"
               "The lecture notes' example: two inputs, two sigmoid hidden units, one sigmoid output. "
               "Every number below can be checked with a pocket calculator — "
               "z¹ = W¹·x + b¹, a¹ = σ(z¹), z² = W²·a¹ + b², ŷ = σ(z²)."),
        ("code", CLASSROOM),
        ("md", "The forward pass for x = [0.5, 0.8]: z¹ = [0.52, 0.43], a¹ = [0.627, 0.606], z² = 0.979, "
               "so ŷ = σ(0.979) ≈ 0.727."),
        ("code", "x = [0.5, 0.8]\ny = [1]\nx |> net"),
        ("md", "`:step forward` shows each layer's formula with the numbers plugged in "
               "(in a notebook all the steps at once)."),
        ("code", ":step forward net x"),
        ("md", "Backpropagation by the delta method with the mse cost C = ½(ŷ − y)²: "
               "δ² = (ŷ − y)·σ'(z²) ≈ −0.0542, ∂C/∂W² = δ²·(a¹)ᵀ ≈ [−0.0340, −0.0328], "
               "δ¹ = (W²)ᵀδ² ⊙ σ'(z¹) ≈ [−0.00760, −0.00647]."),
        ("code", ":step backward net x y mse"),
        ("md", "The same gradients as numbers you can compute with: `:grad` summarises them per parameter."),
        ("code", ":grad net x y mse"),
    ],
    "02-autodiff.ipynb": [
        ("md", "# 2. Automatic differentiation\n\n"
               "The notes' example f(x) = log(sin x²), as v₁ = x², v₂ = sin v₁, v₃ = log v₂. "
               "Its derivative is 2x·cos(x²)/sin(x²), 1.2842 at x = 1."),
        ("code", "fn f(x) => log(sin(x^2))\ngrad(f)(1.0)"),
        ("md", "The trace as the notes write it: each vᵢ with its tangent v̇ᵢ (forward mode) "
               "and its adjoint v̄ᵢ (reverse mode)."),
        ("code", 'trace(f, 1.0, mode: "both")'),
        ("md", "The computational graph, output at the root."),
        ("code", "graph(f, 1.0)"),
        ("md", "`grad` of a function of several arguments gives the list of partial derivatives: "
               "for g(x, y) = x·y + sin(x), ∂g/∂x = y + cos(x) and ∂g/∂y = x."),
        ("code", "fn g(x, y) => x * y + sin(x)\ngrad(g)(0.0, 2.0)"),
    ],
    "03-perceptron.ipynb": [
        ("md", "# 3. Perceptrons and the logic gates\n\n"
               "A perceptron is `linear(n, 1) |> step`. The perceptron rule changes the weights only "
               "when it is wrong: w ← w + η(y − ŷ)x, b ← b + η(y − ŷ)."),
        ("code", 'seed(7)\nnet = linear(2, 1, init: "zeros") |> step\n'
                 'h = train(net, and_gate, rule: "perceptron", epochs: 12, seed: 1)\nh.accuracy'),
        ("md", "The learned line w·x + b = 0 separates (1, 1) from the other three inputs:"),
        ("code", "net[0].weight"),
        ("code", "net[0].bias"),
        ("md", "OR, NAND and NOR are learned the same way."),
        ("code", 'for pair in [["OR", or_gate], ["NAND", nand_gate], ["NOR", nor_gate]] {\n'
                 '    p = linear(2, 1, init: "zeros") |> step\n'
                 '    hp = train(p, pair[1], rule: "perceptron", epochs: 12, seed: 1)\n'
                 '    print(pair[0], "accuracy per epoch:", hp.accuracy)\n}'),
        ("md", "XOR is not linearly separable: one perceptron gets at most 3 of the 4 points right, "
               "whatever it does. The picture shows its single straight boundary."),
        ("code", 'perceptron = linear(2, 1) |> step\n'
                 'hx = train(perceptron, xor_gate, rule: "perceptron", epochs: 12, seed: 1)\nmax(hx.accuracy)'),
        ("code", "plot_boundary(perceptron, xor_gate)"),
    ],
    "04-xor.ipynb": [
        ("md", "# 4. XOR with a hidden layer\n\n"
               "Two layers of units trained by backpropagation solve what one perceptron cannot. "
               "Training shows one progress display, updated in place, then the history."),
        ("code", "seed(7)\nnet = linear(2, 4) |> tanh |> linear(4, 1) |> sigmoid\nnparams(net)"),
        ("code", "history = train(net, xor_gate, loss: bce, optimizer: sgd(lr: 0.5), epochs: 1000, batch: 4)\n"
                 "round(history.loss[-1], 4)"),
        ("md", "The cost per epoch:"),
        ("code", "plot(history)"),
        ("md", "The outputs for (0,0), (0,1), (1,0), (1,1) — close to 0, 1, 1, 0 — and the curved "
               "decision regions the hidden layer makes possible:"),
        ("code", "list(round(xor_gate.x |> net, 3))"),
        ("code", "plot_boundary(net, xor_gate)"),
        ("code", "evaluate(net, xor_gate, loss: bce).accuracy"),
    ],
    "05-mnist.ipynb": [
        ("md", "# 5. MNIST: what the first layer learns\n\n"
               "A 784-64-10 network trains for one epoch on a fifth of MNIST (a short run; "
               "`samples/mnist.nns` trains the full recipe). The data come from `$NNS_DATA/mnist`."),
        ("code", 'seed(1)\ntrain_data = mnist("train")\ntest_data = mnist("test")\n'
                 "small = split(train_data, 0.2, seed: 1)[0]\nlen(small)"),
        ("code", "net = linear(784, 64) |> relu |> linear(64, 10) |> softmax\n"
                 "h = train(net, small, loss: cross_entropy, optimizer: adam(lr: 0.001), epochs: 1, batch: 64, seed: 1)\nh"),
        ("md", "Accuracy on the 10,000 test images (about 90% after this one short epoch):"),
        ("code", "round(evaluate(net, test_data).accuracy, 4)"),
        ("md", "Each hidden unit's 784 incoming weights drawn as a 28×28 image: strokes and blobs "
               "where there was noise before training."),
        ("code", "plot_weights(net[0], units: 16)"),
    ],
}


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "nns", "display_name": "nns", "language": "nns"}
    nb.metadata["language_info"] = {"name": "nns", "file_extension": ".nns", "pygments_lexer": "nns"}
    nb.cells = [nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
                for kind, text in cells]
    return nb


def main(names):
    os.makedirs(OUT, exist_ok=True)
    for name, cells in LESSONS.items():
        if names and name not in names:
            continue
        nb = notebook(cells)
        NotebookClient(nb, kernel_name="nns", timeout=300, resources={"metadata": {"path": OUT}}).execute()
        # Outputs only: execution timing metadata would change at every run.
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, os.path.join(OUT, name))
        print("wrote", os.path.join("notebooks", name))


if __name__ == "__main__":
    main(sys.argv[1:])
