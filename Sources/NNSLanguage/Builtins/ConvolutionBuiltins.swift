import NNEngine

/// `reshape(c, h, w)`, the one layer whose builtin is not made from its class's builders
/// (see `LayerBuiltins`): it shares its name with the tensor builtin `reshape(x, shape)`,
/// which hands three numbers here. The other layers of convolutional networks (docs/convolution.md)
/// declare their builtins in their own files.
enum ConvolutionBuiltins {
    /// `reshape(c, h, w)`: the arguments arrive as the tensor builtin's `x`, `shape`, `w`.
    static func reshapeLayer(_ args: BuiltinArguments) throws -> Value {
        let sizes = try ["x", "shape", "w"].map { name -> Int in
            guard let x = args[name].asNumber, x == x.rounded(), x >= 1, x <= Double(1 << 24) else {
                throw args.error(name, "reshape(c, h, w) needs three positive whole numbers: channels, height, width",
                                 hint: "e.g. reshape(1, 28, 28) for MNIST rows of 784 pixels; reshape(x, shape) reshapes a tensor")
            }
            return Int(x)
        }
        return .layer(try Reshape(sizes))
    }
}
