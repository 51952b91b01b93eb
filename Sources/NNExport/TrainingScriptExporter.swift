import Foundation
import NNEngine

/// `export_training(net, data, "run/", ...)`: a directory that runs nns's `train` recipe with
/// PyTorch — on one process, or under `torchrun` with DistributedDataParallel — and writes the
/// trained weights back in nns's names (SPEC §16).
///
/// The directory holds `train.py` (from `TrainingScriptTemplate`, its layers from
/// `PyTorchExporter.module(for:)`), `init.safetensors` (the network as `save` writes it), the
/// data when it was made in memory (`data.safetensors`, `validation.safetensors`: `x` float32,
/// `y` int64 labels or float32 targets) and a `README.md` with the launch commands. Data read
/// from CSV or IDX files is referenced by absolute path instead.
///
/// Each file is written atomically. The directory is created when missing; an existing one
/// must be empty or hold an earlier export (its `train.py` carries `marker`), unless
/// `overwrite` is set; a path that is a file, a FIFO, a device or a symbolic link is refused.
public enum TrainingScriptExporter {
    /// The line that marks a `train.py` as ours.
    public static let marker = "with PyTorch, the way nns's train() does. Written by nns export_training()."

    /// Writes the run directory.
    /// - Parameters:
    ///   - seed: the seed of PyTorch's shuffling and dropout (nns's own generator is not
    ///     reproduced; with `shuffle: false` the order is the same).
    /// - Returns: the paths written, the script first.
    /// - Throws: `EngineError` for a recipe PyTorch cannot run faithfully, a directory it may
    ///   not write into, or a failed write.
    @discardableResult
    public static func export(_ network: Network, _ data: Dataset, to directory: String, optimizer: Optimizer,
                              options: TrainingOptions, seed: UInt64, overwrite: Bool = false,
                              using io: FileIO = .system) throws -> [String] {
        let plan = try TrainingPlan(network: network, data: data, options: options)
        let trainData = DataReference(data, file: "data.safetensors")
        let validationData = options.validation.map { DataReference($0, file: "validation.safetensors") }
        let text = try script(for: network, data: trainData, validation: validationData, optimizer: optimizer,
                              options: options, plan: plan, seed: seed)
        let dir = try prepareDirectory(directory, overwrite: overwrite)
        var written: [String] = []
        for (reference, set) in [(trainData, data), (validationData, options.validation)] {
            guard case .file(let name)? = reference, let set else { continue }
            try dataFile(set).write(to: dir + "/" + name, using: io)
            written.append(dir + "/" + name)
        }
        try NetworkArchive.save(network, to: dir + "/init.safetensors", using: io)
        try AtomicFile.write(Array(readme(network: network, data: trainData, batch: options.batchSize).utf8),
                             to: dir + "/README.md", using: io)
        try AtomicFile.write(Array(text.utf8), to: dir + "/train.py", using: io)
        return [dir + "/train.py", dir + "/init.safetensors", dir + "/README.md"] + written
    }

    /// How the script finds a data set: the files nns read it from, or a file written beside it.
    public enum DataReference: Equatable {
        case source(DataSource)
        case file(String)

        init(_ data: Dataset, file: String) {
            self = data.source.map { .source($0) } ?? .file(file)
        }

        /// A Python dict literal for the script's `DATA` / `VALIDATION`.
        var python: String {
            switch self {
            case .source(.csv(let path, let target, let header)):
                let column: String
                switch target {
                case .name(let name)?: column = PyTorchExporter.pythonString(name)
                case .index(let i)?: column = String(i)
                case nil: column = "-1"
                }
                return "{\"kind\": \"csv\", \"path\": \(PyTorchExporter.pythonString(path)), \"target\": \(column), \"header\": \(header ? "True" : "False")}"
            case .source(.idx(let images, let labels)):
                return "{\"kind\": \"idx\", \"images\": \(PyTorchExporter.pythonString(images)), \"labels\": \(PyTorchExporter.pythonString(labels))}"
            case .file(let name):
                return "{\"kind\": \"safetensors\", \"file\": \(PyTorchExporter.pythonString(name))}"
            }
        }

        /// What `--data` takes instead.
        var files: String {
            switch self {
            case .source(.csv): return "one CSV file of the same columns"
            case .source(.idx): return "an images and a labels IDX file"
            case .file: return "a safetensors file holding x and y"
            }
        }
    }

    /// The source of `train.py`.
    public static func script(for network: Network, data: DataReference, validation: DataReference?,
                              optimizer: Optimizer, options: TrainingOptions, plan: TrainingPlan,
                              seed: UInt64) throws -> String {
        if let i = network.layers.firstIndex(where: { $0.kind == Step.name }) {
            throw EngineError("export_training: layer \(i + 1) is step, whose gradient is zero everywhere, so PyTorch cannot train through it",
                              hint: "train perceptrons in nns with train(..., rule: \"perceptron\"), or use sigmoid")
        }
        let schedule = options.schedule ?? optimizer.schedule
        let last = network.layers.last
        let endsInSoftmax = last is Softmax
        let endsInSigmoid = (last as? Activation)?.function == .sigmoid
        let py = PyTorchExporter.python as (Double) -> String
        let none = "None"
        var recipe = "train(net, data, loss: \(options.loss.rawValue), optimizer: \(optimizer), epochs: \(options.epochs), batch: \(options.batchSize), shuffle: \(options.shuffle), seed: \(seed)"
        if options.validation != nil { recipe += ", validation: ..." }
        if options.l1 != 0 { recipe += ", l1: \(py(options.l1))" }
        if options.l2 != 0 { recipe += ", l2: \(py(options.l2))" }
        if let c = options.clip { recipe += ", clip: \(py(c))" }
        if let p = options.earlyStopPatience { recipe += ", early_stop: \(p)" }
        recipe += ")"
        let fills: [String: String] = [
            "DESCRIPTION": network.description,
            "DESCRIPTION_LITERAL": PyTorchExporter.pythonString(network.description),
            "RECIPE": recipe,
            "EPOCHS": String(options.epochs),
            "BATCH": String(options.batchSize),
            "SHUFFLE": options.shuffle ? "True" : "False",
            "SEED": String(seed % (1 << 32)),
            "LOSS": options.loss.rawValue,
            "L1": py(options.l1),
            "L2": py(options.l2),
            "CLIP": options.clip.map(py) ?? none,
            "EARLY_STOP": options.earlyStopPatience.map(String.init) ?? none,
            "ONE_HOT": plan.oneHotWidth.map(String.init) ?? none,
            "SKIP_SINGLE": network.layers.contains { $0.usesBatchStatistics } ? "True" : "False",
            "ACCURACY": scored(plan.accuracy, oneHot: plan.oneHotWidth).rawValue,
            "VALIDATION_ACCURACY": plan.validationAccuracy.map { "\"\(scored($0, oneHot: plan.validationOneHotWidth).rawValue)\"" } ?? none,
            "VALIDATION_ONE_HOT": plan.validationOneHotWidth.map(String.init) ?? none,
            "DATA": data.python,
            "VALIDATION": validation?.python ?? none,
            "DATA_FILES": PyTorchExporter.pythonString(data.files),
            "MODULES": network.layers.map { "        \($0.pytorch.expression)," }.joined(separator: "\n"),
            "SCHEDULE_DOC": schedule?.description ?? "constant",
            "SCHEDULE_BODY": "    return " + pythonRate(schedule, constant: optimizer.learningRate),
            "OPTIMIZER": try pythonOptimizer(optimizer),
            "LOSS_BODY": pythonLoss(options.loss, fusedSoftmax: endsInSoftmax, fusedSigmoid: endsInSigmoid),
        ]
        var text = TrainingScriptTemplate.text
        for (key, value) in fills { text = text.replacingOccurrences(of: "@@\(key)@@", with: value) }
        return text
    }

    /// The rule for targets as the script feeds them: labels fed as one-hot rows are scored
    /// against the row's argmax, as nns's `AccuracyRule` scores them.
    static func scored(_ rule: TrainingPlan.Accuracy, oneHot: Int?) -> TrainingPlan.Accuracy {
        oneHot != nil && rule == .argmaxLabel ? .argmaxRow : rule
    }

    /// The Python expression for η at `epoch`, the formulas of `LearningRateSchedule`.
    static func pythonRate(_ schedule: LearningRateSchedule?, constant: Float) -> String {
        let py = PyTorchExporter.python as (Double) -> String
        switch schedule {
        case nil: return PyTorchExporter.python(constant)
        case .constant(let lr)?: return py(lr)
        case .stepDecay(let lr, let gamma, let every)?: return "\(py(lr)) * \(py(gamma)) ** (epoch // \(every))"
        case .exponentialDecay(let lr, let k)?: return "\(py(lr)) * math.exp(-\(py(k)) * epoch)"
        case .inverseDecay(let lr, let k)?: return "\(py(lr)) / (1 + \(py(k)) * epoch)"
        case .cosine(let lr, let epochs)?:
            return "\(py(lr)) * 0.5 * (1 + math.cos(math.pi * epoch / \(epochs))) if epoch < \(epochs) else 0.0"
        }
    }

    /// `make_optimizer`'s body: torch.optim's optimizers are nns's update formulas exactly
    /// (see each nns optimizer's documentation), so the script uses them as they are.
    static func pythonOptimizer(_ optimizer: Optimizer) throws -> String {
        let f = PyTorchExporter.python as (Float) -> String
        let wd = f(optimizer.weightDecay)
        switch optimizer {
        case let o as SGD:
            return """
                # nns's sgd is torch.optim.SGD (dampening 0): g ← ∇C + λ·w; v ← μ·v + g, v starting
                # at the first g; w ← w − η·v (Nesterov: w ← w − η·(g + μ·v)).
                return torch.optim.SGD(parameters, lr=learning_rate(0), momentum=\(f(o.momentum)), nesterov=\(o.nesterov ? "True" : "False"), weight_decay=\(wd))
            """
        case let o as Adam:
            return """
                # nns's adam is torch.optim.Adam: coupled weight decay (g ← ∇C + λ·w, not AdamW),
                # bias-corrected moments, w ← w − (η/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε).
                return torch.optim.Adam(parameters, lr=learning_rate(0), betas=(\(f(o.beta1)), \(f(o.beta2))), eps=\(f(o.epsilon)), weight_decay=\(wd))
            """
        case let o as RMSprop:
            return """
                # nns's rmsprop is torch.optim.RMSprop with alpha = nns's rho: v ← ρ·v + (1 − ρ)·g²,
                # w ← w − η·g / (√v + ε).
                return torch.optim.RMSprop(parameters, lr=learning_rate(0), alpha=\(f(o.rho)), eps=\(f(o.epsilon)), weight_decay=\(wd))
            """
        case let o as Adagrad:
            return """
                # nns's adagrad is torch.optim.Adagrad (no rate decay, accumulator from 0).
                return torch.optim.Adagrad(parameters, lr=learning_rate(0), eps=\(f(o.epsilon)), weight_decay=\(wd))
            """
        default:
            throw EngineError("export_training cannot carry the optimizer \(optimizer) over to PyTorch",
                              hint: "use sgd, adam, rmsprop or adagrad")
        }
    }

    /// `loss_of`'s body: nns's definitions (`Loss`), with a final softmax or sigmoid fused into
    /// the loss as nns fuses it.
    static func pythonLoss(_ loss: Loss, fusedSoftmax: Bool, fusedSigmoid: Bool) -> String {
        switch loss {
        case .mse:
            return """
                \"""nns's mse: the mean over the batch of ½‖ŷ − y‖² (so ∂C/∂ŷ = (ŷ − y)/m).\"""
                return 0.5 * (output - y).pow(2).sum() / len(output)
            """
        case .crossEntropy where fusedSoftmax:
            return """
                \"""nns's cross_entropy after a final softmax: computed from the softmax's input z, so
                the gradient there is the fused (p − y)/m. y: class indices or probability rows.\"""
                return F.cross_entropy(last_input, y)
            """
        case .crossEntropy:
            return """
                \"""nns's cross_entropy on a network without a final softmax: its output are logits.\"""
                return F.cross_entropy(output, y)
            """
        case .bce where fusedSigmoid:
            return """
                \"""nns's bce after a final sigmoid: from the sigmoid's input, so the gradient there is
                (p − y)/(m·k), averaged over every output as nns does.\"""
                return F.binary_cross_entropy_with_logits(last_input, y)
            """
        case .bce:
            return """
                \"""nns's bce on probabilities, clamped to [1e-7, 1 − 1e-7]; the gradient passes the
                clamp as nns's does: (p − y)/(p(1 − p)·m·k).\"""
                p = output + (output.clamp(1e-7, 1 - 1e-7) - output).detach()
                return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
            """
        }
    }
}
