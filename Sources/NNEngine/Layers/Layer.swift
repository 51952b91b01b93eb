/// Whether a pass is for learning (dropout active, batchnorm on batch statistics) or not.
public enum PassMode: Sendable {
    case training
    case inference
}

/// A learnable tensor with its gradient, named the way PyTorch names it within its layer
/// (`weight`, `bias`, `running_mean`...).
public final class Parameter {
    public let name: String
    /// The tensor itself. (No property observer here on purpose: one makes writes from
    /// another module copy the whole tensor, e.g. an optimizer step.)
    public var value: Tensor
    /// ∂C/∂value from the latest backward pass; same shape as `value`.
    public var grad: Tensor
    /// False for buffers such as batchnorm's running statistics: saved, never trained.
    public let isTrainable: Bool

    public init(name: String, value: Tensor, isTrainable: Bool = true) {
        self.name = name
        self.value = value
        self.grad = Tensor(zeros: value.shape)
        self.isTrainable = isTrainable
    }

    /// A deep copy (value, gradient and flags).
    public func copy() -> Parameter {
        let p = Parameter(name: name, value: value, isTrainable: isTrainable)
        p.grad = grad
        return p
    }
}

/// One stage of a network: its forward on a batch and, beside it, its backward by the delta
/// method. Batches are `[m, features]` (activations accept any shape); a layer caches what
/// its backward needs from the latest forward and keeps its output and gradient tensors
/// between calls, writing into them in place.
///
/// `description` is the nns source that builds the layer (`linear(2→2)`, `relu`,
/// `dropout(0.5)`), the way Flux layers show themselves.
public protocol Layer: AnyObject, CustomStringConvertible {
    /// The builtin's name: `linear`, `relu`, `batchnorm`...
    var kind: String { get }
    /// The input width the layer requires, or nil when it takes any width (activations).
    var inputWidth: Int? { get }
    /// The output width for an input of `width` features.
    func outputWidth(forInput width: Int) -> Int
    /// Parameters and buffers in PyTorch's state_dict order.
    var parameters: [Parameter] { get }
    /// a = layer(x) for a batch `[m, inputWidth]`. Throws on a width the layer cannot take.
    func forward(_ input: Tensor, mode: PassMode) throws -> Tensor
    /// Given ∂C/∂output for the latest forward, *sets* (does not accumulate) each parameter's
    /// `grad`, and returns ∂C/∂input when `needInputGradient` (else nil). Throws when there
    /// was no forward or the gradient's shape is not the output's.
    func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor?
    /// A deep copy with its own parameters.
    func copy() -> Layer
}

public extension Layer {
    var parameters: [Parameter] { [] }
    var inputWidth: Int? { nil }
    func outputWidth(forInput width: Int) -> Int { width }
}

extension Tensor {
    /// Makes `self` an element-for-element copy of `other`, reusing storage when the count
    /// is unchanged: how layers keep the input their backward needs without holding on to
    /// the previous layer's buffer (which would force that layer to copy on its next write).
    mutating func assign(_ other: Tensor) {
        resize(to: other.shape)
        scalars.withUnsafeMutableBufferPointer { dst in
            other.scalars.withUnsafeBufferPointer { src in
                guard let d = dst.baseAddress, let s = src.baseAddress else { return }
                d.update(from: s, count: src.count)
            }
        }
    }
}

/// Layer options print as the shortest number that reads back the same: `1`, `0.01`.
func formatOption(_ x: Double) -> String { ShortestNumber.text(x) }

func formatOption(_ x: Float) -> String { ShortestNumber.text(x) }

/// The error for a backward pass with nothing to differentiate.
func backwardBeforeForward(_ layer: Layer) -> EngineError {
    EngineError("\(layer) has no forward pass to differentiate",
                hint: "run a forward pass (in training mode) before the backward pass")
}

/// The error for an upstream gradient whose shape is not the layer's output's.
func gradientShapeMismatch(_ layer: Layer, gradient: [Int], output: [Int]) -> EngineError {
    EngineError("\(layer) got a gradient of shape \(gradient) but its output has shape \(output)",
                hint: "∂C/∂output must have the shape of the latest forward's output")
}
