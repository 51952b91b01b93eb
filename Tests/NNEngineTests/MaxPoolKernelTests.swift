import CKernels
import Testing
@testable import NNEngine

/// The 2×2, stride-2 max pooling of every CNN recipe (`nns_maxpool_forward` and `_backward`,
/// on the products' threads) against plain loops written from the definition: odd sizes
/// leave a row and a column no window covers; ties, a NaN, signed zeros, and the gate.
@Suite struct MaxPoolKernelTests {
    @Test(arguments: [(4, 4), (5, 7), (6, 3), (3, 34), (28, 28), (9, 65), (24, 24)])
    func matchesTheDefinition(h: Int, w: Int) {
        let (m, c, oh, ow) = (2, 3, h / 2, w / 2)
        var g = nns_window(m: m, c: c, h: h, w: w, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, oh: oh, ow: ow)
        var r = Xoshiro256StarStar(seed: UInt64(h * 100 + w))
        // Ties (a few values only), a NaN and signed zeros among them.
        let levels: [Float] = [-1, 0, -0.0, 2, 2, 3.5]
        var x = (0..<(m * c * h * w)).map { _ in levels[Int(r.uniform() * Double(levels.count)) % levels.count] }
        x[x.count / 2] = .nan
        let dy = (0..<(m * c * oh * ow)).map { i in i % 7 == 0 ? -0.0 : Float(r.uniform() * 2 - 1) }
        let gate = (0..<(m * c * oh * ow)).map { _ in Float(r.uniform() - 0.5) }

        // The definition: the first of the window's largest (a NaN wins), row by row.
        var y = [Float](repeating: 0, count: dy.count), arg = [Int32](repeating: 0, count: dy.count)
        for p in 0..<(m * c) {
            for i in 0..<oh {
                for j in 0..<ow {
                    var best = x[p * h * w + 2 * i * w + 2 * j], at = 2 * i * w + 2 * j
                    for (u, v) in [(0, 1), (1, 0), (1, 1)] {
                        let here = (2 * i + u) * w + 2 * j + v, value = x[p * h * w + here]
                        if !best.isNaN && !(value <= best) { (best, at) = (value, here) }
                    }
                    (y[p * oh * ow + i * ow + j], arg[p * oh * ow + i * ow + j]) = (best, Int32(at))
                }
            }
        }
        func expectedDx(gated: Bool) -> [Float] {
            var dx = [Float](repeating: 0, count: x.count)
            for p in 0..<(m * c) {
                for o in 0..<(oh * ow) where !gated || gate[p * oh * ow + o] > 0 {
                    dx[p * h * w + Int(arg[p * oh * ow + o])] += dy[p * oh * ow + o]
                }
            }
            return dx
        }
        func same(_ a: [Float], _ b: [Float]) -> Bool { zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern } }

        var outY = [Float](repeating: 9, count: y.count), outArg = [Int32](repeating: -9, count: y.count)
        nns_maxpool_forward(x, &g, &outY, &outArg)
        #expect(same(outY, y) && outArg == arg, "forward, \(h)×\(w)")
        for gated in [false, true] {
            var dx = [Float](repeating: 9, count: x.count) // overwritten, covered or not
            if gated { nns_maxpool_backward(dy, arg, gate, &g, &dx) } else { nns_maxpool_backward(dy, arg, nil, &g, &dx) }
            // Bit for bit: a gradient of -0 lands as +0, as added to a zeroed plane.
            #expect(same(dx, expectedDx(gated: gated)), "backward, gate \(gated), \(h)×\(w)")
        }
    }
}
