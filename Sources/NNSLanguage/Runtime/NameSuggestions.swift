/// "Did you mean" hints: the known names closest to a misspelt one by edit distance.
enum NameSuggestions {
    /// Up to three names within a small edit distance of `name`, closest first.
    static func nearest(to name: String, among candidates: [String]) -> [String] {
        let limit = max(1, min(3, name.count / 3 + 1))
        let scored = Set(candidates).compactMap { candidate -> (String, Int)? in
            guard abs(candidate.count - name.count) <= limit else { return nil }
            let d = distance(name, candidate)
            return d <= limit && d > 0 ? (candidate, d) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    /// A hint sentence, or nil when nothing is close.
    static func hint(for name: String, among candidates: [String]) -> String? {
        let near = nearest(to: name, among: candidates)
        guard !near.isEmpty else { return nil }
        return "did you mean " + near.map { "`\($0)`" }.joined(separator: " or ") + "?"
    }

    /// Levenshtein distance, with a transposition counted as one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
