import NNEngine
@testable import NNSREPL

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
