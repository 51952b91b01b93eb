import NNEngine

/// int, float, bool, format, help: conversions and text for ordinary scripts (docs/language.md, "Library functions").
/// Text is read as Python reads it (`int("3")`, `float("2.5e-3")`, surrounding blanks and
/// `_` between digits allowed); bad text is an error under the argument.
enum ScriptingBuiltins {
    static let list: [Builtin] = [
        Builtin("int", family: "core", [.required("v")],
                help: "a whole number: int(\"3\") reads text, int(2.7) drops the fraction (2), int(true) is 1") { args in
            let v = args["v"]
            switch v {
            case .string(let text):
                if let n = readInteger(text) { return .number(n) }
                let decimal = readDecimal(text) != nil
                throw args.error("v", "cannot read \(BuiltinArguments.describe(v)) as a whole number",
                                 hint: decimal ? "it has a fraction or exponent: use float(...), or int(float(...)) to drop it"
                                               : "write digits, as in int(\"42\")")
            case .bool(let b):
                return .number(b ? 1 : 0)
            default:
                guard let x = v.asNumber else { throw args.error("v", mustBe: "a number, text or bool") }
                guard x.isFinite else {
                    throw args.error("v", "cannot turn \(NumberFormatting.format(x)) into a whole number")
                }
                // `+ 0` turns the -0 of int(-0.5) into 0, as Python's int does.
                return .number(x.rounded(.towardZero) + 0)
            }
        },
        Builtin("float", family: "core", [.required("v")],
                help: "a number: float(\"2.5e-3\") reads text (also \"inf\", \"nan\"); numbers and bools pass through") { args in
            let v = args["v"]
            switch v {
            case .string(let text):
                if let x = readDecimal(text) { return .number(x) }
                throw args.error("v", "cannot read \(BuiltinArguments.describe(v)) as a number",
                                 hint: "write a number such as \"2.5\", \"-3\", \"1e-3\" or \"inf\"")
            case .bool(let b):
                return .number(b ? 1 : 0)
            default:
                guard let x = v.asNumber else { throw args.error("v", mustBe: "a number, text or bool") }
                return .number(x)
            }
        },
        Builtin("bool", family: "core", [.required("v")],
                help: "true or false as Python decides: 0, \"\", [], {} and none are false; a tensor by its one element") { args in
            let v = args["v"]
            switch v {
            case .bool(let b): return .bool(b)
            case .number(let x): return .bool(x != 0)
            case .string(let s): return .bool(!s.isEmpty)
            case .none: return .bool(false)
            case .list(let l): return .bool(!l.items.isEmpty)
            case .record(let r): return .bool(!r.fields.isEmpty)
            case .tensor, .parameter, .traced:
                let t = v.tensorValue!
                guard t.count == 1 else {
                    throw args.error("v", "a tensor of shape \(ShapeText.format(t.shape)) is not true or false",
                                     hint: "compare with a number or use sum(...)/max(...) to reduce it")
                }
                return .bool(t.scalars[0] != 0)
            case .object(let o): return .bool(o.length.map { $0 > 0 } ?? true)
            default: return .bool(true)
            }
        },
        Builtin("format", family: "core", [.required("v"), .optional("spec", .string(""))],
                help: "one value as text by a Python format spec, as in format(x, \".3f\") or format(n, \">8,\")") { args in
            let spec = try args.string("spec")
            do {
                switch FormatSpec.parse(spec) {
                case .failure(let problem): throw problem
                case .success(let parsed): return .string(try parsed.format(args["v"]))
                }
            } catch let problem as FormatSpec.Problem {
                throw args.error(spec.isEmpty ? "v" : "spec", problem.message, hint: problem.hint)
            }
        },
        Builtin("help", family: "core", [.required("name")],
                help: "the help text :help shows for a builtin, given the builtin itself or its name as a string") { args in
            let v = args["name"]
            switch v {
            case .string(let name):
                if let builtin = Builtins.all[name] { return .string(builtin.helpText) }
                if let text = MathConstants.help(name) { return .string("a constant: " + text) }
                if name.hasPrefix(":") {
                    throw args.error("name", "help(...) describes the language's builtins, not REPL commands",
                                     hint: "in the REPL, type :help \(name.dropFirst())")
                }
                throw args.error("name", "no builtin named \(Value.quoted(name))",
                                 hint: NameSuggestions.hint(for: name, among: Builtins.names))
            case .function(let function):
                switch function.implementation {
                case .builtin(let builtin): return .string(builtin.helpText)
                case .user(let user):
                    let parameters = user.literal.parameters.map { p in
                        p.defaultValue == nil ? p.name.name : p.name.name + " = …"
                    }
                    return .string("\(function.name)(\(parameters.joined(separator: ", ")))\na function written in nns")
                case .native(let arity, _):
                    return .string("\(function.name)\na function made by another function" + (arity.map { ", taking \($0) argument\($0 == 1 ? "" : "s")" } ?? ""))
                }
            default:
                throw args.error("name", mustBe: "a builtin or its name as a string")
            }
        },
    ]

    /// Python's `int(text)`: blanks around, an optional sign, digits with single `_` between.
    static func readInteger(_ text: String) -> Double? {
        var body = Substring(text.trimmingBlanks)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let digits = digitsWithUnderscores(body), !digits.isEmpty,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }), let x = Double(digits) else { return nil }
        return text.trimmingBlanks.hasPrefix("-") ? -x : x
    }

    /// Python's `float(text)`: a decimal with optional exponent, or inf/infinity/nan.
    static func readDecimal(_ text: String) -> Double? {
        let trimmed = text.trimmingBlanks
        var body = Substring(trimmed)
        let negative = body.first == "-"
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        switch body.lowercased() {
        case "inf", "infinity": return negative ? -.infinity : .infinity
        case "nan": return .nan
        default: break
        }
        // Only digits, one point, an exponent; `_` only between digits (no hex, no "0x").
        guard let first = body.first, first.isNumber || first == ".",
              body.allSatisfy({ $0.isASCII && ($0.isNumber || ".eE+-_".contains($0)) }),
              let cleaned = digitsWithUnderscores(body), cleaned.contains(where: \.isNumber),
              let x = Double(cleaned) else { return nil }
        return negative ? -x : x
    }

    /// `text` without its `_` separators, or nil when one is not between two digits.
    private static func digitsWithUnderscores(_ text: Substring) -> String? {
        let c = Array(text)
        var out = ""
        for (i, ch) in c.enumerated() {
            if ch == "_" {
                guard i > 0, i + 1 < c.count, c[i - 1].isNumber, c[i + 1].isNumber else { return nil }
                continue
            }
            out.append(ch)
        }
        return out
    }
}

extension Builtin {
    /// What `:help NAME` and `help(NAME)` show: the signature, then the one-line help.
    public var helpText: String { signature + "\n" + help }
}

extension String {
    /// Without leading and trailing blanks and newlines.
    var trimmingBlanks: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
