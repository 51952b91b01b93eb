/// Whether a pass is for learning (dropout active, batchnorm on batch statistics) or not.
public enum PassMode: Sendable {
    case training
    case inference
}

/// A plain SGD step w ← w − η·∂C/∂w that `train` leaves to the layer's backward.
struct PendingStep {
    /// η.
    let rate: Float
    /// False when nothing will read `grad` before the next backward overwrites it (a step
    /// that is not the last of its epoch): the layer may then take the step without storing
    /// the gradient, and stores it only if asked to (`Layer.storeSkippedGradients`).
    let keepsGradient: Bool
}

/// A learnable tensor with its gradient, named the way PyTorch names it within its layer
/// (`weight`, `bias`, `running_mean`...).
public final class Parameter {
    public let name: String
    /// The tensor itself. (No property observer here on purpose: one makes writes from
    /// another module copy the whole tensor, e.g. an optimizer step; `_read` and `_modify`
    /// yield the storage in place.) While a layer holds the up-to-date value in another layout
    /// (`TransposedWeight`), the first read writes it back here.
    public var value: Tensor {
        _read {
            settle()
            yield stored
        }
        _modify {
            settle()
            version &+= 1
            yield &stored
        }
        set {
            ahead = nil
            version &+= 1
            stored = newValue
        }
    }
    private var stored: Tensor
    /// Counts the writes through `value`: a copy in another layout made at this version
    /// is still the same tensor.
    private(set) var version = 0
    /// The layer's copy that is ahead of `stored`: steps went to it, not here.
    var ahead: TransposedWeight?
    /// `value`'s shape, without writing back a copy that is ahead (which has the same).
    var shape: [Int] { stored.shape }
    /// ∂C/∂value from the latest backward pass; same shape as `value`.
    public var grad: Tensor
    /// False for buffers such as batchnorm's running statistics: saved, never trained.
    public let isTrainable: Bool
    /// Set by `train` before a backward when the optimizer's step is the plain
    /// w ← w − η·∂C/∂w. A layer whose backward can take that step while the gradient is in
    /// the cache does so and clears this; the optimizer steps whatever is left.
    var pendingStep: PendingStep?

    public init(name: String, value: Tensor, isTrainable: Bool = true) {
        self.name = name
        self.stored = value
        self.grad = Tensor(zeros: value.shape)
        self.isTrainable = isTrainable
    }

    /// Writes back the copy that is ahead, if any: `value` is then current again, and so is
    /// that copy.
    func settle() {
        guard let copy = ahead else { return }
        ahead = nil
        copy.write(into: &stored)
    }

    /// A deep copy (value, gradient and flags).
    public func copy() -> Parameter {
        let p = Parameter(name: name, value: value, isTrainable: isTrainable)
        p.grad = grad
        return p
    }
}

/// One stage of a network, and everything about it in one file: its forward on a batch and,
/// beside it, its backward by the delta method; its parameters with their PyTorch names; its
/// shape rule; the arguments it prints and saves as; its traced forward for `grad`/`trace`;
/// what step-through writes for it; its ONNX nodes and PyTorch module. A new kind of layer is
/// one file with a class conforming to `Layer` plus its line in `LayerRegistry`.
///
/// Batches are `[m, ...]`, samples along the first axis. A layer caches what its backward
/// needs from the latest forward and keeps its output and gradient tensors between calls,
/// writing into them in place.
///
/// `description` is the nns source that builds the layer (`linear(2, 2)`, `relu`,
/// `dropout(0.5)`), the way Flux layers show themselves: typed back, it builds an equal layer.
public protocol Layer: AnyObject, CustomStringConvertible {
    /// The builtin's name: `linear`, `relu`, `batchnorm`...
    var kind: String { get }
    /// The arguments the builtin was given (or their defaults), in the builtin's order: the
    /// source `description` prints and the record `save` writes.
    var arguments: [LayerArgument] { get }

    /// The shape of one sample the layer requires, nil when it takes any (activations).
    var inputShape: SampleShape? { get }
    /// The shape of one output sample for an input sample of shape `input` (nil: not known
    /// yet). Throws a `ShapeProblem` for an input the layer cannot take.
    func outputShape(forInput input: SampleShape?) throws -> SampleShape?

    /// Parameters and buffers in PyTorch's state_dict order.
    var parameters: [Parameter] { get }
    /// a = layer(x) for a batch. Throws on a shape the layer cannot take.
    func forward(_ input: Tensor, mode: PassMode) throws -> Tensor
    /// Given ∂C/∂output for the latest forward, *sets* (does not accumulate) each parameter's
    /// `grad`, and returns ∂C/∂input when `needInputGradient` (else nil). Throws when there
    /// was no forward or the gradient's shape is not the output's.
    func backward(_ outputGradient: Tensor, needInputGradient: Bool) throws -> Tensor?
    /// A deep copy with its own parameters.
    func copy() -> Layer

    /// The builtin names this class implements (an activation class serves several).
    static var kinds: [String] { get }
    /// How nns source calls each kind into being (the language makes a builtin of each).
    static var builders: [LayerBuilder] { get }
    /// A layer of this class from its saved record (parameters zero: the file fills them).
    static func make(_ record: LayerRecord) throws -> Layer
    /// The shapes of the tensors a layer of this record holds, in state_dict order, known
    /// before it is built (a file's tensors are checked against them first).
    static func parameterShapes(_ record: LayerRecord) throws -> [(name: String, shape: [Int])]

    /// The forward on a value of a `grad`/`trace` tape (inference mode), recorded on the tape
    /// with the layer's parameters as constants.
    func forward(traced x: Traced) throws -> Traced
    /// Adds the ONNX nodes computing the layer (inference) from value `x`; returns the output.
    func exportONNX(_ x: String, to graph: ONNXGraphWriter) throws -> String
    /// The PyTorch module doing what the layer does (inference and training alike).
    var pytorch: PyTorchModule { get }

    /// Step-through's formula for the layer in the notes' symbols (`a¹ = σ(z¹)`, with the
    /// function's definition), given the names of its input and output.
    func formula(input: String, output: String) -> String
    /// Step-through's derivative h'(z) in the notes' form, written with the output's name.
    func derivativeFormula(output: String) -> String?

    /// The affine step z = W·a + b that starts a layer of the notes (linear, conv2d).
    var isAffine: Bool { get }
    /// relu and its kin, after which `init: "auto"` picks He.
    var isReLUFamily: Bool { get }
    /// Looked through when `init: "auto"` looks for the next layer (dropout, batchnorm).
    var isTransparentToInit: Bool { get }
    /// Normalises with batch statistics in training, so a batch of one sample is skipped.
    var usesBatchStatistics: Bool { get }
    /// The parameters weight decay applies to (the weights of affine layers).
    var decayedParameters: [Parameter] { get }
    /// Called once a training step's backward (and update) is done: a layer that held on
    /// to a tensor of another's for its backward (rather than copying it) lets go, so that
    /// the owner writes it in place next step. A backward then needs a new forward.
    func endTrainingStep()
    /// Before `endTrainingStep`, after a step whose `PendingStep` did not keep the gradient:
    /// stores the gradients the backward skipped (training stopped after that step, and
    /// `grad` must be the last batch's).
    func storeSkippedGradients() throws
}

public extension Layer {
    static var builders: [LayerBuilder] { [] }
    static func parameterShapes(_ record: LayerRecord) throws -> [(name: String, shape: [Int])] { [] }
    var description: String { LayerSource.text(kind: kind, arguments: arguments) }
    var arguments: [LayerArgument] { [] }
    var parameters: [Parameter] { [] }
    var inputShape: SampleShape? { nil }
    func outputShape(forInput input: SampleShape?) throws -> SampleShape? { input }

    func forward(traced x: Traced) throws -> Traced {
        throw EngineError("a \(kind) layer cannot be differentiated by grad/trace",
                          hint: "inside a differentiated function use linear layers, activations and softmax")
    }

    func formula(input: String, output: String) -> String { "\(output) = \(description)(\(input))" }
    func derivativeFormula(output: String) -> String? { nil }
    var isAffine: Bool { false }
    var isReLUFamily: Bool { false }
    var isTransparentToInit: Bool { false }
    var usesBatchStatistics: Bool { false }
    var decayedParameters: [Parameter] { [] }
    func endTrainingStep() {}
    func storeSkippedGradients() throws {}
}

/// A layer whose weights `init: "auto"` draws once the next layer is known (see `WeightInit`).
protocol AutoInitializing: Layer {
    /// True while `init: "auto"` has not been resolved and the weights are the initial draws.
    var isAutoInitPending: Bool { get }
    /// He for a relu-family next layer, Xavier otherwise; a no-op once resolved.
    func resolveAutoInit(nextIsReLUFamily: Bool)
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
