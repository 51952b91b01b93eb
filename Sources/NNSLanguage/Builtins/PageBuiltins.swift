import NNEngine

/// explain and replay (docs/pages.md): pages that run in any browser. With a file name ending in
/// `.html` each writes the page atomically and says where; without one it returns a `page`
/// value that prints as a short description and carries the page as its "text/html" form.
enum PageBuiltins {
    static let list: [Builtin] = [
        Builtin("explain", family: "pages",
                [.required("net"), .required("x"), .optional("y"), .optional("file"), .optional("loss"), .optional("lr")],
                help: "explain(net, x, \"walk.html\") writes the forward pass as a page that steps in a browser; explain(net, x, y, \"walk.html\", loss: mse, lr: 0.5) adds the backward pass and one SGD step") { args in
            let network = try args.network("net")
            var x = try args.tensor("x")
            if x.rank == 0 { x = x.reshaped([1]) }
            if x.rank == 2, x.shape[0] == 1 { x = x.reshaped([x.shape[1]]) }
            guard x.rank == 1 else {
                throw args.error("x", mustBe: "one example (a vector), got shape \(ShapeText.format(x.shape))", hint: "pick one row, such as x[0]")
            }
            if let width = network.inputWidth, width != x.count {
                throw args.error("x", "explain: the network takes \(width) inputs but x has \(x.count)")
            }
            // explain(net, x, "walk.html"): a string in y's place is the file name.
            var fileValue = args["file"], yValue = args["y"]
            if case .string = yValue, fileValue.isNone { fileValue = yValue; yValue = .none }
            let lr: Double? = args["lr"].isNone ? nil : try args.number("lr")
            if let lr, !(lr > 0 && lr.isFinite) { throw args.error("lr", mustBe: "a positive learning rate") }
            let pass: RecordedPass
            if yValue.isNone {
                if lr != nil { throw args.error("lr", "explain: lr: needs a target y for the backward pass", hint: "explain(net, x, y, \"walk.html\", lr: 0.5)") }
                pass = try RecordedPass.forward(network, input: x)
            } else {
                guard var y = try yValue.asTensor() else { throw args.error("y", mustBe: "the target: a number or a vector") }
                if y.rank == 0 { y = y.reshaped([1]) }
                if y.rank == 2, y.shape[0] == 1 { y = y.reshaped([y.shape[1]]) }
                let loss = args["loss"].isNone ? TrainingBuiltins.defaultLoss(network) : try NetworkBuiltins.lossFunction(args)
                let outputs = try network.outputWidth(forInput: x.count)
                guard y.count == outputs || (loss == .crossEntropy && y.count == 1) else {
                    throw args.error("y", "explain: the network gives \(outputs) output\(outputs == 1 ? "" : "s") but y has \(y.count) value\(y.count == 1 ? "" : "s")")
                }
                var recorded: RecordedPass?
                try NetworkBuiltins.withStateRestored(network) {
                    recorded = try RecordedPass.backward(network, input: x, target: y, loss: loss)
                }
                pass = recorded!
            }
            let html = ExplainPage.html(pass, learningRate: lr)
            let steps = ExplainPage.stepCount(pass, learningRate: lr)
            return try deliver(html, file: fileValue, args: args, what: "\(pass.backward == nil ? "forward pass" : "forward and backward pass") of \(network.description), \(steps) steps")
        },
    ] + ReplayBuiltin.list

    /// Writes the page when a file was named (and says where), else returns it as a value.
    static func deliver(_ html: String, file: Value, args: BuiltinArguments, what: String) throws -> Value {
        guard !file.isNone else { return .object(PageValue(description: "page: " + what, html: html)) }
        guard case .string(let name) = file else { throw args.error("file", mustBe: "a file name ending in .html") }
        let lower = name.lowercased()
        guard lower.hasSuffix(".html") || lower.hasSuffix(".htm") else {
            throw args.error("file", mustBe: "a file name ending in .html", hint: "without a file the page is returned as a value")
        }
        let path = try args.interpreter.filePath(name)
        try ExplainPage.write(html, to: path)
        args.interpreter.host.write("wrote \(name) (\(what); open it in a browser)\n")
        return .none
    }
}

/// A page not written to a file: prints as a one-line description; a notebook shows the page.
final class PageValue: ObjectValue {
    let description: String
    let html: String
    init(description: String, html: String) {
        self.description = description
        self.html = html
    }
    var kindName: String { "page" }
    var displayText: String { description + " (give a file name ending in .html to write it)" }
    var richForms: [String: String] { ["text/html": html] }
}
