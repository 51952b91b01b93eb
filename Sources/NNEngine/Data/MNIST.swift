import Foundation

/// Finding and loading MNIST and Fashion-MNIST from the usual places.
///
/// `mnist("train")` looks, in order, in `$NNS_DATA/mnist`, `./data/mnist`, `~/.nns/data/mnist`
/// and `/usr/share/datasets/mnist` (Fashion-MNIST: the same with `fashion-mnist`, which is
/// where Debian's `dataset-fashion-mnist` package installs it) for the standard file names —
/// `train-images-idx3-ubyte.gz` and `train-labels-idx1-ubyte.gz` (`t10k-…` for "test"),
/// also accepted uncompressed and with `.idx3-ubyte` spelt with a dot.
public enum StandardDataset: String, Sendable {
    case mnist
    case fashionMNIST = "fashion-mnist"

    /// The directories searched, in order.
    public func searchDirectories(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let root = environment["NNS_DATA"], !root.isEmpty { dirs.append(root + "/" + rawValue) }
        dirs.append("./data/" + rawValue)
        let home = environment["HOME"] ?? NSHomeDirectory()
        dirs.append(home + "/.nns/data/" + rawValue)
        dirs.append("/usr/share/datasets/" + rawValue)
        return dirs
    }

    /// Loads "train" (60,000 examples) or "test" (10,000): pixels scaled to [0, 1], labels 0–9.
    public func load(_ part: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Dataset {
        let function = self == .mnist ? "mnist" : "fashion_mnist"
        let prefix: String
        switch part {
        case "train": prefix = "train"
        case "test", "t10k": prefix = "t10k"
        default:
            throw EngineError("\(function): unknown part \"\(part)\"", hint: "use \(function)(\"train\") or \(function)(\"test\")")
        }
        let dirs = searchDirectories(environment: environment)
        for dir in dirs {
            if let images = firstExisting(in: dir, prefix + "-images", "idx3-ubyte"),
               let labels = firstExisting(in: dir, prefix + "-labels", "idx1-ubyte") {
                return try IDX.dataset(images: images, labels: labels, classCount: 10)
            }
        }
        let how = self == .mnist
            ? "download the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; e.g. from https://ossci-datasets.s3.amazonaws.com/mnist/) into one of these directories, or set NNS_DATA to a directory holding mnist/"
            : "on Debian/Ubuntu: apt-get install dataset-fashion-mnist (installs /usr/share/datasets/fashion-mnist); or put the four IDX files from https://github.com/zalandoresearch/fashion-mnist into one of these directories, or set NNS_DATA"
        throw EngineError("\(function)(\"\(part)\"): \(prefix)-images-idx3-ubyte[.gz] and \(prefix)-labels-idx1-ubyte[.gz] not found; looked in "
                          + dirs.joined(separator: ", "), hint: how)
    }

    private func firstExisting(in dir: String, _ stem: String, _ kind: String) -> String? {
        let candidates = ["\(stem)-\(kind).gz", "\(stem)-\(kind)", "\(stem).\(kind).gz", "\(stem).\(kind)"]
        for name in candidates {
            let path = dir + "/" + name
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }
}

/// `mnist("train"|"test")`.
public func mnist(_ part: String) throws -> Dataset { try StandardDataset.mnist.load(part) }

/// `fashion_mnist("train"|"test")`.
public func fashionMNIST(_ part: String) throws -> Dataset { try StandardDataset.fashionMNIST.load(part) }
