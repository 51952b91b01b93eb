import Foundation

/// A small SVG writer: the plots build their pictures from these elements.
struct SVGDocument {
    let width: Double
    let height: Double
    private var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
        body.append("<rect x=\"0\" y=\"0\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"white\"/>")
    }

    mutating func raw(_ element: String) { body.append(element) }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil) {
        var s = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(w))\" height=\"\(Self.n(h))\" fill=\"\(fill)\""
        if let stroke { s += " stroke=\"\(stroke)\"" }
        body.append(s + "/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#333", width: Double = 1) {
        body.append("<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        let text = points.map { Self.n($0.0) + "," + Self.n($0.1) }.joined(separator: " ")
        body.append("<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\" points=\"\(text)\"/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String = "black") {
        body.append("<circle cx=\"\(Self.n(x))\" cy=\"\(Self.n(y))\" r=\"\(Self.n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>")
    }

    mutating func text(_ x: Double, _ y: Double, _ content: String, size: Double = 12, anchor: String = "start") {
        body.append("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\">\(Self.escaped(content))</text>")
    }

    /// A path of unit squares (`M x y h1 v1 h-1 z` each) filled with one colour: many pixels
    /// of the same shade in one element, so weight images stay small.
    mutating func pixels(_ cells: [(Double, Double)], size: Double, fill: String) {
        guard !cells.isEmpty else { return }
        let s = Self.n(size)
        let d = cells.map { "M\(Self.n($0.0)) \(Self.n($0.1))h\(s)v\(s)h-\(s)z" }.joined()
        body.append("<path fill=\"\(fill)\" d=\"\(d)\"/>")
    }

    var text: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\">\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }

    /// Coordinates to two decimals, without trailing zeros.
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let rounded = (x * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `#rrggbb` from components in [0, 1].
    static func color(_ r: Double, _ g: Double, _ b: Double) -> String {
        func hex(_ v: Double) -> String {
            let byte = Int((min(max(v, 0), 1) * 255).rounded())
            return String(format: "%02x", byte)
        }
        return "#" + hex(r) + hex(g) + hex(b)
    }

    /// The colours of classes 0, 1, 2, … (points), and their light tints (regions).
    static let classColors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let classTints = ["#c6dbef", "#f6c1c1", "#c7e9c0", "#fdd9b5", "#dadaeb", "#e5d0c9", "#f7d4ec", "#e0e0e0", "#ececb8", "#c2ecf2"]
}
