import NNEngine

/// A tensor of images read channel by channel: one sample `[c, h, w]` or a batch
/// `[m, c, h, w]` — what a conv, pooling or batchnorm2d layer gives, or its gradient. What
/// step-through, `:stats` and `plot_features` show per channel.
public struct ChannelView {
    public let tensor: Tensor
    /// Samples (1 for one sample `[c, h, w]`).
    public let samples: Int
    public let channels: Int
    public let height: Int
    public let width: Int

    /// Nil when the tensor is not an image or a batch of images, or holds no numbers (an
    /// empty batch: nothing to work an element of).
    public init?(_ tensor: Tensor) {
        guard tensor.count > 0 else { return nil }
        let shape = tensor.shape
        switch shape.count {
        case 3: (samples, channels, height, width) = (1, shape[0], shape[1], shape[2])
        case 4: (samples, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        default: return nil
        }
        self.tensor = tensor
    }

    /// The value at sample n, channel c, row i, column j.
    public func value(_ n: Int, _ c: Int, _ i: Int, _ j: Int) -> Float {
        tensor.scalars[((n * channels + c) * height + i) * width + j]
    }

    /// One channel of one sample as an `[h, w]` image.
    public func map(sample n: Int, channel c: Int) -> Tensor {
        let size = height * width
        let start = (n * channels + c) * size
        return Tensor(shape: [height, width], scalars: Array(tensor.scalars[start..<(start + size)]))
    }

    /// Every value of channel c over all samples and positions, as a vector.
    public func channel(_ c: Int) -> Tensor {
        let size = height * width
        var values: [Float] = []
        values.reserveCapacity(samples * size)
        for n in 0..<samples {
            let start = (n * channels + c) * size
            values.append(contentsOf: tensor.scalars[start..<(start + size)])
        }
        return Tensor(values)
    }

    /// Channel c's positions that are zero for every sample, and how many positions it has:
    /// relu's dead units, counted within the channel.
    public func deadPositions(_ c: Int) -> (dead: Int, positions: Int) {
        let size = height * width
        var alive = [Bool](repeating: false, count: size)
        for n in 0..<samples {
            let start = (n * channels + c) * size
            for k in 0..<size where tensor.scalars[start + k] > 0 { alive[k] = true }
        }
        return (alive.filter { !$0 }.count, size)
    }
}
