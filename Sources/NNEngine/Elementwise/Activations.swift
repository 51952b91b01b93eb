/// The activations (SPEC §6 and beyond): each one type, used as a layer (`relu`), as a
/// function of numbers and tensors (`relu(-3)`), on the `grad`/`trace` tape, in step-through
/// and in both exporters.

public enum Sigmoid: ElementwiseFunction {
    public static let name = "sigmoid"
    public static let help = "σ(z) = 1/(1 + e⁻ᶻ)"
    public static let isActivation = true
    public static let derivativeUsesInput = false
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.sigmoid(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { y * (1 - y) }
    public static func backward(_ g: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                                into d: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        lanes(g, y, d, { g, y in g * y * (1 - y) }, { g, y in g * y * (1 - y) })
    }
    public static func traceText(_ x: String, alpha: String) -> String { "σ(" + x + ")" }
    public static func partialText(x: String, y: String, alpha: String) -> String { y + "(1 − " + y + ")" }
    public static func formula(input: String, output: String) -> String { "\(output) = σ(\(input)),  σ(z) = 1 / (1 + e^(−z))" }
    public static func derivativeFormula(output a: String) -> String? { "σ'(z) = \(a)(1 − \(a))" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String { graph.node("Sigmoid", [x]) }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.Sigmoid()") }
}

public enum HyperbolicTangent: ElementwiseFunction {
    public static let name = "tanh"
    public static let help = "tanh(z), zero-centred in (−1, 1)"
    public static let isActivation = true
    public static let derivativeUsesInput = false
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.tanh(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 1 - y * y }
    public static func backward(_ g: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                                into d: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        lanes(g, y, d, { g, y in g * (1 - y * y) }, { g, y in g * (1 - y * y) })
    }
    public static func partialText(x: String, y: String, alpha: String) -> String { "(1 − " + y + "²)" }
    public static func formula(input: String, output: String) -> String { "\(output) = tanh(\(input))" }
    public static func derivativeFormula(output a: String) -> String? { "tanh'(z) = 1 − (\(a))²" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String { graph.node("Tanh", [x]) }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.Tanh()") }
}

public enum ReLU: ElementwiseFunction {
    public static let name = "relu"
    public static let help = "max(0, z)"
    public static let isActivation = true
    public static let isReLUFamily = true
    public static let derivativeUsesInput = false
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x > 0 ? x : 0 }
    /// From the output: y > 0 exactly where x > 0.
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { y > 0 ? 1 : 0 }
    public static func apply(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        let zero = SIMD8<Float>()
        lanes(x, x, y, { x, _ in zero.replacing(with: x, where: x .> zero) }, { x, _ in x > 0 ? x : 0 })
    }
    public static func backward(_ g: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                                into d: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        let zero = SIMD8<Float>()
        lanes(g, y, d, { g, y in zero.replacing(with: g, where: y .> zero) }, { g, y in y > 0 ? g : 0 })
    }
    public static func partialText(x: String, y: String, alpha: String) -> String { "[" + x + " > 0]" }
    public static func formula(input: String, output: String) -> String { "\(output) = max(0, \(input))" }
    public static func derivativeFormula(output a: String) -> String? { "relu'(z) = 1 where z > 0, else 0" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String { graph.node("Relu", [x]) }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.ReLU()") }
}

public enum LeakyReLU: ElementwiseFunction {
    public static let name = "leaky_relu"
    public static let help = "z for z > 0, else alpha·z"
    public static let alphaDefault: Double? = 0.01
    public static let isActivation = true
    public static let isReLUFamily = true
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x > 0 ? x : alpha * x }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { x > 0 ? 1 : alpha }
    public static func apply(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        lanes(x, x, y, { x, _ in (alpha * x).replacing(with: x, where: x .> SIMD8<Float>()) }, { x, _ in x > 0 ? x : alpha * x })
    }
    public static func backward(_ g: UnsafeBufferPointer<Float>, x: UnsafeBufferPointer<Float>, y: UnsafeBufferPointer<Float>,
                                into d: UnsafeMutableBufferPointer<Float>, alpha: Float) {
        lanes(g, x, d, { g, x in (alpha * g).replacing(with: g, where: x .> SIMD8<Float>()) }, { g, x in x > 0 ? g : alpha * g })
    }
    public static func traceText(_ x: String, alpha: String) -> String { "leaky_relu(" + x + ", " + alpha + ")" }
    public static func partialText(x: String, y: String, alpha: String) -> String { "(" + x + " > 0 ? 1 : " + alpha + ")" }
    public static func formula(input: String, output: String) -> String { "\(output) = max(α·\(input), \(input))" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String {
        graph.node("LeakyRelu", [x], attributes: [.float("alpha", alpha)])
    }
    public static func pytorch(alpha: Float) -> PyTorchModule {
        PyTorchModule("nn.LeakyReLU(negative_slope=\(PyTorchModule.float(alpha)))")
    }
}

public enum ELU: ElementwiseFunction {
    public static let name = "elu"
    public static let help = "z for z > 0, else alpha·(eᶻ − 1)"
    public static let alphaDefault: Double? = 1
    public static let isActivation = true
    public static let isReLUFamily = true
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x > 0 ? x : alpha * T.expm1(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { x > 0 ? 1 : y + alpha }
    public static func traceText(_ x: String, alpha: String) -> String { "elu(" + x + ", " + alpha + ")" }
    public static func partialText(x: String, y: String, alpha: String) -> String { "(" + x + " > 0 ? 1 : " + y + " + " + alpha + ")" }
    public static func formula(input: String, output: String) -> String { "\(output) = \(input) if \(input) > 0, else α(e^\(input) − 1)" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String {
        graph.node("Elu", [x], attributes: [.float("alpha", alpha)])
    }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.ELU(alpha=\(PyTorchModule.float(alpha)))") }
}

public enum GELU: ElementwiseFunction {
    public static let name = "gelu"
    public static let help = "z·Φ(z) with Φ the standard normal CDF (exact, with erf)"
    public static let isActivation = true
    public static let isReLUFamily = true
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x * T.normalCDF(x) }
    /// d/dx x·Φ(x) = Φ(x) + x·φ(x).
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { T.normalCDF(x) + x * T.normalDensity(x) }
    public static func partialText(x: String, y: String, alpha: String) -> String { "(Φ(" + x + ") + " + x + "·φ(" + x + "))" }
    public static func formula(input: String, output: String) -> String { "\(output) = \(input)·Φ(\(input)),  Φ the standard normal CDF" }
    /// 0.5·x·(1 + Erf(x/√2)), the exact form: ONNX's Gelu arrived only in opset 20.
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String {
        let scaled = graph.node("Div", [x, graph.constant("sqrt2", Float(2).squareRoot())], attributes: [], tag: "Gelu")
        let erf = graph.node("Erf", [scaled], attributes: [], tag: "Gelu")
        let onePlus = graph.node("Add", [erf, graph.constant("one", 1)], attributes: [], tag: "Gelu")
        let times = graph.node("Mul", [x, onePlus], attributes: [], tag: "Gelu")
        return graph.node("Mul", [times, graph.constant("half", 0.5)], attributes: [], tag: "Gelu_Half")
    }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.GELU()") }  // exact (erf), PyTorch's default
}

public enum SiLU: ElementwiseFunction {
    public static let name = "silu"
    public static let help = "z·σ(z), the sigmoid-weighted linear unit (swish)"
    public static let isActivation = true
    public static let isReLUFamily = true
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x * T.sigmoid(x) }
    /// d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x))).
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T {
        let s = T.sigmoid(x)
        return s * (1 + x * (1 - s))
    }
    public static func partialText(x: String, y: String, alpha: String) -> String { "σ(" + x + ")(1 + " + x + "(1 − σ(" + x + ")))" }
    public static func formula(input: String, output: String) -> String { "\(output) = \(input)·σ(\(input))" }
    public static func derivativeFormula(output a: String) -> String? { "silu'(z) = σ(z)(1 + z(1 − σ(z)))" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String {
        graph.node("Mul", [x, graph.node("Sigmoid", [x], attributes: [], tag: "SiLU")], attributes: [], tag: "SiLU")
    }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.SiLU()") }
}

public enum Softplus: ElementwiseFunction {
    public static let name = "softplus"
    public static let help = "log(1 + eᶻ), a smooth relu (computed without overflow)"
    public static let isActivation = true
    public static let isReLUFamily = true
    /// max(x, 0) + log(1 + e^{−|x|}): e^{−|x|} ≤ 1, so nothing overflows, and log1p keeps
    /// the small tail exact.
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { Swift.max(x, 0) + T.log1p(T.exp(-Swift.abs(x))) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { T.sigmoid(x) }
    public static func partialText(x: String, y: String, alpha: String) -> String { "σ(" + x + ")" }
    public static func formula(input: String, output: String) -> String { "\(output) = log(1 + e^\(input))" }
    public static func derivativeFormula(output a: String) -> String? { "softplus'(z) = σ(z)" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String { graph.node("Softplus", [x]) }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.Softplus()") }
}

public enum Identity: ElementwiseFunction {
    public static let name = "identity"
    public static let help = "z unchanged (a linear output layer)"
    public static let isActivation = true
    public static let derivativeUsesInput = false
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 1 }
    public static func traceText(_ x: String, alpha: String) -> String { x }
    public static func partialText(x: String, y: String, alpha: String) -> String { "1" }
    public static func formula(input: String, output: String) -> String { "\(output) = \(input)" }
    public static func derivativeFormula(output a: String) -> String? { "h'(z) = 1" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String { graph.node("Identity", [x]) }
    public static func pytorch(alpha: Float) -> PyTorchModule { PyTorchModule("nn.Identity()") }
}

/// Heaviside: 1 for z ≥ 0, else 0 (the perceptron's activation). Its derivative is 0
/// everywhere it exists, so no gradient flows through a step layer: networks with one
/// train by the perceptron rule, not by backpropagation.
public enum Step: ElementwiseFunction {
    public static let name = "step"
    public static let help = "Heaviside step: 1 for z ≥ 0, else 0 (the perceptron's activation)"
    public static let isActivation = true
    public static let derivativeUsesInput = false
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x >= 0 ? 1 : 0 }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 0 }
    public static func partialText(x: String, y: String, alpha: String) -> String { "0" }
    public static func formula(input: String, output: String) -> String { "\(output) = step(\(input)),  1 where \(input) ≥ 0, else 0" }
    public static func exportONNX(_ x: String, alpha: Float, to graph: ONNXGraphWriter) -> String {
        let positive = graph.node("GreaterOrEqual", [x, graph.constant("zero", 0)], attributes: [], tag: "Step")
        return graph.node("Cast", [positive], attributes: [.int("to", 1)], tag: "Step")  // 1: FLOAT
    }
    public static func pytorch(alpha: Float) -> PyTorchModule {
        PyTorchModule("Step()", definitions: ["Step": """
            class Step(nn.Module):
                \"\"\"Heaviside step as nns defines it: 1 where x >= 0, else 0.\"\"\"

                def forward(self, x):
                    return (x >= 0).to(x.dtype)
            """])
    }
}

/// Every element-wise function, in the order `help` lists them.
public enum ElementwiseFunctions {
    public static let all: [any ElementwiseFunction.Type] = [
        Sigmoid.self, HyperbolicTangent.self, ReLU.self, LeakyReLU.self, ELU.self, GELU.self,
        SiLU.self, Softplus.self, Identity.self, Step.self,
        Exp.self, Log.self, SquareRoot.self, Sine.self, Cosine.self, Tangent.self,
        Arcsine.self, Arccosine.self, Arctangent.self, AbsoluteValue.self,
    ]

    /// The activations: the ones that are layers too.
    public static var activations: [any ElementwiseFunction.Type] { all.filter { $0.isActivation } }

    /// The function a user names, if any.
    public static func named(_ name: String) -> (any ElementwiseFunction.Type)? {
        all.first { $0.name == name }
    }
}
