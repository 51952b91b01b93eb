import NNEngine

/// dataset onehot split batch mnist fashion_mnist idx (docs/language.md, "Data and evaluation"); csv and normalize are in
/// DataPreparationBuiltins.
enum DataBuiltins {
    static let list: [Builtin] = [
        Builtin("dataset", family: "data", [.required("x"), .required("y")],
                help: "a data set: x of shape [m, features], y of [m] class labels or [m, k] targets") { args in
            .object(DatasetValue(try Dataset(x: try args.tensor("x"), y: try args.tensor("y"))))
        },
        Builtin("onehot", family: "data", [.required("labels"), .required("k")],
                help: "an [m, k] tensor with a 1 in each row's label column") { args in
            let k = try args.wholeNumber("k", minimum: 1)
            let rows = (try? args["labels"].asTensor())??.count ?? 1
            do {
                try TensorLimits.checkAllocation(elements: rows.multipliedReportingOverflow(by: k).overflow ? Int.max : rows * k)
            } catch let e as EngineError { throw args.error("k", e.message, hint: e.hint) }
            if case .object(let d as DatasetValue) = args["labels"] {
                return .object(DatasetValue(try d.dataset.oneHotTargets(k)))
            }
            return .tensor(try oneHot(try args.tensor("labels"), classes: k))
        },
        Builtin("split", family: "data", [.required("data"), .required("fraction"), .optional("seed")],
                help: "a random split of a data set into [first, rest]; first has fraction of the examples") { args in
            let data = try dataset(args, "data")
            let fraction = try args.number("fraction")
            guard fraction >= 0, fraction <= 1 else { throw args.error("fraction", mustBe: "a number between 0 and 1") }
            let parts: (Dataset, Dataset)
            if let seed = try args.optionalWholeNumber("seed") {
                var generator = Xoshiro256StarStar(seed: UInt64(seed))
                parts = try data.split(fraction: fraction, using: &generator)
            } else {
                parts = try args.interpreter.random.withGenerator { try data.split(fraction: fraction, using: &$0) }
            }
            return .list([.object(DatasetValue(parts.0)), .object(DatasetValue(parts.1))])
        },
        Builtin("batch", family: "data", [.required("data"), .required("n")],
                help: "consecutive batches of n examples as a list of data sets (the last may be smaller)") { args in
            let data = try dataset(args, "data")
            return .list(try data.batches(of: try args.wholeNumber("n", minimum: 1)).map { .object(DatasetValue($0)) })
        },
        Builtin("mnist", family: "data", [.optional("part", .string("train"))],
                help: "the MNIST digits, \"train\" (60,000) or \"test\" (10,000), pixels in [0, 1]") { args in
            try args.interpreter.requireFileAccess()
            return .object(DatasetValue(try NNEngine.mnist(try args.string("part"))))
        },
        Builtin("fashion_mnist", family: "data", [.optional("part", .string("train"))],
                help: "Fashion-MNIST, \"train\" or \"test\", pixels in [0, 1]") { args in
            try args.interpreter.requireFileAccess()
            return .object(DatasetValue(try fashionMNIST(try args.string("part"))))
        },
        Builtin("idx", family: "data", [.required("images"), .required("labels")],
                help: "a data set from IDX image and label files (gzip or raw)") { args in
            let images = try args.interpreter.filePath(try args.string("images"))
            let labels = try args.interpreter.filePath(try args.string("labels"))
            return .object(DatasetValue(try IDX.dataset(images: images, labels: labels)))
        },
    ]

    static func dataset(_ args: BuiltinArguments, _ name: String) throws -> Dataset {
        guard case .object(let d as DatasetValue) = args[name] else {
            throw args.error(name, mustBe: "a dataset", hint: "make one with dataset(x, y)")
        }
        return d.dataset
    }
}
