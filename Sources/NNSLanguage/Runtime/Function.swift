import NNEngine

/// A function value: a builtin, a user function (a closure over its defining environment),
/// or a function made by another function (such as `grad(f)`).
public final class Function {
    public enum Implementation {
        case builtin(Builtin)
        case user(UserFunction)
        /// A function computed in Swift at run time, e.g. the result of `grad(f)`; `arity`
        /// nil takes any number of arguments.
        case native(arity: Int?, (_ arguments: [Value], _ interpreter: Interpreter) throws -> Value)
    }

    /// The name shown in printing and error messages (`<fn>` for anonymous literals).
    public let name: String
    public let implementation: Implementation

    public init(name: String, implementation: Implementation) {
        self.name = name
        self.implementation = implementation
    }

    /// For builtins that are layers with no required argument (`relu`, `sigmoid`...): makes
    /// a fresh layer, so that the bare name can stand where a layer is expected.
    public var bareLayer: (() throws -> Layer)? {
        if case .builtin(let builtin) = implementation { return builtin.makeBareLayer }
        return nil
    }
}

/// A function written in nns: its parameters, body, the environment it closes over, and the
/// file it was written in (for error locations when it is called from elsewhere).
public struct UserFunction {
    public var literal: FunctionLiteral
    public var closure: Environment
    public var file: SourceFile
}
