import NNEngine

/// csv (with delimiter: and missing:), normalize (with like:), confusion, and the class
/// names of `predict(..., names: true)` (docs/language.md, "Library functions").
enum DataPreparationBuiltins {
    static let list: [Builtin] = [
        Builtin("csv", family: "data", [.required("path"), .optional("target"), .optional("header", .bool(true)),
                                        .optional("delimiter", .string(",")), .optional("missing", .string("error"))],
                help: "a data set from a CSV file; target: the column name or index (default: the last); word labels become classes (data.classes); missing: \"error\", \"drop\" or \"mean\"") { args in
            let path = try args.interpreter.filePath(try args.string("path"))
            let column: CSV.Column?
            switch args["target"] {
            case .none: column = nil
            case .string(let name): column = .name(name)
            case .number: column = .index(try args.wholeNumber("target", minimum: Int.min / 2))
            default: throw args.error("target", mustBe: "a column name or index")
            }
            let delimiter = try args.string("delimiter")
            guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != 10, byte != 13, byte != UInt8(ascii: "\"") else {
                throw args.error("delimiter", mustBe: "one character such as \",\", \";\" or \"\\t\"")
            }
            guard let missing = CSV.Missing(rawValue: try args.string("missing")) else {
                throw args.error("missing", mustBe: "\"error\", \"drop\" or \"mean\"")
            }
            return .object(DatasetValue(try CSV.read(path, target: column, header: try args.bool("header"),
                                                     delimiter: byte, missing: missing)))
        },
        Builtin("normalize", family: "data", [.required("x"), .optional("like")],
                help: "each feature (column) standardised to mean 0, std 1, on a tensor or a dataset's inputs; like: other data whose statistics to use (normalize(test_x, like: train_x))") { args in
            let reference: Tensor? = try args["like"].isNone ? nil : inputs(args, "like")
            if case .object(let d as DatasetValue) = args["x"] {
                let data = d.dataset
                let statistics = try Standardization(fitting: reference ?? data.x)
                var scaled = try Dataset(inputs: .floats(try statistics.apply(data.x).scalars), inputWidth: data.inputWidth,
                                         targets: data.targets, exampleShape: data.exampleShape)
                scaled.classNames = data.classNames
                scaled.featureNames = data.featureNames
                return .object(DatasetValue(scaled))
            }
            let x = try args.tensor("x")
            return .tensor(try Standardization(fitting: reference ?? x).apply(x))
        },
        Builtin("confusion", family: "training", [.required("net"), .required("data")],
                help: "the k×k confusion matrix of net on a dataset: c[i][j] counts true class i predicted as j; prints as a table") { args in
            let network = try args.network("net")
            let data = try DataBuiltins.dataset(args, "data")
            let truth = try trueClasses(args, data)
            let predicted = try NNEngine.predict(network, data)
            let k = Swift.max(data.classCount ?? 2, (predicted.max() ?? 0) + 1, (truth.max() ?? 0) + 1)
            return .object(ConfusionValue(truth: truth, predicted: predicted, classCount: k, names: names(data, count: k)))
        },
    ]

    /// A tensor's rows or a data set's inputs.
    static func inputs(_ args: BuiltinArguments, _ name: String) throws -> Tensor {
        if case .object(let d as DatasetValue) = args[name] { return d.dataset.x }
        return try args.tensor(name)
    }

    /// Each example's class: its label, the argmax of a one-hot row, or a 0/1 target.
    static func trueClasses(_ args: BuiltinArguments, _ data: Dataset) throws -> [Int] {
        switch data.targets {
        case .labels(let labels, _): return labels.map(Int.init)
        case .matrix(let values, let width) where width > 1:
            return stride(from: 0, to: values.count, by: width).map { start in
                let row = values[start..<start + width]
                return row.indices.max { row[$0] < row[$1] }! - start
            }
        case .matrix(let values, _):
            guard values.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw args.error("data", "the data's targets are numbers, not classes",
                                 hint: "a confusion matrix counts class labels; for regression use evaluate(net, data)")
            }
            return values.map { Int($0) }
        }
    }

    /// The class names of a data set (from a CSV of word labels) when it has `count` classes.
    static func names(_ data: Dataset, count: Int) -> [String]? {
        guard let names = data.classNames, names.count == count else { return nil }
        return names
    }

    /// `predict(net, data, names: true)` or `predict(net, x, names: ["cat", "dog"])`: each
    /// predicted class as its name, a list of strings (one string for one example).
    static func namedPredictions(_ args: BuiltinArguments, _ classes: [Int], single: Bool) throws -> Value {
        let names: [String]
        switch args["names"] {
        case .bool(true):
            guard case .object(let d as DatasetValue) = args["x"], let known = d.dataset.classNames else {
                throw args.error("names", "names: true needs a data set whose classes have names (a CSV with word labels)",
                                 hint: "give the names instead: predict(net, x, names: train.classes)")
            }
            names = known
        case .list(let list):
            names = try list.items.map { item in
                guard case .string(let s) = item else { throw args.error("names", mustBe: "true or a list of class names (strings)") }
                return s
            }
        default:
            throw args.error("names", mustBe: "true or a list of class names (strings)")
        }
        let named = try classes.map { k -> Value in
            guard names.indices.contains(k) else {
                throw args.error("names", "the network predicts class \(k) but only \(names.count) names were given")
            }
            return .string(names[k])
        }
        return single ? named[0] : .list(named)
    }
}
