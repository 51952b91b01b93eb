import NNEngine
@testable import NNSREPL

/// The SPEC §12 / notes 2-2-1 sigmoid network: W¹ = [[0.2, 0.4], [0.3, 0.1]], b¹ = [0.1, 0.2],
/// W² = [[0.6, 0.5]], b² = [0.3].
func handworkedNetwork() throws -> Network {
    try Network([
        Linear(inputs: 2, outputs: 2, weight: Tensor(rows: [[0.2, 0.4], [0.3, 0.1]]), bias: Tensor([0.1, 0.2])),
        Activation(.sigmoid),
        Linear(inputs: 2, outputs: 1, weight: Tensor(rows: [[0.6, 0.5]]), bias: Tensor([0.3])),
        Activation(.sigmoid),
    ])
}

/// Pulls the numbers out of text such as "[-0.0340, -0.0328]".
func numbers(in text: String) -> [Double] {
    var result: [Double] = []
    var current = ""
    for ch in text + " " {
        if ch.isNumber || ch == "." || ch == "-" || ch == "e" && !current.isEmpty {
            current.append(ch)
        } else {
            if let v = Double(current) { result.append(v) }
            current = ""
        }
    }
    return result
}

/// The line of `page` that starts (after blanks) with `symbol`.
func row(_ symbol: String, in page: String) -> String? {
    page.split(separator: "\n").map(String.init).first {
        let line = $0.drop(while: { $0 == " " })
        return line.hasPrefix(symbol + " ") && line.dropFirst(symbol.count).drop(while: { $0 == " " }).first == "["
    }
}
