import NNEngine

/// `train(..., snapshots: k)`: copies of the network before training, every k epochs and
/// after the last, kept in the history for `replay`.
final class TrainingSnapshots {
    /// Bounds that keep memory sane: at most this many snapshots, and this many weights in all.
    static let maximumCount = 1000
    static let maximumWeights = 64_000_000

    let every: Int
    private(set) var kept: [(epoch: Int, network: Network)] = []

    private init(every: Int) { self.every = every }

    /// Nil when `snapshots:` was not given. Takes the first snapshot (epoch 0) from `net`.
    static func make(_ args: BuiltinArguments) throws -> TrainingSnapshots? {
        guard args.isGiven("snapshots"), !args["snapshots"].isNone else { return nil }
        let every = try args.wholeNumber("snapshots", minimum: 1)
        if args.isGiven("rule"), try args.string("rule") == "perceptron" {
            throw args.error("snapshots", "train: snapshots: works with backpropagation training, not rule: \"perceptron\"")
        }
        let network = try args.network("net")
        let epochs = try args.wholeNumber("epochs", minimum: 1)
        let count = epochs / every + 2
        guard count <= maximumCount, count * max(network.parameterCount, 1) <= maximumWeights else {
            throw args.error("snapshots", "train: \(count) snapshots of \(network.parameterCount) weights each would take too much memory",
                             hint: "keep fewer: snapshots: \(max(every, epochs / 100, 1)) or more epochs apart")
        }
        let keeper = TrainingSnapshots(every: every)
        keeper.kept.append((0, network.copy()))
        return keeper
    }

    func epochEnded(_ epoch: Int, _ network: Network) {
        if epoch % every == 0 { kept.append((epoch, network.copy())) }
    }

    /// The snapshots, with the network after the last epoch when that one was not yet kept.
    func finished(_ lastEpoch: Int, _ network: Network) -> [(epoch: Int, network: Network)] {
        if kept.last?.epoch != lastEpoch { kept.append((lastEpoch, network.copy())) }
        return kept
    }
}
