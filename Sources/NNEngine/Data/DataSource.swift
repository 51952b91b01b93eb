import Foundation

/// Where a data set was read from, so a program outside nns (an exported PyTorch training
/// script) can read the same files the same way instead of a copy of the numbers.
///
/// Only a data set read straight from files carries one: `subset`, `split`, `normalize`,
/// `onehot` and `dataset(x, y)` build new data sets without it, since their numbers are no
/// longer what the files hold.
public enum DataSource: Sendable, Equatable {
    /// `csv(path, target:, header:)`: `target` as it was asked for (nil = the last column).
    case csv(path: String, target: CSV.Column?, header: Bool)
    /// `idx(images, labels)` or `mnist(...)`: bytes scaled by 1/255, labels as class indices.
    case idx(images: String, labels: String)

    /// The absolute form of `path` (relative to the current directory), so the reference
    /// still holds when it is used from elsewhere.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
