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
        let modules = network.layers.map(\.pytorch)
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
        for definition in definitions(modules) { lines += ["", definition, "", ""] }
        lines.append("model = nn.Sequential(")
        lines += modules.map { "    \($0.expression)," }
        lines += [
            ")",
            "model.load_state_dict(load_file(Path(__file__).with_name(\(pythonString(weightsFile)))))",
            "model.eval()  # inference: dropout off, batchnorm on its running statistics",
            "",
            "if __name__ == \"__main__\":",
            "    x = torch.zeros(1, \(exampleShape(network)))",
            "    print(model(x))",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The classes the modules need beyond `torch.nn`, each once, in a stable order.
    static func definitions(_ modules: [PyTorchModule]) -> [String] {
        var seen = Set<String>()
        return modules.flatMap { $0.definitions.sorted { $0.key < $1.key } }.compactMap { name, source in
            seen.insert(name).inserted ? source : nil
        }
    }

    /// The extents of one example for the demo call: the network's input shape, unknown
    /// extents (a convolution's height and width) as 28.
    static func exampleShape(_ network: Network) -> String {
        (network.inputShape ?? [1]).map { String($0 ?? 28) }.joined(separator: ", ")
    }

    static func python(_ x: Double) -> String { PyTorchModule.float(x) }
    static func python(_ x: Float) -> String { PyTorchModule.float(x) }

    /// A double-quoted Python string literal (a JSON string literal is one).
    static func pythonString(_ s: String) -> String { s.jsonLiteral }
}
