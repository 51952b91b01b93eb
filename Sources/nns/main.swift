import Foundation
import NNEngine
import NNSLanguage
import NNSREPL

/// The `nns` command (README.md, "The two commands"): argument parsing, nothing else.
let usage = """
usage: nns                        start the REPL
       nns FILE.nns [ARGS...]     run a script (ARGS visible as `args`)
       nns -e 'SOURCE' [ARGS...]  run SOURCE, print the value of its last expression
       nns --json ...             print values as JSON (one document per printed value)
       nns --serve[=FD]           serve a client such as the Jupyter kernel: JSON requests on
                                  stdin, replies on file descriptor FD, default 3
                                  (docs/serve-protocol.md)
       nns --help | --version
"""

func fail(usage message: String) -> Never {
    StandardStreams.err("nns: \(message)\n\(usage)\n")
    exit(2)
}

StandardStreams.prepare()
var arguments = Array(CommandLine.arguments.dropFirst())
var json = false
var source: String? = nil
var script: String? = nil

while let first = arguments.first {
    if first == "--json" {
        json = true
        arguments.removeFirst()
    } else if first == "--serve" || first.hasPrefix("--serve=") {
        arguments.removeFirst()
        guard let descriptor = first == "--serve" ? 3 : Int32(first.dropFirst("--serve=".count)), descriptor > 2 else {
            fail(usage: "--serve=FD needs a file descriptor number above 2")
        }
        exit(runServe(descriptor: descriptor, arguments: arguments))
    } else if first == "--help" || first == "-h" {
        StandardStreams.out(usage + "\n")
        exit(0)
    } else if first == "--version" {
        StandardStreams.out("nns \(NNSLanguage.version)\n")
        exit(0)
    } else if first == "-e" {
        arguments.removeFirst()
        guard let text = arguments.first else { fail(usage: "-e needs the source to run") }
        source = text
        arguments.removeFirst()
        break
    } else if first == "--" {
        arguments.removeFirst()
        break
    } else if first.hasPrefix("-") && first != "-" {
        fail(usage: "unknown option \(first)")
    } else {
        break
    }
}
if source == nil, let first = arguments.first {
    script = first
    arguments.removeFirst()
}

let host = scriptHost()
let interpreter = Interpreter(host: host, arguments: arguments)
interpreter.printsJSON = json

/// Writes a value the way `print` would, for the final expression of -e and scripts.
func show(_ value: Value) {
    host.write((json ? JSONEncoderContext().encode(value) : value.displayText) + "\n")
}

/// Prints an error on stderr the way README.md ("The two commands") shows it.
func report(_ error: Error) {
    StandardStreams.err("\(error)\n")
}

if source != nil || script != nil {
    // The interpreter moves onto its own big stack (`Interpreter.run`).
    let status: Int32
    do {
        let result = try script.map { try interpreter.runFile(at: $0) }
            ?? interpreter.run(source: source!, name: "<-e>")
        if let value = result.finalValue { show(value) }
        status = 0
    } catch {
        report(error)
        status = 1
    }
    fflush(stdout)
    if ProcessInfo.processInfo.environment["NNS_STATS"] == "1" {
        // For bench/epoch.py's FLOP rate; stderr, so that --json output stays parseable.
        StandardStreams.err("nns: products ran \(ProductCounts.multiplyAddsRun) multiply-adds, "
            + "skipped \(ProductCounts.multiplyAddsSkipped) over zero input columns\n")
    }
    exit(status)
}

// No script: the REPL (readline on a terminal, plain lines from a pipe).
exit(runREPL(arguments: arguments, json: json))
