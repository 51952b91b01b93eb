import NNEngine
import NNSLanguage

/// Step-through for layers on images (SPEC §13): a conv layer's z[o,i,j] worked for one output
/// element with its input patch, pooling's window for one output, the shape change of
/// reshape and flatten, and per-channel summaries of anything shaped like images. The MLP
/// pages are `ForwardStepView`'s and `BackwardStepView`'s own; these only add what images need.
enum ImageStepView {
    /// Channels listed one per line before the rest are only counted.
    static let channelLimit = 8

    // MARK: forward

    /// The body of a forward page for a layer on images (after its `layer k/n` line), or nil
    /// for a layer the MLP view shows (linear, activations on vectors...).
    static func forward(_ record: ForwardTrace.Step, input: String, output: String) -> [String]? {
        let layer = record.layer
        switch layer {
        case let conv as Conv2D:
            return convolution(conv, record, input: input, output: output)
        case let pool as Pool2D:
            return pooling(pool, record, input: input, output: output)
        default:
            break
        }
        switch layer.kind {
        case "reshape", "flatten":
            let images = layer.kind == "reshape" ? record.output : record.input
            let isBatch = images.rank == 4
            let from = isBatch ? Array(record.input.shape.dropFirst()) : record.input.shape
            let to = isBatch ? Array(record.output.shape.dropFirst()) : record.output.shape
            let how = layer.kind == "reshape" && to.count == 3
                ? "the same \(from.reduce(1, *)) numbers per sample read as \(to[0]) channel\(to[0] == 1 ? "" : "s") of \(to[1])×\(to[2]), row by row"
                : "each sample's channels laid end to end, each row by row (PyTorch's order)"
            return ["  \(output) = \(layer)(\(input)):  [\(NumberFormat.shape(from))] → [\(NumberFormat.shape(to))], \(how)",
                    TensorDisplay.row(input, record.input),
                    TensorDisplay.row(output, record.output)]
        default:
            // Activations, dropout and batchnorm2d on images: their own formula, then per channel.
            guard let images = ChannelView(record.output) else { return nil }
            var lines = ["  " + Notation.activationFormula(layer, input: input, output: output),
                         TensorDisplay.row(input, record.input)]
            lines += channelRows(output, images, dead: layer.kind == "relu")
            return lines
        }
    }

    /// z[o,i,j] = Σ_c Σ_u Σ_v W[o,c,u,v]·a[c, i·s+u, j·s+v] + b[o], then one element worked.
    private static func convolution(_ conv: Conv2D, _ record: ForwardTrace.Step, input: String, output: String) -> [String]? {
        guard let a = ChannelView(record.input), let z = ChannelView(record.output) else { return nil }
        let sup = String(output.dropFirst())
        let W = "W" + sup, b = "b" + sup
        let window = conv.window
        let (s, p) = (window.stride, window.padding)
        let pad = p.height == 0 && p.width == 0
        var lines = ["  \(output)[o,i,j] = Σ_c Σ_u Σ_v \(W)[o,c,u,v]·\(input)[c, i·s+u\(pad ? "" : "−p"), j·s+v\(pad ? "" : "−p")] + \(b)[o]"
                     + "    (s = \(extent(s))\(pad ? "" : ", p = \(extent(p)): \(input) is 0 outside the image"))"]
        lines.append(TensorDisplay.row(input, record.input))
        lines.append(TensorDisplay.row(W, conv.weight.value))
        lines.append(TensorDisplay.row(b, conv.bias.value))

        // The worked element: channel 0 of the first sample, where |z − b| is largest (the
        // patch that most excites the kernel), the first such position on ties.
        let weight = conv.weight.value.scalars, bias = conv.bias.value.scalars
        let (kh, kw, channels) = (window.kernel.height, window.kernel.width, a.channels)
        let o = 0
        var (bi, bj, best) = (0, 0, -Float.infinity)
        for i in 0..<z.height {
            for j in 0..<z.width {
                let v = abs(z.value(0, o, i, j) - bias[o])
                if v > best { (bi, bj, best) = (i, j, v) }
            }
        }
        let top = bi * s.height - p.height, left = bj * s.width - p.width
        lines.append("  worked for \(output)[\(o),\(bi),\(bj)]\(z.samples > 1 ? " of the first sample" : ""): the \(window.kernel) patch at row \(top), column \(left)")
        var total = 0.0
        for c in 0..<channels {
            var patch: [Float] = [], kernel: [Float] = [], partial = 0.0
            var products: [String] = []
            for u in 0..<kh {
                for v in 0..<kw {
                    let (y, x) = (top + u, left + v)
                    let inside = y >= 0 && y < a.height && x >= 0 && x < a.width
                    let av = inside ? a.value(0, c, y, x) : 0
                    let wv = weight[((o * channels + c) * kh + u) * kw + v]
                    patch.append(av)
                    kernel.append(wv)
                    partial += Double(wv) * Double(av)
                    products.append(factor(wv) + "·" + factor(av))
                }
            }
            total += partial
            guard c < channelLimit / 2 else { continue }
            let shown = channels > 1 ? "[\(c), " : "["
            lines.append(TensorDisplay.row("\(input)\(shown)\(rangeText(top, kh)), \(rangeText(left, kw))]", Tensor(shape: [kh, kw], scalars: patch), symbolWidth: 24))
            lines.append(TensorDisplay.row("\(W)[\(o), \(c)]", Tensor(shape: [kh, kw], scalars: kernel), symbolWidth: 24))
            let sum = products.count <= 9 ? products.joined(separator: " + ") + " = " : ""
            lines.append("      Σ_u Σ_v \(channels > 1 ? "(channel \(c)) " : "")" + sum + number(Float(partial)))
        }
        if channels > channelLimit / 2 {
            lines.append("      (channels \(channelLimit / 2)–\(channels - 1) are summed the same way)")
        }
        lines.append("      \(output)[\(o),\(bi),\(bj)] = \(channels > 1 ? "Σ_c " : "")\(number(Float(total))) \(bias[o] < 0 ? "−" : "+") \(number(abs(bias[o]))) = \(number(Float(total) + bias[o]))"
                     + "   (the pass gave \(number(z.value(0, o, bi, bj))))")
        lines += channelRows(output, z, dead: false)
        return lines
    }

    /// One output of max or average pooling with its window, then per-channel summaries.
    private static func pooling(_ pool: Pool2D, _ record: ForwardTrace.Step, input: String, output: String) -> [String]? {
        guard let a = ChannelView(record.input), let y = ChannelView(record.output) else { return nil }
        let isMax = pool.kind == "maxpool"
        let window = pool.window
        let (k, s, p) = (window.kernel, window.stride, window.padding)
        var lines = ["  \(output)[c,i,j] = \(isMax ? "max" : "mean") of \(input)[c, i·s+u, j·s+v] over the \(k) window (u, v)    (s = \(extent(s))\(p.height == 0 && p.width == 0 ? "" : ", p = \(extent(p))"))"]
        lines.append(TensorDisplay.row(input, record.input))
        // The worked output: channel 0 of the first sample, at its largest value.
        var (bi, bj, best) = (0, 0, -Float.infinity)
        for i in 0..<y.height {
            for j in 0..<y.width where y.value(0, 0, i, j) > best { (bi, bj, best) = (i, j, y.value(0, 0, i, j)) }
        }
        let top = bi * s.height - p.height, left = bj * s.width - p.width
        var values: [Float] = [], winner: (Int, Int, Float)? = nil, sum = 0.0
        for u in 0..<k.height {
            for v in 0..<k.width {
                let (r, c) = (top + u, left + v)
                let inside = r >= 0 && r < a.height && c >= 0 && c < a.width
                let value = inside ? a.value(0, 0, r, c) : 0
                values.append(value)
                sum += Double(value)
                if inside, winner == nil || value > winner!.2 { winner = (r, c, value) }
            }
        }
        lines.append("  worked for \(output)[0,\(bi),\(bj)]\(y.samples > 1 ? " of the first sample" : ""):")
        lines.append(TensorDisplay.row("\(input)[0, \(rangeText(top, k.height)), \(rangeText(left, k.width))]",
                                       Tensor(shape: [k.height, k.width], scalars: values), symbolWidth: 24))
        if isMax, let (r, c, v) = winner {
            lines.append("      max = \(number(v)), from \(input)[0,\(r),\(c)]: the backward pass sends this output's gradient there alone")
        } else {
            lines.append("      mean = \(number(Float(sum))) / \(values.count) = \(number(Float(sum / Double(values.count))))")
        }
        lines.append("      (the pass gave \(number(y.value(0, 0, bi, bj))))")
        lines += channelRows(output, y, dead: false)
        return lines
    }

    // MARK: backward

    /// The page of a notes layer that starts with a conv layer: the gradient coming down
    /// through what follows it (flatten, pooling, the activation), δ = ∂C/∂z per channel,
    /// ∂C/∂W per output channel with one element worked, ∂C/∂b and what is handed down.
    static func backwardPage(l: Int, members: [Int], forward: [ForwardTrace.Step],
                             byIndex: [Int: BackwardTrace.Step]) -> String? {
        guard let first = members.first, let conv = forward[first].layer as? Conv2D,
              let affine = byIndex[first], let delta = affine.outputGradient,
              let d = ChannelView(delta), let a = ChannelView(forward[first].input) else { return nil }
        let sl = Notation.superscript(l), below = Notation.superscript(l - 1)
        var lines = ["layer \(l)  " + members.map { "net[\($0)] = \(forward[$0].layer)" }.joined(separator: ",  ")]
        // From the top member down to the conv: each hands ∂C/∂input to the one below.
        for index in members.dropFirst().reversed() {
            guard let step = byIndex[index], let handed = step.inputGradient else { continue }
            let layer = forward[index].layer
            let how: String
            switch layer.kind {
            case "flatten": how = "flatten: the same numbers back in image shape"
            case "maxpool": how = "maxpool: each window's gradient to the input that won it, 0 to the others"
            case "avgpool": how = "avgpool: each window's gradient shared equally over its inputs"
            default:
                if let derivative = Notation.derivativeFormula(layer, output: "a" + sl) {
                    how = "\(layer): ⊙ \(Notation.symbol(layer.kind))' of its input, " + derivative
                } else {
                    how = "\(layer)"
                }
            }
            lines.append("  back through net[\(index)] = \(how)")
            for (name, gradient) in step.parameterGradients {
                lines.append(TensorDisplay.row("∂C/∂net[\(index)].\(name)", gradient, symbolWidth: 14))
            }
            lines.append(TensorDisplay.row("∂C/∂in[\(index)]", handed, symbolWidth: 14))
        }
        lines.append("  δ\(sl) = ∂C/∂z\(sl), the gradient at the conv layer's output")
        lines += channelRows("δ" + sl, d, dead: false)
        let window = conv.window
        let (s, p) = (window.stride, window.padding)
        let sum = d.samples > 1 ? "Σ_n " : ""
        lines.append("  ∂C/∂W\(sl)[o,c,u,v] = \(sum)Σ_i Σ_j δ\(sl)[o,i,j]·a\(below)[c, i·s+u\(p.height == 0 && p.width == 0 ? "" : "−p"), j·s+v\(p.height == 0 && p.width == 0 ? "" : "−p")]")
        // One element worked: ∂C/∂W[0,0,0,0], each δ[0,i,j] times the input under the kernel's corner.
        var terms: [String] = [], total = 0.0
        for n in 0..<d.samples {
            for i in 0..<d.height {
                for j in 0..<d.width {
                    let (y, x) = (i * s.height - p.height, j * s.width - p.width)
                    let av: Float = y >= 0 && y < a.height && x >= 0 && x < a.width ? a.value(n, 0, y, x) : 0
                    let dv = d.value(n, 0, i, j)
                    total += Double(dv) * Double(av)
                    if dv != 0 { terms.append(factor(dv) + "·" + factor(av)) }
                }
            }
        }
        let written = terms.isEmpty ? "0 (δ is 0 everywhere) = "
            : terms.count <= 16 ? terms.joined(separator: " + ") + " (the terms with δ ≠ 0) = "
            : "Σ over \(terms.count) positions with δ ≠ 0 = "
        if let weightGradient = affine.weightGradient {
            lines.append("    worked for ∂C/∂W\(sl)[0,0,0,0] = " + written + number(Float(total))
                         + "   (the pass gave \(number(weightGradient.scalars[0])))")
            let perOutput = weightGradient.count / max(conv.outChannels, 1)
            for o in 0..<min(conv.outChannels, channelLimit) {
                let kernel = Tensor(shape: Array(weightGradient.shape.dropFirst()),
                                    scalars: Array(weightGradient.scalars[(o * perOutput)..<((o + 1) * perOutput)]))
                lines.append(TensorDisplay.row("∂C/∂W\(sl)[\(o)]", kernel, symbolWidth: 14))
            }
            if conv.outChannels > channelLimit { lines.append("    (\(conv.outChannels - channelLimit) more output channels)") }
        }
        if let biasGradient = affine.biasGradient {
            lines.append("  ∂C/∂b\(sl)[o] = \(sum)Σ_i Σ_j δ\(sl)[o,i,j]")
            lines.append(TensorDisplay.row("∂C/∂b" + sl, biasGradient, symbolWidth: 14))
        }
        if let handed = affine.inputGradient {
            lines.append("  handed down: ∂C/∂a\(below)[c,y,x] = Σ_o Σ_u Σ_v W\(sl)[o,c,u,v]·δ\(sl)[o,i,j] over the (i, j) whose patch holds (y, x)")
            lines.append(TensorDisplay.row("∂C/∂a" + below, handed, symbolWidth: 14))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: helpers

    /// One row per channel (the first `channelLimit`): its map in full when small, else its
    /// statistics; after relu, the channel's positions that are zero for every sample.
    static func channelRows(_ symbol: String, _ images: ChannelView, dead: Bool) -> [String] {
        var lines = ["    \(symbol)  [\(NumberFormat.shape(images.tensor.shape))], per channel (\(images.channels) of \(images.height)×\(images.width)\(images.samples > 1 ? ", over \(images.samples) samples" : "")):"]
        for c in 0..<min(images.channels, channelLimit) {
            let values = images.samples == 1 ? images.map(sample: 0, channel: c)
                : images.channel(c).reshaped([images.samples, images.height, images.width])
            var line = TensorDisplay.row("\(symbol)[\(c)]", values, symbolWidth: 12)
            if dead {
                let (d, positions) = images.deadPositions(c)
                if d > 0 { line += "   dead \(d)/\(positions)" }
            }
            lines.append(line)
        }
        if images.channels > channelLimit { lines.append("      (\(images.channels - channelLimit) more channels)") }
        return lines
    }

    private static func number(_ x: Float) -> String { NumberFormat.significant(Double(x)) }

    /// A factor of a written-out product: negative numbers in brackets, `(-1.00)·3.00`.
    private static func factor(_ x: Float) -> String { x < 0 ? "(\(number(x)))" : number(x) }

    private static func extent(_ e: Extent2D) -> String {
        e.height == e.width ? String(e.height) : "\(e.height)×\(e.width)"
    }

    /// `1:4`, the rows (or columns) a window covers, Python-style.
    private static func rangeText(_ start: Int, _ size: Int) -> String { "\(start):\(start + size)" }
}
