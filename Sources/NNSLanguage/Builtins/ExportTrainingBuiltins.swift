import NNEngine
import NNExport

/// export_training (docs/cluster.md): `train`'s recipe written out as a PyTorch run directory.
enum ExportTrainingBuiltins {
    static let list: [Builtin] = [
        Builtin("export_training", family: "files",
                [.required("net"), .required("data"), .required("dir"), .optional("loss"), .optional("optimizer", .number(0.1)),
                 .optional("epochs", .number(1)), .optional("batch", .number(32)), .optional("shuffle", .bool(true)),
                 .optional("seed"), .optional("validation"), .optional("l1", .number(0)), .optional("l2", .number(0)),
                 .optional("clip"), .optional("early_stop"), .optional("rule", .string("backprop")),
                 .optional("on_epoch"), .optional("processes"), .optional("overwrite", .bool(false))],
                help: "write train's recipe as a PyTorch run directory (train.py for python or torchrun, init.safetensors, README.md); load(dir + \"/trained.safetensors\", into: net) brings the result back") { args in
            let network = try args.network("net")
            let data = try DataBuiltins.dataset(args, "data")
            guard try args.string("rule") == "backprop" else {
                throw args.error("rule", "export_training carries over backpropagation only; the \(try args.string("rule")) rule has no PyTorch equivalent",
                                 hint: "leave rule: out, or train in nns")
            }
            if !args["on_epoch"].isNone {
                throw args.error("on_epoch", "an nns function cannot run inside the PyTorch script",
                                 hint: "leave on_epoch: out; train.py logs every epoch, and its loop is plain Python to add to")
            }
            let batch = try args.wholeNumber("batch", minimum: 1)
            if let n = try args.optionalWholeNumber("processes", minimum: 1), batch % n != 0 {
                throw args.error("batch", "the batch of \(batch) does not split evenly over \(n) processes",
                                 hint: "each process takes batch / N examples per step: choose a batch that \(n) divides, e.g. \(max(n, batch / n * n))")
            }
            var options = TrainingOptions(
                loss: args["loss"].isNone ? TrainingBuiltins.defaultLoss(network) : try NetworkBuiltins.lossFunction(args),
                epochs: try args.wholeNumber("epochs", minimum: 1))
            options.batchSize = batch
            options.shuffle = try args.bool("shuffle")
            options.validation = args["validation"].isNone ? nil : try DataBuiltins.dataset(args, "validation")
            options.l1 = try args.number("l1")
            options.l2 = try args.number("l2")
            options.clip = try args.optionalNumber("clip")
            options.earlyStopPatience = try args.optionalWholeNumber("early_stop", minimum: 1)
            let written = try TrainingScriptExporter.export(
                network, data, to: try args.interpreter.filePath(try args.string("dir")),
                optimizer: try TrainingBuiltins.optimizerArgument(args), options: options, seed: try args.seed(),
                overwrite: try args.bool("overwrite"))
            return .list(written.map { Value.string($0) })
        },
    ]
}
