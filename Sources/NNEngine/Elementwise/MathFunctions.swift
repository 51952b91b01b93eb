/// The math functions of the language (not layers): each defined once, as `ElementwiseFunction`
/// says, and listed in `ElementwiseFunctions.all`.

public enum Negate: ElementwiseFunction {
    public static let name = "neg"
    public static let help = "−x"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { -x }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { -1 }
    public static func traceText(_ x: String, alpha: String) -> String { "−" + x }
    public static func partialText(x: String, y: String, alpha: String) -> String { "−1" }
}

public enum Exp: ElementwiseFunction {
    public static let name = "exp"
    public static let help = "eˣ, element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.exp(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { y }
    public static func partialText(x: String, y: String, alpha: String) -> String { "exp " + x }
}

public enum Log: ElementwiseFunction {
    public static let name = "log"
    public static let help = "natural logarithm, element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.log(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 1 / x }
    public static func partialText(x: String, y: String, alpha: String) -> String { "1/" + x }
}

public enum SquareRoot: ElementwiseFunction {
    public static let name = "sqrt"
    public static let help = "square root, element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { x.squareRoot() }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 0.5 / y }
    public static func traceText(_ x: String, alpha: String) -> String { "√" + x }
    public static func partialText(x: String, y: String, alpha: String) -> String { "1/(2√" + x + ")" }
}

public enum Sine: ElementwiseFunction {
    public static let name = "sin"
    public static let help = "sine (radians), element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.sin(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { T.cos(x) }
    public static func partialText(x: String, y: String, alpha: String) -> String { "cos " + x }
}

public enum Cosine: ElementwiseFunction {
    public static let name = "cos"
    public static let help = "cosine (radians), element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.cos(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { -T.sin(x) }
    public static func partialText(x: String, y: String, alpha: String) -> String { "−sin " + x }
}

public enum Tangent: ElementwiseFunction {
    public static let name = "tan"
    public static let help = "tangent (radians), element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.tan(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 1 + y * y }
    public static func partialText(x: String, y: String, alpha: String) -> String { "(1 + " + y + "²)" }
}

public enum Arcsine: ElementwiseFunction {
    public static let name = "asin"
    public static let help = "arcsine in radians (NaN outside [-1, 1]), element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.asin(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 1 / (1 - x * x).squareRoot() }
    public static func partialText(x: String, y: String, alpha: String) -> String { "1/√(1 − " + x + "²)" }
}

public enum Arccosine: ElementwiseFunction {
    public static let name = "acos"
    public static let help = "arccosine in radians (NaN outside [-1, 1]), element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.acos(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { -1 / (1 - x * x).squareRoot() }
    public static func partialText(x: String, y: String, alpha: String) -> String { "−1/√(1 − " + x + "²)" }
}

public enum Arctangent: ElementwiseFunction {
    public static let name = "atan"
    public static let help = "arctangent in radians, element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { T.atan(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { 1 / (1 + x * x) }
    public static func partialText(x: String, y: String, alpha: String) -> String { "1/(1 + " + x + "²)" }
}

public enum AbsoluteValue: ElementwiseFunction {
    public static let name = "abs"
    public static let help = "absolute value, element-wise on tensors"
    public static func value<T: MathScalar>(_ x: T, alpha: T) -> T { Swift.abs(x) }
    public static func derivative<T: MathScalar>(x: T, y: T, alpha: T) -> T { x > 0 ? 1 : (x < 0 ? -1 : 0) }
    public static func traceText(_ x: String, alpha: String) -> String { "|" + x + "|" }
    public static func partialText(x: String, y: String, alpha: String) -> String { "sign " + x }
}
