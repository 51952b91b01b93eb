import NNEngine

/// sgd adam rmsprop adagrad and the learning-rate schedules (docs/language.md, "Training and losses").
enum OptimizerBuiltins {
    static let list: [Builtin] = [
        Builtin("sgd", family: "training", [.optional("lr", .number(0.01)), .optional("momentum", .number(0)),
                                            .optional("nesterov", .bool(false)), .optional("weight_decay", .number(0))],
                help: "stochastic gradient descent: w ← w − η·g (with momentum and Nesterov when asked)") { args in
            try make(args) { lr in
                try SGD(learningRate: lr, momentum: Float(try args.number("momentum")), nesterov: try args.bool("nesterov"),
                        weightDecay: Float(try args.number("weight_decay")))
            }
        },
        Builtin("adam", family: "training", [.optional("lr", .number(0.001)), .optional("beta1", .number(0.9)),
                                             .optional("beta2", .number(0.999)), .optional("eps", .number(1e-8)),
                                             .optional("weight_decay", .number(0))],
                help: "Adam: adaptive moments m, v with bias correction") { args in
            try make(args) { lr in
                try Adam(learningRate: lr, beta1: Float(try args.number("beta1")), beta2: Float(try args.number("beta2")),
                         epsilon: Float(try args.number("eps")), weightDecay: Float(try args.number("weight_decay")))
            }
        },
        Builtin("rmsprop", family: "training", [.optional("lr", .number(0.001)), .optional("rho", .number(0.9)),
                                                .optional("eps", .number(1e-8)), .optional("weight_decay", .number(0))],
                help: "RMSprop: divides by a running root-mean-square of the gradients") { args in
            try make(args) { lr in
                try RMSprop(learningRate: lr, rho: Float(try args.number("rho")), epsilon: Float(try args.number("eps")),
                            weightDecay: Float(try args.number("weight_decay")))
            }
        },
        Builtin("adagrad", family: "training", [.optional("lr", .number(0.01)), .optional("eps", .number(1e-10)),
                                                .optional("weight_decay", .number(0))],
                help: "Adagrad: divides by the root of the summed squared gradients") { args in
            try make(args) { lr in
                try Adagrad(learningRate: lr, epsilon: Float(try args.number("eps")), weightDecay: Float(try args.number("weight_decay")))
            }
        },
        schedule("step_decay", "step_decay", ["lr", "gamma", "every"], help: "η·γ^⌊epoch/every⌋"),
        schedule("exp_decay", "exp_decay", ["lr", "k"], help: "η·e^(−k·epoch)"),
        schedule("inv_decay", "inv_decay", ["lr", "k"], help: "η/(1 + k·epoch)"),
        schedule("cosine", "cosine", ["lr", "epochs"], help: "η·½(1 + cos(π·epoch/epochs))"),
    ]

    /// An optimizer whose `lr:` may be a number or a schedule.
    static func make(_ args: BuiltinArguments, _ build: (Float) throws -> Optimizer) throws -> Value {
        try OptimizerValue.checkGiven(args)
        var schedule: LearningRateSchedule? = nil
        let rate: Float
        if case .object(let s as ScheduleValue) = args["lr"] {
            schedule = s.schedule
            rate = Float(s.schedule.learningRate(epoch: 0))
        } else {
            rate = Float(try args.number("lr"))
        }
        let optimizer = try build(rate)
        if let schedule { optimizer.setSchedule(schedule) }
        let value = OptimizerValue(optimizer)
        value.recordGiven(args)
        return .object(value)
    }

    static func schedule(_ name: String, _ kind: String, _ parameters: [String], help: String) -> Builtin {
        Builtin(name, family: "training", parameters.map { .required($0) }, help: "learning-rate schedule: " + help) { args in
            let numbers = try parameters.map { try args.number($0) }
            return .object(ScheduleValue(try LearningRateSchedule.make(kind, numbers)))
        }
    }
}
