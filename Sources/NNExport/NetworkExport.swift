import NNEngine

/// `export(net, path)`: the format follows the file name's extension.
public enum NetworkExport {
    /// Writes `network` as ONNX (`.onnx`) or as a PyTorch script with its weights (`.py`).
    /// - Returns: every path written (a `.py` export also writes `<stem>.safetensors`).
    /// - Throws: `EngineError` for another extension, a layer without an export form, or a
    ///   failed write (which leaves earlier files intact).
    @discardableResult
    public static func export(_ network: Network, to path: String, using io: FileIO = .system) throws -> [String] {
        if path.hasSuffix(".onnx") {
            try ONNXExporter.export(network, to: path, using: io)
            return [path]
        }
        if path.hasSuffix(".py") {
            let weights = try PyTorchExporter.export(network, to: path, using: io)
            return [weights, path]
        }
        throw EngineError("cannot tell which format to export \"\(path)\" in",
                          hint: "name the file model.onnx (ONNX) or model.py (PyTorch); save(net, \"net.safetensors\") writes the weights alone")
    }
}
