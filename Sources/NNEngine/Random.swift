import Foundation

/// The engine's pseudo-random generator: xoshiro256** (Blackman and Vigna, 2018), seeded
/// by SplitMix64 so that any 64-bit seed, even 0, gives a well-mixed 256-bit state.
///
/// Why this one: it is small, fast, passes BigCrush, and — unlike Swift's
/// `SystemRandomNumberGenerator` — is fully determined by its seed, so a script that calls
/// `seed(n)` draws the same weights, dropout masks and shuffles on every machine.
///
/// Derived draws, all documented so results can be reproduced elsewhere:
/// - `uniform()`: the top 53 bits of `next()` scaled by 2⁻⁵³, a Double in [0, 1);
///   `uniformFloat()`: the top 24 bits scaled by 2⁻²⁴, a Float in [0, 1).
/// - `normal()`: Box–Muller on two uniforms, u₁ ∈ (0, 1], u₂ ∈ [0, 1):
///   √(−2 ln u₁)·cos(2πu₂), and the spare √(−2 ln u₁)·sin(2πu₂) is returned by the next call.
/// - `integer(below:)`: Lemire's multiply-and-reject method, exactly uniform.
/// - `shuffle(_:)`: Fisher–Yates from the last element down, using `integer(below:)`.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// The second Box–Muller value, handed out by the next `normal()`.
    private var spareNormal: Double?

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        spareNormal = nil
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform Double in [0, 1).
    @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform Float in [0, 1).
    @inline(__always)
    public mutating func uniformFloat() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// Uniform Double in [low, high).
    public mutating func uniform(in low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Standard normal N(0, 1) by Box–Muller (see the type's documentation).
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1 - uniform()          // (0, 1]: log never sees 0
        let u2 = uniform()
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }

    /// Normal with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    /// An integer uniform in 0..<bound (bound > 0), by Lemire's method.
    public mutating func integer(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return Int(product.high)
    }

    /// Shuffles `array` in place (Fisher–Yates).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        var i = array.count - 1
        while i > 0 {
            let j = integer(below: i + 1)
            if i != j { array.swapAt(i, j) }
            i -= 1
        }
    }

    /// A random permutation of 0..<count.
    public mutating func permutation(_ count: Int) -> [Int] {
        var indices = Array(0..<max(0, count))
        shuffle(&indices)
        return indices
    }
}

/// A shared, lockable random source: what layers, initialisers and data shuffling draw from.
///
/// `RandomSource.shared` is the engine's default for callers that pass none. The language
/// gives each interpreter its own (`Interpreter.random`, which `seed(n)` restarts), so
/// programs running side by side do not disturb each other. Every source starts from a
/// fixed seed, so even a script that never calls `seed` is reproducible run to run.
public final class RandomSource: @unchecked Sendable {
    /// The process-wide default source.
    public static let shared = RandomSource(seed: 0)

    private var generator: Xoshiro256StarStar
    private let lock = NSLock()

    public init(seed: UInt64) {
        generator = Xoshiro256StarStar(seed: seed)
    }

    /// Restarts the stream from `seed`.
    public func seed(_ seed: UInt64) {
        lock.lock(); defer { lock.unlock() }
        generator = Xoshiro256StarStar(seed: seed)
    }

    /// Runs `body` with exclusive use of the generator: one lock for a whole fill, not one per draw.
    public func withGenerator<T>(_ body: (inout Xoshiro256StarStar) throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(&generator)
    }

    /// Uniform Double in [0, 1).
    public func uniform() -> Double { withGenerator { $0.uniform() } }

    /// Standard normal draw.
    public func normal() -> Double { withGenerator { $0.normal() } }

    /// `count` standard-normal draws as Floats (each drawn in Double, then rounded).
    public func normals(count: Int) -> [Float] {
        withGenerator { g in (0..<max(0, count)).map { _ in Float(g.normal()) } }
    }

    /// `count` uniform draws in [low, high) as Floats (each drawn in Double, then rounded).
    public func uniforms(count: Int, low: Double, high: Double) -> [Float] {
        withGenerator { g in (0..<max(0, count)).map { _ in Float(g.uniform(in: low, high)) } }
    }

    /// A random permutation of 0..<count.
    public func permutation(_ count: Int) -> [Int] { withGenerator { $0.permutation(count) } }

    /// Shuffles `array` in place.
    public func shuffle<T>(_ array: inout [T]) { withGenerator { $0.shuffle(&array) } }
}
