import Foundation
import Testing
@testable import NNSLanguage

/// A host for generated programs: output kept (and discarded), no file access, and a
/// budget of interrupt polls (loop turns, calls, training steps) after which the program
/// is asked to stop, so `while true {}` or `epochs: 1e12` end with "interrupted".
final class SandboxedTestHost: InterpreterHost {
    private var polls = 0
    let maximumPolls: Int
    private(set) var written = 0

    init(maximumPolls: Int = 400) { self.maximumPolls = maximumPolls }

    func write(_ text: String) { written += text.utf8.count }
    var allowsFileAccess: Bool { false }
    var interruptRequested: Bool {
        polls += 1
        return polls > maximumPolls
    }
}

/// Generates programs the interpreter can mostly run: a prologue binding a few values of
/// every kind, then statements built from real builtins, layers, pipes, keyword arguments,
/// tensors, indexing, functions and small loops, with sizes and arguments sometimes wild
/// (negative, fractional, 1e18) so error paths run too.
struct RandomProgramGenerator {
    var base: RandomTokenGenerator

    init(seed: UInt64) { base = RandomTokenGenerator(seed: seed) }

    // Each program runs in an interpreter of its own, whose random stream starts from a
    // fixed seed, so a failing program reruns the same from its text alone.
    static let prologue = """
        x = tensor([[1, 2, 3], [4, 5, 6]])
        t = tensor([1, -2, 3])
        v = [1, 2, 3]
        r = {a: 1, b: [1, 2]}
        net = linear(3, 4, init: "zeros") |> relu |> linear(4, 2, init: "zeros") |> softmax
        data = dataset(x, tensor([0, 1]))
        fn f(a, b = 2) { return a * b }
        k = 0
        """

    let names = ["x", "t", "v", "r", "net", "data", "f", "k", "y", "net[0]", "net[2]", "x[0]", "r.a"]
    let sizes = ["0", "1", "2", "3", "4", "-1", "2.5", "1e18", "-1e9", "0/0", "1/0", "65537", "[2, 3]", "\"3\"", "none"]
    let builtins = [
        "print", "len", "range", "type", "str", "json", "append", "list", "onehot", "normalize",
        "batch", "leaky_relu", "elu", "softmax", "batchnorm", "round", "floor",
        "forward", "loss_of", "gradients", "params", "nparams", "summary", "copy", "sgd", "adam", "rmsprop",
        "adagrad", "plot", "plot_boundary", "plot_weights", "tensor", "shape", "argmax",
        "transpose", "reshape", "evaluate", "predict", "zeros", "ones", "exp", "log", "sqrt", "sin", "abs",
        "min", "max", "sum", "mean", "grad", "trace", "graph", "forward_steps", "backward_steps", "gradcheck",
        "save", "load", "export", "csv", "mnist", "dataset", "relu", "sigmoid", "tanh", "mse", "cross_entropy",
    ]
    let keywords = ["epochs", "lr", "batch", "loss", "optimizer", "seed", "axis", "p", "into", "file", "shape",
                    "units", "digits", "format", "target", "validation", "verbose", "momentum"]

    mutating func pick<T>(_ items: [T]) -> T { base.pick(items) }
    mutating func chance(_ percent: Int) -> Bool { base.chance(percent) }

    /// The prologue and 1...4 statements.
    mutating func program() -> String {
        var lines = [Self.prologue]
        for _ in 0..<base.count(1...4) { lines.append(statement(depth: 2)) }
        return lines.joined(separator: "\n")
    }

    mutating func statement(depth: Int) -> String {
        let inner = depth > 0 ? depth - 1 : 0
        switch base.count(0...11) {
        case 0, 1: return expression(depth: depth)
        case 2: return "\(pick(["y", "k", "z", "net"])) = \(expression(depth: depth))"
        case 3: return "\(pick(["x", "t", "v", "r"]))[\(expression(depth: inner))] = \(expression(depth: inner))"
        case 4: return "\(pick(["net[0]", "net[2]", "net[99]", "net[-1]"])).\(pick(["weight", "bias", "grad"])) = \(expression(depth: inner))"
        case 5: return "for i in \(pick(["range(3)", "v", "x", "t", "net", "data", "r", "\"ab\"", "range(1e18)"])) { \(statement(depth: inner)) }"
        case 6: return "while k < 3 { k = k + 1; \(statement(depth: inner)) }"
        case 7: return "fn g(a, b = 1) { \(statement(depth: inner))\n return \(expression(depth: inner)) }\ng(\(expression(depth: inner)))"
        case 8: return "if \(expression(depth: inner)) { \(statement(depth: inner)) } else { \(statement(depth: inner)) }"
        case 9:
            return "train(net, data, seed: 1, epochs: \(pick(["1", "2", "0", "-1", "1e12", "0.5"])), batch: \(pick(["1", "2", "0", "-3", "1e9"])), "
                + "loss: \(pick(["mse", "cross_entropy", "relu", "1"])), optimizer: \(pick(["sgd(lr: 0.1)", "adam()", "rmsprop(lr: -1)", "3"])))"
        case 10: return "fn h(n) { if n <= 0 { return 0 }\n return h(n - 1) + 1 }\nh(\(pick(["3", "10", "-1", "5000", "0.5"])))"
        default: return "\(expression(depth: depth));"
        }
    }

    mutating func expression(depth: Int) -> String {
        if depth <= 0 || chance(20) { return atom() }
        let inner = depth - 1
        switch base.count(0...10) {
        case 0, 1:
            let op = pick(["+", "-", "*", "/", "%", "@", "^", "==", "!=", "<", ">=", "and", "or"])
            return "(\(expression(depth: inner)) \(op) \(expression(depth: inner)))"
        case 2, 3: return call(depth: inner)
        case 4: return "\(expression(depth: inner)) |> \(pick(["relu", "sigmoid", "tanh", "softmax", "linear(3, 2, init: \"zeros\")", "linear(2, 3, init: \"zeros\")", "net", "f", "batchnorm(3)"]))"
        case 5: return "\(pick(["x", "t", "v", "r", "net", "data", "\"abc\"", "range(5)"]))[\(index(depth: inner))]"
        case 6: return "\(pick(["x", "t", "net", "net[0]", "r", "data"])).\(pick(["weight", "bias", "grad", "shape", "a", "x", "y", "count"]))"
        case 7: return "[\((0..<base.count(0...3)).map { _ in expression(depth: inner) }.joined(separator: ", "))]"
        case 8: return "{a: \(expression(depth: inner)), b: \(expression(depth: inner))}"
        case 9: return "fn(a) => \(expression(depth: inner))"
        default: return "\(pick(["-", "not "]))\(expression(depth: inner))"
        }
    }

    mutating func index(depth: Int) -> String {
        let one = { (g: inout RandomProgramGenerator) -> String in
            g.chance(60) ? g.pick(["0", "1", "-1", "2", "99", "-99", "0.5", "1e18", "0/0", "\"a\"", "none"]) : g.expression(depth: depth)
        }
        return chance(70) ? one(&self) : "\(one(&self)), \(one(&self))"
    }

    mutating func call(depth: Int) -> String {
        var arguments: [String] = []
        for _ in 0..<base.count(0...3) {
            arguments.append(chance(50) ? pick(sizes) : expression(depth: depth))
        }
        for _ in 0..<base.count(0...2) {
            arguments.append("\(pick(keywords)): \(chance(50) ? pick(sizes) : expression(depth: depth))")
        }
        return "\(pick(builtins))(\(arguments.joined(separator: ", ")))"
    }

    mutating func atom() -> String {
        chance(60) ? pick(names) : pick(sizes + ["\"s\"", "true", "false", "0.1", "[[1, 2], [3, 4]]", "[]"])
    }
}

/// SPEC §1: no input, however malformed, crashes the interpreter. Generated programs —
/// mostly meaningful, some damaged, some junk — run in a sandbox; each either runs or is
/// rejected with a diagnostic that points into the source.
@Suite struct RandomProgramTests {
    enum Outcome { case ran, rejected }

    /// Runs one program; records an issue when it fails other than by a well-placed diagnostic.
    @discardableResult
    func runChecked(_ source: String) -> Outcome {
        let interpreter = Interpreter(host: SandboxedTestHost())
        interpreter.printsJSON = source.utf8.count % 2 == 1
        do {
            let result = try interpreter.run(source: source, name: "r.nns")
            for value in result.echoes {
                _ = value.displayText
                _ = JSONEncoderContext().encode(value)
            }
            return .ran
        } catch let diagnostic as Diagnostic {
            checkPlaced(diagnostic, source)
        } catch let list as DiagnosticList {
            #expect(!list.diagnostics.isEmpty)
            for diagnostic in list.diagnostics { checkPlaced(diagnostic, source) }
        } catch {
            Issue.record("not a diagnostic: \(error) for \(source.debugDescription)")
        }
        return .rejected
    }

    /// The diagnostic points into its file: the program, or a stdlib file the program runs.
    func checkPlaced(_ diagnostic: Diagnostic, _ source: String) {
        if diagnostic.file.name == "r.nns" { #expect(diagnostic.file.text == source) }
        expectPlacedInItsFile(diagnostic, program: source)
    }

    @Test func prologueRuns() throws {
        let interpreter = Interpreter(host: SandboxedTestHost())
        try interpreter.run(source: RandomProgramGenerator.prologue, name: "r.nns")
        #expect(interpreter.lookup("net")?.kindName == "network")
    }

    @Test func generatedProgramsRunOrGetADiagnostic() {
        var generator = RandomProgramGenerator(seed: 11)
        var ran = 0, rejected = 0
        for _ in 0..<500 {
            switch runChecked(generator.program()) {
            case .ran: ran += 1
            case .rejected: rejected += 1
            }
        }
        // Both paths must really be exercised for the test to mean something.
        #expect(ran > 40, "only \(ran) of 500 generated programs ran")
        #expect(rejected > 50, "only \(rejected) of 500 generated programs were rejected")
    }

    @Test func damagedProgramsAndJunkNeverCrash() {
        var generator = RandomProgramGenerator(seed: 12)
        var rejected = 0
        for _ in 0..<300 {
            if runChecked(generator.base.mutate(generator.program())) == .rejected { rejected += 1 }
        }
        for _ in 0..<300 {
            if runChecked(generator.base.junk()) == .rejected { rejected += 1 }
        }
        for _ in 0..<200 {
            runChecked(generator.base.validProgram(depth: 2).source)
        }
        #expect(rejected > 300)
    }

    /// The sandbox the generated programs run in: every file access is an error at its call
    /// (nothing is written), while the stdlib's own modules stay importable.
    @Test(arguments: [
        #"save(linear(2, 2, init: "zeros"), "/tmp/nns-sandbox-test.safetensors")"#,
        #"export(linear(2, 2, init: "zeros"), "/tmp/nns-sandbox-test.onnx")"#,
        #"load("/tmp/nns-sandbox-test.safetensors")"#,
        #"csv("/tmp/nns-sandbox-test.csv")"#,
        #"mnist("test")"#,
        #"plot([1, 2], "/tmp/nns-sandbox-test.svg")"#,
        #"graph(fn(x) => x * x, 3, file: "/tmp/nns-sandbox-test.dot")"#,
        #"import "/tmp/nns-sandbox-test.nns""#,
    ])
    func sandboxForbidsFiles(_ source: String) {
        let interpreter = Interpreter(host: SandboxedTestHost())
        #expect {
            try interpreter.run(source: source, name: "r.nns")
        } throws: { error in
            guard let d = error as? Diagnostic else { return false }
            return d.message.contains("file access is turned off") && d.range.start.line == 1
        }
        for ext in ["safetensors", "onnx", "svg", "dot"] {
            #expect(!FileManager.default.fileExists(atPath: "/tmp/nns-sandbox-test.\(ext)"))
        }
        let stdlib = Interpreter(host: SandboxedTestHost())
        #expect((try? stdlib.run(source: "import gates\nlen(xor_gate)", name: "r.nns").finalValue?.displayText) == "4")
    }
}
