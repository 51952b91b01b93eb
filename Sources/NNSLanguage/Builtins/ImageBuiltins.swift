import NNEngine

/// plot_image (docs/language.md, "Library functions") and error: looking at one input, and stopping a script with a
/// message of its own.
enum ImageBuiltins {
    static let list: [Builtin] = [
        Builtin("plot_image", family: "plots", [.required("x"), .optional("file"), .optional("shape")],
                help: "one input (an image row such as data.x[0]) as a greyscale picture, dark for large values; shape: [rows, columns] (default: the nearest square); with a .svg file name writes SVG, else text blocks") { args in
            let image: Tensor
            if case .record(let r) = args["x"], let x = r["x"], let t = try x.asTensor() {
                image = t    // an example data[i] = {x:, y:}
            } else {
                image = try args.tensor("x")
            }
            let shape: [Int]? = args["shape"].isNone ? nil : try args.list("shape").map { value in
                guard let n = value.asNumber, n >= 1, n == n.rounded(), n < 1e9 else { throw args.error("shape", mustBe: "[rows, columns]") }
                return Int(n)
            }
            let picture = try ImagePicture(image, shape: shape)
            if let path = try PlotBuiltins.svgPath(args) {
                try PlotBuiltins.write(picture.svg, to: path)
                return .none
            }
            return .object(PlotValue(picture.text))
        },
        Builtin("error", family: "core", [.required("message"), .optional("hint")],
                help: "stop with an error: the message (and hint:) shown where error(...) was called") { args in
            let message = try args.string("message")
            throw BuiltinError(message, hint: args["hint"].isNone ? nil : try args.string("hint"))
        },
    ]
}
