import Testing
@testable import NNEngine

/// Buffers a training step writes on one core and reads on another (`RotatingBuffers`):
/// taken in turn, each keeping what was written to it until its turn comes again; a large
/// one written again in place.
@Suite struct RotatingBuffersTests {
    /// The storage of `t`, to tell buffers apart.
    private func address(_ t: Tensor) -> UnsafeRawPointer? {
        t.scalars.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// Writes `value` into every element of the current buffer, shaped `shape`, in place.
    private func write(_ value: Float, shape: [Int], into buffers: inout RotatingBuffers) {
        buffers.current.resize(to: shape)
        buffers.current.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
    }

    @Test func takesItsBuffersInTurn() {
        var buffers = RotatingBuffers()
        var seen = [UnsafeRawPointer?]()
        for step in 0..<8 {
            buffers.advance()
            if step >= RotatingBuffers.count {
                // The buffer written `count` steps ago, untouched since.
                #expect(buffers.current.scalars.allSatisfy { $0 == Float(step - RotatingBuffers.count) })
            }
            write(Float(step), shape: [64, 10], into: &buffers)
            seen.append(address(buffers.current))
        }
        #expect(Set(seen.prefix(RotatingBuffers.count)).count == RotatingBuffers.count)
        for step in RotatingBuffers.count..<seen.count { #expect(seen[step] == seen[step - RotatingBuffers.count]) }
    }

    @Test func writesALargeBufferAgainInPlace() {
        var buffers = RotatingBuffers()
        buffers.advance()
        write(1, shape: [RotatingBuffers.largestRotated + 1], into: &buffers)
        let first = address(buffers.current)
        buffers.advance()
        #expect(address(buffers.current) == first)
        #expect(buffers.current.scalars.allSatisfy { $0 == 1 })
        // At the limit it rotates.
        write(2, shape: [RotatingBuffers.largestRotated], into: &buffers)
        buffers.advance()
        #expect(buffers.current.count == 0)
    }

    /// A linear layer's training forwards write Z to its buffers in turn, with the same
    /// values as inference, which writes the latest one in place.
    @Test func linearOutputsRotateInTraining() throws {
        let layer = try Linear(inputs: 3, outputs: 2, weight: Tensor(shape: [2, 3], scalars: [1, 2, 3, -1, 0, 2]),
                               bias: Tensor(shape: [2], scalars: [0.5, -1]))
        let x = Tensor(shape: [2, 3], scalars: [1, 0, -1, 2, 1, 0])
        // z = W·x + b by hand: [1-3+0.5, -1-2-1] and [2+2+0.5, -2+0-1]
        let expected: [Float] = [-1.5, -4, 4.5, -3]
        var seen = [UnsafeRawPointer?]()
        for _ in 0..<4 {
            #expect(try layer.forward(x, mode: .training).scalars == expected)
            seen.append(address(layer.output))
        }
        #expect(Set(seen.prefix(3)).count == 3)
        #expect(seen[3] == seen[0])
        #expect(try layer.forward(x, mode: .inference).scalars == expected)
        let latest = address(layer.output)
        #expect(try layer.forward(x, mode: .inference).scalars == expected)
        #expect(address(layer.output) == latest)
    }
}
