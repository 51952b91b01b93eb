import Foundation

/// Validation of tensor sizes that come from user code, so that `zeros([1.5])`,
/// `linear(-3, 2)` or `linear(1e12, 1e12)` give an error instead of a trap or an
/// out-of-memory kill. One tensor may use at most half of the machine's physical memory,
/// and all together at most half as well: a new tensor is refused when it, with room for one
/// result of its size (any computation on it makes one), does not fit beside the memory the
/// process already uses.
public enum TensorLimits {
    /// Bytes one element takes (tensors hold Float32).
    public static let bytesPerElement = MemoryLayout<Float>.size

    /// The machine's physical memory in bytes.
    public static var physicalMemory: UInt64 { ProcessInfo.processInfo.physicalMemory }

    /// The most elements one tensor may hold: half the physical memory.
    public static var maximumElements: Int { elementLimit(memory: physicalMemory) }

    static func elementLimit(memory: UInt64) -> Int {
        min(Int(clamping: memory / 2 / UInt64(bytesPerElement)), elementCap)
    }

    /// `NNS_MAX_TENSOR_ELEMENTS`, read once at first use, can only lower the limit: the
    /// fuzzer sets it so generated programs stay small and fast. Unset, there is no cap.
    static let elementCap: Int = {
        guard let text = ProcessInfo.processInfo.environment["NNS_MAX_TENSOR_ELEMENTS"],
              let cap = Int(text), cap >= 0 else { return Int.max }
        return cap
    }()

    /// Sizes written as numbers (the language's numbers are Float64) turned into a shape:
    /// each must be a whole, non-negative, finite number, and the product must fit in memory.
    public static func checkedShape(_ dims: [Double]) throws -> [Int] {
        let shape = try checkedShape(dims, memory: physicalMemory)
        try checkLiveMemory(elements: shape.reduce(1, *))
        return shape
    }

    /// As `checkedShape(_:)` against a given amount of memory (tests use a small one).
    static func checkedShape(_ dims: [Double], memory: UInt64) throws -> [Int] {
        var shape = [Int]()
        shape.reserveCapacity(dims.count)
        for (axis, d) in dims.enumerated() {
            let hint = "a size counts elements: use a whole number ≥ 0, such as 2 or 784"
            guard !d.isNaN else {
                throw EngineError("size \(axis + 1) of the shape is NaN, not a count", hint: hint)
            }
            guard d.isFinite else {
                throw EngineError("size \(axis + 1) of the shape is \(d < 0 ? "-inf" : "inf"), not a count",
                                  hint: hint)
            }
            guard d >= 0 else {
                throw EngineError("size \(axis + 1) of the shape is negative (\(format(d)))", hint: hint)
            }
            guard d.rounded(.towardZero) == d else {
                throw EngineError("size \(axis + 1) of the shape is \(format(d)), not a whole number",
                                  hint: hint)
            }
            guard d < 9.0e18 else {
                // Too big for an Int: report it through the memory check, in Double.
                try checkAllocation(elementCount: dims.reduce(1, *), memory: memory)
                throw EngineError("size \(format(d)) is too large", hint: hint)
            }
            shape.append(Int(d))
        }
        if shape.contains(0) { return shape }
        var product = 1
        for n in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: n)
            if overflow {
                try checkAllocation(elementCount: dims.reduce(1, *), memory: memory)
            }
            product = next
        }
        try checkAllocation(elementCount: Double(product), memory: memory)
        return shape
    }

    /// The element count of an integer shape, checked for negative sizes, overflow and memory.
    public static func checkedElementCount(_ shape: [Int]) throws -> Int {
        try checkedShape(shape.map(Double.init), memory: physicalMemory).reduce(1, *)
    }

    /// Throws if a tensor of `elements` elements would not fit in the allowed memory.
    public static func checkAllocation(elements: Int) throws {
        guard elements >= 0 else {
            throw EngineError("a tensor cannot have a negative number of elements (\(elements))",
                              hint: "sizes must be whole numbers ≥ 0")
        }
        try checkAllocation(elementCount: Double(elements), memory: physicalMemory)
        try checkLiveMemory(elements: elements)
    }

    /// Allocations smaller than this skip the look at the process's memory use.
    static let liveCheckThreshold = 16 << 20

    /// Throws when `elements` new elements, twice over, do not fit in half the physical
    /// memory beside what the process already uses (its resident set).
    static func checkLiveMemory(elements: Int) throws {
        let bytes = Double(elements) * Double(bytesPerElement)
        guard bytes >= Double(liveCheckThreshold) else { return }
        let allowed = Double(physicalMemory / 2)
        let inUse = Double(residentBytes())
        guard inUse + 2 * bytes > allowed else { return }
        throw EngineError(
            "this would need \(formatBytes(bytes)) (\(formatCount(Double(elements))) elements of "
                + "\(bytesPerElement) bytes) and as much again for a result, but nns may use \(formatBytes(allowed)) "
                + "in all (half of the machine's \(formatBytes(Double(physicalMemory)))) and already uses \(formatBytes(inUse))",
            hint: "use smaller sizes, or drop tensors you no longer need (x = none)")
    }

    /// The process's resident memory in bytes, from /proc/self/statm; 0 when unknown.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func checkAllocation(elementCount: Double, memory: UInt64) throws {
        guard elementCount > Double(elementLimit(memory: memory)) else { return }
        let bytes = elementCount * Double(bytesPerElement)
        throw EngineError(
            "this would need \(formatBytes(bytes)) (\(formatCount(elementCount)) elements of "
                + "\(bytesPerElement) bytes) but the machine has \(formatBytes(Double(memory)))",
            hint: "use smaller sizes: one tensor may hold at most "
                + "\(formatCount(Double(elementLimit(memory: memory)))) elements (half the memory)")
    }

    /// Bytes in binary units: `512 B`, `1.5 KiB`, `24 GiB`, `3.3 YiB`.
    public static func formatBytes(_ bytes: Double) -> String {
        guard bytes.isFinite else { return "more bytes than a Double can count" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
        var value = bytes
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value)) B" }
        if value >= 10 || value == value.rounded() {
            return "\(Int(value.rounded())) \(units[unit])"
        }
        return String(format: "%.1f", value) + " " + units[unit]
    }

    /// A count as digits when short (`784`, `1000000`), else in scientific form (`1e24`, `2.5e13`).
    public static func formatCount(_ n: Double) -> String {
        if n < 1e7 { return format(n) }
        guard n.isFinite else { return "more than 1e308" }
        var exponent = Int(Foundation.log10(n).rounded(.down))
        var mantissa = n / Foundation.pow(10, Double(exponent))
        mantissa = (mantissa * 100).rounded() / 100
        if mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        let text = mantissa == mantissa.rounded() ? "\(Int(mantissa))" : "\(mantissa)"
        return "\(text)e\(exponent)"
    }

    /// A number as a user wrote it: `3` rather than `3.0`.
    static func format(_ d: Double) -> String { ShortestNumber.text(d) }
}
