/// What produced a value on the tape.
public enum TapeOperation: Equatable, Sendable {
    /// An input the function is differentiated with respect to (x in f(x)).
    case variable
    /// A number or tensor that does not depend on any variable.
    case constant
    /// An element-wise function of one operand (sin, exp, relu, …).
    case unary(UnaryOp)
    /// An element-wise function of two operands under broadcasting (+, ·, ^, min, <, …).
    case binary(BinaryOp)
    /// The sum of all elements (a 0-d result).
    case sum
    /// The mean of all elements (a 0-d result).
    case mean
    /// The largest element (a 0-d result); its derivative flows to the first largest element.
    case maxElement
    /// The smallest element (a 0-d result); its derivative flows to the first smallest element.
    case minElement
    /// The matrix product (vectors are treated as a row on the left, a column on the right).
    case matmul
    /// Softmax along the last axis (row-wise for a matrix).
    case softmax
    /// The transpose of a matrix.
    case transpose
    /// The operands joined along `axis` of the result: end to end (`concat`) or, when
    /// `stacked`, each as one slice of a new axis (`stack`).
    case join(axis: Int, stacked: Bool)
}

/// One value on the tape: the vᵢ of an evaluation trace.
public struct TapeNode: Sendable {
    /// Position on the tape (0-based, in recording order).
    public let id: Int
    public let operation: TapeOperation
    /// Tape positions of the operands.
    public let operands: [Int]
    public let value: Tensor
    /// A variable's name (`x`); nil for other nodes.
    public let name: String?
    /// Whether the value depends on a variable, so derivatives must flow through it.
    public let dependsOnVariable: Bool
}

/// A record of the elementary operations a function performs on its inputs, kept so the
/// function can be differentiated in forward mode (tangents v̇ᵢ) or reverse mode
/// (adjoints v̄ᵢ) and shown as a trace table or a graph.
///
/// The tape knows nothing of any language: the caller evaluates the function, calling
/// the operations on `Traced` handles, and loops or branches simply record the operations
/// they actually execute. A value used several times receives the sum of its adjoints.
public final class Tape {
    /// Every recorded value, in order.
    public private(set) var nodes: [TapeNode] = []

    public init() {}

    /// Marks `value` as an input to differentiate with respect to.
    public func variable(_ value: Tensor, name: String) -> Traced {
        record(.variable, operands: [], value: value, name: name)
    }

    /// A value the derivatives do not flow into.
    public func constant(_ value: Tensor) -> Traced {
        record(.constant, operands: [], value: value, name: nil)
    }

    /// A number as a 0-d constant.
    public func constant(_ value: Double) -> Traced {
        constant(Tensor(scalar: Float(value)))
    }

    /// The variables, in the order they were declared.
    public var variables: [Traced] {
        nodes.filter { $0.operation == .variable }.map { Traced(tape: self, id: $0.id) }
    }

    /// The handle of the value at tape position `id`.
    public func traced(_ id: Int) throws -> Traced {
        guard nodes.indices.contains(id) else {
            throw EngineError("no value number \(id) on this tape", hint: "the tape holds \(nodes.count) values")
        }
        return Traced(tape: self, id: id)
    }

    /// Appends a node. Operations on constants alone are folded into a new constant, so
    /// traces show only the values that depend on the inputs.
    @discardableResult
    func record(_ operation: TapeOperation, operands: [Int], value: Tensor, name: String? = nil) -> Traced {
        let depends = operation == .variable || operands.contains { nodes[$0].dependsOnVariable }
        let kept: TapeOperation = (operation == .variable || depends) ? operation : .constant
        let node = TapeNode(id: nodes.count, operation: kept,
                            operands: kept == .constant ? [] : operands,
                            value: value, name: name, dependsOnVariable: depends)
        nodes.append(node)
        return Traced(tape: self, id: node.id)
    }

    /// Positions of the nodes `output` depends on (itself included), in tape order.
    func ancestors(of output: Int) -> [Int] {
        var needed = [Bool](repeating: false, count: output + 1)
        needed[output] = true
        for i in stride(from: output, through: 0, by: -1) where needed[i] {
            for j in nodes[i].operands { needed[j] = true }
        }
        return needed.indices.filter { needed[$0] }
    }

    /// Checks that `value` was recorded on this tape.
    func check(_ value: Traced) throws {
        guard value.tape === self, nodes.indices.contains(value.id) else {
            throw EngineError("a traced value from another tape was used",
                              hint: "differentiate one function evaluation at a time")
        }
    }
}
