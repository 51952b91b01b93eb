import NNEngine

/// `gradcheck`: backprop's gradients against central differences
/// (C(θ + h) − C(θ − h)) / 2h, in inference mode so both see the same function.
///
/// The error reported is, per parameter tensor, ‖g_backprop − g_numeric‖ / max(‖g_backprop‖,
/// ‖g_numeric‖) over the checked elements, and the largest of these over the parameters. A
/// per-tensor norm keeps elements whose gradient is nearly zero (where Float32 rounding
/// dominates a difference quotient) from swamping the answer. The engine computes in Float32,
/// so a correct backward gives about 1e-4…1e-3; a wrong one gives order 1.
enum GradientCheck {
    /// Elements checked per parameter at most (evenly spread), so big networks stay quick.
    static let elementsPerParameter = 200
    static let step: Float = 1e-3

    static func maximumRelativeError(_ network: Network, x: Tensor, y: Tensor, loss: Loss) throws -> Double {
        try network.lossAndGradients(input: x, target: y, loss: loss, mode: .inference)
        var worst = 0.0
        for (_, parameter) in network.namedParameters where parameter.isTrainable {
            let analytic = parameter.grad
            let count = parameter.value.count
            let stride = max(1, count / elementsPerParameter)
            var difference = 0.0, analyticNorm = 0.0, numericNorm = 0.0
            var i = 0
            while i < count {
                let original = parameter.value.scalars[i]
                parameter.value.scalars[i] = original + step
                let plus = try network.loss(of: x, target: y, loss: loss)
                parameter.value.scalars[i] = original - step
                let minus = try network.loss(of: x, target: y, loss: loss)
                parameter.value.scalars[i] = original
                // The step actually taken in Float32 may differ slightly from `step`.
                let taken = Double(original + step) - Double(original - step)
                let numeric = (plus - minus) / taken
                let a = Double(analytic.scalars[i])
                difference += (a - numeric) * (a - numeric)
                analyticNorm += a * a
                numericNorm += numeric * numeric
                i += stride
            }
            let scale = max(analyticNorm, numericNorm).squareRoot()
            if scale > 1e-12 { worst = max(worst, difference.squareRoot() / scale) }
        }
        return worst
    }
}
