import Foundation
import NNEngine

/// A small heat-map image for a page: one byte per pixel (0…255), drawn by the page's script
/// into a canvas. `diverging` maps 128 to zero, lower to blue and higher to orange (a
/// colour-blind-safe pair), scaled by the largest |value|; `gray` maps 0…max to black…white.
///
/// The bytes travel as base64url text inside the page's JSON: no data: URI is needed in the
/// file, and base64url has no `/`, so the file holds no `//` that could read as a link.
struct PageImage {
    enum Palette: String { case diverging, gray }

    let width: Int
    let height: Int
    let palette: Palette
    let bytes: [UInt8]
    /// The value the palette's end stands for (largest |v|).
    let scale: Double

    /// `values` row-major in `height` rows of `width`; `gray` is used when no value is negative.
    init(_ values: ArraySlice<Float>, width: Int, height: Int) {
        self.width = width
        self.height = height
        let nonNegative = values.allSatisfy { $0 >= 0 }
        palette = nonNegative ? .gray : .diverging
        let largest = Double(values.map { abs($0) }.max() ?? 0)
        scale = largest
        bytes = values.map { v in
            guard largest > 0, v.isFinite else { return nonNegative ? 0 : 128 }
            let t = Double(v) / largest
            let level = nonNegative ? t * 255 : 128 + t * 127
            return UInt8(max(0, min(255, level.rounded())))
        }
    }

    /// A tensor as the squarest picture its size allows: 784 values as 28×28, a [out, in]
    /// matrix as out rows of in, anything else as one row.
    init(_ tensor: Tensor) {
        let n = tensor.count
        if tensor.rank == 2 {
            self.init(tensor.scalars[...], width: tensor.shape[1], height: tensor.shape[0])
        } else {
            let side = Int(Double(n).squareRoot().rounded())
            if side * side == n {
                self.init(tensor.scalars[...], width: side, height: side)
            } else {
                self.init(tensor.scalars[...], width: n, height: 1)
            }
        }
    }

    var json: JSONValue {
        .object([("w", .integer(width)), ("h", .integer(height)), ("palette", .string(palette.rawValue)),
                 ("scale", .number(scale)), ("data", .string(Self.base64url(bytes)))])
    }

    /// RFC 4648 §5 base64url without padding.
    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
