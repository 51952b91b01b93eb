/// What a layer needs to describe itself to the exporters, without the engine knowing their
/// file formats: each layer writes its own ONNX nodes and names its own PyTorch module, and
/// the exporters (NNExport) supply the writer and assemble the files.

/// An attribute of an ONNX node.
public enum ONNXAttribute: Sendable {
    case int(String, Int64)
    case ints(String, [Int64])
    case float(String, Float)
}

/// Builds the ONNX graph one layer at a time. Values are named by the strings returned.
public protocol ONNXGraphWriter: AnyObject {
    /// Adds node `op` (an ONNX operator, e.g. "Gemm") with `inputs`; returns its output's name.
    /// `tag` tells apart several nodes of one layer in their names.
    func node(_ op: String, _ inputs: [String], attributes: [ONNXAttribute], tag: String?) -> String
    /// The layer's parameter `name` (`weight`) as an initializer; returns its value name.
    /// Throws when the network has no such tensor of the expected shape.
    func parameter(_ name: String) throws -> String
    /// A scalar float constant shared by the whole graph; returns its value name.
    func constant(_ name: String, _ value: Float) -> String
    /// A constant int64 vector (a Reshape's target shape); returns its value name.
    func constant(_ name: String, int64s: [Int64]) -> String
}

public extension ONNXGraphWriter {
    func node(_ op: String, _ inputs: [String], attributes: [ONNXAttribute] = []) -> String {
        node(op, inputs, attributes: attributes, tag: nil)
    }
}

/// A layer's PyTorch form: an `nn.Module` expression for an `nn.Sequential`, and any class
/// the expression needs that `torch.nn` does not have (nns's step).
public struct PyTorchModule: Equatable, Sendable {
    public let expression: String
    /// Python source defining a class the expression uses, by name (each written once).
    public let definitions: [String: String]

    public init(_ expression: String, definitions: [String: String] = [:]) {
        self.expression = expression
        self.definitions = definitions
    }

    /// A Python float literal with the shortest digits that give back the same Float.
    public static func float(_ x: Float) -> String { float(ShortestNumber.widened(x)) }

    public static func float(_ x: Double) -> String {
        if !x.isFinite { return "float(\"\(ShortestNumber.text(x))\")" }
        let text = ShortestNumber.text(x)
        return text.contains(where: { $0 == "." || $0 == "e" }) ? text : text + ".0"
    }
}
