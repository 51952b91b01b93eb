import NNEngine

/// An optimizer as a language value (`sgd(lr: 0.1)`), handed to `train`. Its
/// hyper-parameters read back as the numbers the user gave (`sgd(lr: 0.1).lr` is `0.1`, not
/// the Float32 the engine steps with, widened) and can be set between `train` calls
/// (`opt.lr = 0.01`). Setting `lr` to a number replaces a schedule; setting it to a schedule
/// starts that schedule at its epoch 0. Otherwise a schedule goes on from the epochs the
/// optimizer has already trained.
public final class OptimizerValue: ObjectValue {
    public let optimizer: Optimizer
    /// The Float64 each hyper-parameter was given as, while the engine still holds its Float32.
    private var exact: [String: Double] = [:]
    /// Epochs trained with this optimizer's schedule so far (`train` adds each call's epochs).
    var scheduleEpochs = 0

    public init(_ optimizer: Optimizer) { self.optimizer = optimizer }

    public var kindName: String { "optimizer" }
    public var displayText: String { optimizer.description }

    public var memberNames: [String] {
        switch optimizer {
        case is SGD: return ["lr", "momentum", "nesterov", "weight_decay"]
        case is Adam: return ["lr", "beta1", "beta2", "eps", "weight_decay"]
        case is RMSprop: return ["lr", "rho", "eps", "weight_decay"]
        case is Adagrad: return ["lr", "eps", "weight_decay"]
        default: return ["lr", "weight_decay"]
        }
    }

    /// `{"optimizer": "sgd", "lr": 0.1, "momentum": 0, ...}`: the kind and every hyper-parameter.
    public func jsonText(_ encoder: JSONEncoderContext) -> String {
        let kind = String(optimizer.description.prefix { $0 != "(" })
        return encoder.object([("optimizer", encoder.string(kind))]
            + memberNames.compactMap { name in member(name).map { (name, encoder.encode($0)) } })
    }

    public func member(_ name: String) -> Value? {
        if name == "nesterov", let sgd = optimizer as? SGD { return .bool(sgd.nesterov) }
        guard memberNames.contains(name), let current = engineValue(name) else { return nil }
        if let given = exact[name], Float(given) == current { return .number(given) }
        return Value.number(fromFloat: current)
    }

    /// Checks that each number a builtin call (`sgd(...)`) gives is in its range, before the
    /// engine sees it.
    static func checkGiven(_ args: BuiltinArguments) throws {
        for parameter in args.builtin.parameters {
            guard case .number(let x) = args[parameter.name], let problem = problem(parameter.name, x) else { continue }
            throw args.error(parameter.name, "\(parameter.name) must be \(problem), got \(NumberFormatting.format(x))",
                             hint: typical[parameter.name])
        }
    }

    /// Remembers the numbers a builtin call gave, so they read back exactly.
    func recordGiven(_ args: BuiltinArguments) {
        for name in memberNames {
            if case .number(let x) = args[name] { exact[name] = x }
        }
    }

    public func setMember(_ name: String, to value: Value) throws {
        guard memberNames.contains(name) else {
            throw BuiltinError("a \(optimizer.description) has no hyper-parameter `\(name)`",
                               hint: NameSuggestions.hint(for: name, among: memberNames) ?? "it has: \(memberNames.joined(separator: ", "))")
        }
        if name == "nesterov", let sgd = optimizer as? SGD {
            guard case .bool(let b) = value else { throw BuiltinError("nesterov must be true or false, got \(BuiltinArguments.describe(value))") }
            guard !b || sgd.momentum > 0 else { throw BuiltinError("nesterov needs a momentum > 0", hint: "set opt.momentum = 0.9 first") }
            sgd.nesterov = b
            return
        }
        if name == "lr", case .object(let s as ScheduleValue) = value {
            optimizer.setSchedule(s.schedule)
            scheduleEpochs = 0
            exact["lr"] = nil
            return
        }
        guard case .number(let x) = value else {
            throw BuiltinError("\(name) must be a number, got \(BuiltinArguments.describe(value))", hint: Self.typical[name])
        }
        if let problem = Self.problem(name, x) {
            throw BuiltinError("\(name) must be \(problem), got \(NumberFormatting.format(x))", hint: Self.typical[name])
        }
        if name == "momentum", x == 0, let sgd = optimizer as? SGD, sgd.nesterov {
            throw BuiltinError("nesterov needs a momentum > 0", hint: "set opt.nesterov = false first")
        }
        let f = Float(x)
        switch (name, optimizer) {
        case ("lr", _): optimizer.learningRate = f; optimizer.schedule = nil
        case ("weight_decay", _): optimizer.weightDecay = f
        case ("momentum", let o as SGD): o.momentum = f
        case ("beta1", let o as Adam): o.beta1 = f
        case ("beta2", let o as Adam): o.beta2 = f
        case ("eps", let o as Adam): o.epsilon = f
        case ("rho", let o as RMSprop): o.rho = f
        case ("eps", let o as RMSprop): o.epsilon = f
        case ("eps", let o as Adagrad): o.epsilon = f
        default: throw BuiltinError("`\(name)` of a \(kindName) cannot be set")
        }
        exact[name] = x
    }

    private func engineValue(_ name: String) -> Float? {
        switch (name, optimizer) {
        case ("lr", _): return optimizer.learningRate
        case ("weight_decay", _): return optimizer.weightDecay
        case ("momentum", let o as SGD): return o.momentum
        case ("beta1", let o as Adam): return o.beta1
        case ("beta2", let o as Adam): return o.beta2
        case ("eps", let o as Adam): return o.epsilon
        case ("rho", let o as RMSprop): return o.rho
        case ("eps", let o as RMSprop): return o.epsilon
        case ("eps", let o as Adagrad): return o.epsilon
        default: return nil
        }
    }

    /// What is wrong with `x` as the hyper-parameter `name` ("in [0, 1)"), or nil when it is fine.
    static func problem(_ name: String, _ x: Double) -> String? {
        switch name {
        case "momentum", "beta1", "beta2", "rho": return x >= 0 && x < 1 ? nil : "in [0, 1)"
        case "eps": return x > 0 && x.isFinite ? nil : "a number > 0"
        case "lr", "weight_decay": return x >= 0 && x.isFinite ? nil : "a finite number ≥ 0"
        default: return nil
        }
    }

    static let typical: [String: String] = [
        "lr": "typical values are 0.1 to 0.0001",
        "momentum": "typical values are 0.9 or 0.99",
        "beta1": "the default is 0.9", "beta2": "the default is 0.999", "rho": "the default is 0.9",
        "eps": "a small number such as 1e-8",
        "weight_decay": "typical values are 1e-4 to 1e-2",
    ]
}
