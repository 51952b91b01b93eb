import NNEngine

/// What an explanation page shows, computed from a `RecordedPass` (the same engine recording
/// the terminal's `:step` shows) and written with the terminal's `NumberFormat`, so the page
/// and the terminal agree to the digits shown.
///
/// The drawing is a list of columns — the input a⁰ and one per notes layer l — joined by the
/// weights of the linear layers; each step has its text (the notes' formula with the numbers
/// plugged in) and what it reveals on the drawing. A column wider than `unitLimit` is a block
/// with summaries and a heat-map image. (Conv layers, when they come, add a column kind with
/// feature-map images; the steps stay text plus reveals.)
struct WalkPage {
    struct Step {
        var title: String
        var lines: [String] = []
        /// Drawing slots filled from this step on: `c1u0.z` → "z 0.520".
        var reveal: [(slot: String, text: String)] = []
        /// Block images shown from this step on, by block slot (`c1.a`).
        var images: [(slot: String, image: PageImage)] = []
        /// Weights redrawn from this step on (the SGD step), by notes layer.
        var weights: [(layer: Int, weight: Tensor)] = []
    }

    struct Column {
        var label: String
        var units: Int
        var block: Bool { units > WalkPage.unitLimit }
    }

    static let unitLimit = 16
    /// Per-unit formulas are written out only up to this many inputs per unit.
    static let fanInLimit = 10

    let pass: RecordedPass
    let learningRate: Double?
    var columns: [Column] = []
    /// Per notes layer l ≥ 1: the weight matrix Wˡ and the position of its linear layer.
    var linears: [(index: Int, weight: Tensor, bias: Tensor?)] = []
    var steps: [Step] = []
    /// Hover/focus text per drawing element: (first step it holds at, text).
    var info: [String: [(step: Int, text: String)]] = [:]
    let notesLayer: [Int]

    init(pass: RecordedPass, learningRate: Double?) {
        self.pass = pass
        self.learningRate = learningRate
        let layers = pass.forward.map(\.layer)
        notesLayer = Notation.notesLayers(layers)
        let inputWidth = pass.forward.first?.input.count ?? 0
        columns.append(Column(label: "x = a⁰", units: inputWidth))
        for record in pass.forward where Notation.isAffine(record.layer) {
            let weight = Self.parameter(record.layer, "weight")!
            linears.append((record.index, weight, Self.parameter(record.layer, "bias")))
            columns.append(Column(label: "layer \(linears.count)", units: record.output.count))
        }
        buildForward()
        if pass.backward != nil { buildBackward() }
        if learningRate != nil, pass.backward != nil { buildUpdate() }
    }

    static func parameter(_ layer: Layer, _ name: String) -> Tensor? {
        layer.parameters.first { $0.name == name }?.value
    }

    // MARK: - Formatting, as the terminal does

    static func number(_ x: Float) -> String { NumberFormat.significant(Double(x)) }
    static func number(_ x: Double) -> String { NumberFormat.significant(x) }
    /// An operand inside a formula: negative numbers in parentheses.
    static func operand(_ x: Float) -> String { x < 0 ? "(" + number(x) + ")" : number(x) }
    /// A one-element tensor as its number, otherwise as the terminal prints it.
    static func values(_ t: Tensor) -> String { t.count == 1 ? number(t.scalars[0]) : NumberFormat.tensor(t) }
    static func sub(_ n: Int) -> String { Notation.subscript(n) }
    static func sup(_ n: Int) -> String { Notation.superscript(n) }

    func unitSlot(_ column: Int, _ unit: Int) -> String { "c\(column)u\(unit)" }
    func edgeSlot(_ layer: Int, _ to: Int, _ from: Int) -> String { "l\(layer)w\(to)_\(from)" }
    func small(_ column: Int) -> Bool { !columns[column].block }

    /// Shows `t` in column `column`'s `kind` slot (x, z, a, d): per unit, or for a block its
    /// summary and image.
    mutating func show(_ t: Tensor, column: Int, kind: String, label: String, in step: inout Step) {
        if small(column) {
            for j in 0..<min(t.count, columns[column].units) {
                step.reveal.append((unitSlot(column, j) + "." + kind, "\(label) \(Self.number(t.scalars[j]))"))
            }
        } else {
            let symbol = label + (column > 0 ? Self.sup(column) : "")
            step.reveal.append(("c\(column).\(kind)", "\(symbol): " + NumberFormat.summary(t)))
            note("c\(column)", "\(symbol) (\(t.count) values): " + NumberFormat.summary(t))
            step.images.append(("c\(column).\(kind)", PageImage(t)))
        }
    }

    mutating func note(_ slot: String, _ text: String) {
        info[slot, default: []].append((steps.count, text))
    }

    mutating func append(_ step: Step) { steps.append(step) }
}
