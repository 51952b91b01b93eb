/// Whether a pass is for learning (dropout active, batchnorm on batch statistics) or not.
public enum PassMode: Sendable {
    case training
    case inference
}

/// A learnable tensor with its gradient, named the way PyTorch names it within its layer
/// (`weight`, `bias`, `running_mean`...).
public final class Parameter {
    public let name: String
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
}

/// One stage of a network: its forward on a batch and, beside it, its backward by the delta
/// method. Batches are `[m, features]`; a layer caches what its backward needs from the
/// latest forward.
///
/// `description` is the nns source that builds the layer (`linear(2, 2)`, `relu`,
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
    /// a = layer(x) for a batch `[m, inputWidth]`.
    func forward(_ input: Tensor, mode: PassMode) -> Tensor
    /// Given ∂C/∂output for the latest forward, accumulates nothing but *sets* each
    /// parameter's `grad`, and returns ∂C/∂input when `needInputGradient` (else nil).
    func backward(_ outputGradient: Tensor, needInputGradient: Bool) -> Tensor?
    /// A deep copy with its own parameters.
    func copy() -> Layer
}

public extension Layer {
    var parameters: [Parameter] { [] }
    var inputWidth: Int? { nil }
    func outputWidth(forInput width: Int) -> Int { width }
}
