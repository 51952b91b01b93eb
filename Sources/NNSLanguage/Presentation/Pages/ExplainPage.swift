import Foundation
import NNEngine

/// The explanation page of a recorded pass (docs/pages.md): what `explain(...)` writes and what
/// `:step ... --page FILE` writes for the same walkthrough.
public enum ExplainPage {
    /// The page as one self-contained HTML document. `learningRate` adds one SGD step after
    /// the backward pass (shown only; the network is not changed).
    public static func html(_ pass: RecordedPass, learningRate: Double? = nil) -> String {
        let page = WalkPage(pass: pass, learningRate: learningRate)
        let what = pass.backward == nil ? "forward pass" : learningRate == nil ? "forward and backward pass" : "forward pass, backward pass and one SGD step"
        return PageDocument.html(title: "nns · \(what) · net = \(pass.network.description)",
                                 data: page.json, body: WalkPageScript.body, script: WalkPageScript.script)
    }

    /// How many steps the page of `pass` has (for the short text beside it).
    public static func stepCount(_ pass: RecordedPass, learningRate: Double? = nil) -> Int {
        WalkPage(pass: pass, learningRate: learningRate).steps.count
    }

    /// Writes `html` to `path` atomically, refusing a path that is a directory.
    public static func write(_ html: String, to path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw BuiltinError("\(path) is a directory", hint: "give a file name ending in .html, such as \"walk.html\"")
        }
        try AtomicFile.write(Array(html.utf8), to: path)
    }
}
