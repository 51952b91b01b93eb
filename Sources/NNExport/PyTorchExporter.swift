import NNEngine

/// Writes a network as a readable PyTorch script: an `nn.Sequential` of the same layers that
/// loads the weights from a safetensors file saved beside it (`model.py` → `model.safetensors`),
/// so a user can continue in PyTorch.
public enum PyTorchExporter {
    /// Writes `<stem>.safetensors` (with `NetworkArchive.save`) and then `path`, both atomically.
    /// - Returns: the path of the weights file.
    /// - Throws: `EngineError` for a path not ending in `.py`, or a failed write.
    @discardableResult
    public static func export(_ network: Network, to path: String, using io: FileIO = .system) throws -> String {
        guard path.hasSuffix(".py"), path.count > 3, !path.hasSuffix("/.py") else {
            throw EngineError("a PyTorch export needs a file name ending in .py, got \"\(path)\"",
                              hint: "for example export(net, \"model.py\")")
        }
        let weightsPath = String(path.dropLast(3)) + ".safetensors"
        let weightsName = weightsPath.split(separator: "/").last.map(String.init) ?? weightsPath
        let script = try source(for: network, weightsFile: weightsName)
        try NetworkArchive.save(network, to: weightsPath, using: io)
        try AtomicFile.write(Array(script.utf8), to: path, using: io)
        return weightsPath
    }

    /// The Python source for `network`, loading its weights from `weightsFile` in the script's
    /// own directory.
    public static func source(for network: Network, weightsFile: String) throws -> String {
        let specs = try network.layers.map { try LayerSpec(layer: $0) }
        let usesStep = specs.contains(.step)
        let width = network.inputWidth
        var lines: [String] = [
            "# A PyTorch version of the nns network",
            "#     \(network.description)",
            "# written by nns export(); its weights are in \(weightsFile) beside this file.",
            "from pathlib import Path",
            "",
            "import torch",
            "from torch import nn",
            "from safetensors.torch import load_file",
            "",
        ]
        if usesStep {
            lines += [
                "",
                "class Step(nn.Module):",
                "    \"\"\"Heaviside step as nns defines it: 1 where x >= 0, else 0.\"\"\"",
                "",
                "    def forward(self, x):",
                "        return (x >= 0).to(x.dtype)",
                "",
                "",
            ]
        }
        lines.append("model = nn.Sequential(")
        lines += specs.map { "    \(module(for: $0))," }
        lines += [
            ")",
            "model.load_state_dict(load_file(Path(__file__).with_name(\(pythonString(weightsFile)))))",
            "model.eval()  # inference: dropout off, batchnorm on its running statistics",
            "",
            "if __name__ == \"__main__\":",
            "    x = torch.zeros(1, \(width ?? 1))",
            "    print(model(x))",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The `torch.nn` module for one layer.
    static func module(for spec: LayerSpec) -> String {
        switch spec {
        case let .linear(inputs, outputs): return "nn.Linear(\(inputs), \(outputs))"
        case .sigmoid: return "nn.Sigmoid()"
        case .tanh: return "nn.Tanh()"
        case .relu: return "nn.ReLU()"
        case .gelu: return "nn.GELU()"  // exact (erf), PyTorch's default
        case .softmax: return "nn.Softmax(dim=-1)"
        case .identity: return "nn.Identity()"
        case .step: return "Step()"
        case let .leakyReLU(alpha): return "nn.LeakyReLU(negative_slope=\(python(alpha)))"
        case let .elu(alpha): return "nn.ELU(alpha=\(python(alpha)))"
        case let .dropout(p): return "nn.Dropout(p=\(python(p)))"
        case let .batchnorm(n, epsilon, momentum):
            return "nn.BatchNorm1d(\(n), eps=\(python(epsilon)), momentum=\(python(momentum)))"
        }
    }

    /// A Python float literal with the shortest digits that give back the same Float.
    static func python(_ x: Float) -> String { python(ShortestNumber.widened(x)) }

    static func python(_ x: Double) -> String {
        if !x.isFinite { return "float(\"\(ShortestNumber.text(x))\")" }
        let text = ShortestNumber.text(x)
        return text.contains(where: { $0 == "." || $0 == "e" }) ? text : text + ".0"
    }

    /// A double-quoted Python string literal (a JSON string literal is one).
    static func pythonString(_ s: String) -> String { s.jsonLiteral }
}
