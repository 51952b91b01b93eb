import Foundation
import Testing
@testable import NNEngine

struct RandomTests {
    /// Reference values from an independent Python transcription of SplitMix64 seeding and
    /// xoshiro256** (Blackman & Vigna's C code).
    @Test func xoshiroMatchesTheReferenceStream() {
        var g = Xoshiro256StarStar(seed: 0)
        #expect(g.next() == 0x99ec_5f36_cb75_f2b4)
        #expect(g.next() == 0xbf6e_1f78_4956_452a)
        #expect(g.next() == 0x1a5f_849d_4933_e6e0)
        var h = Xoshiro256StarStar(seed: 42)
        #expect(h.next() == 0x1578_0b2e_0c2e_c716)
        #expect(h.next() == 0x6104_d986_6d11_3a7e)
    }

    @Test func boxMullerPairFromTheDocumentedUniforms() {
        var g = Xoshiro256StarStar(seed: 7)
        #expect(abs(g.normal() - -0.2790239910251981) < 1e-12)
        #expect(abs(g.normal() - 1.5277231859624536) < 1e-12)   // the spare
    }

    @Test func sameSeedSameStream() {
        let a = RandomSource(seed: 5), b = RandomSource(seed: 5)
        #expect(a.normals(count: 10) == b.normals(count: 10))
        a.seed(9); b.seed(9)
        #expect(a.permutation(20) == b.permutation(20))
        #expect(RandomSource(seed: 1).normals(count: 4) != RandomSource(seed: 2).normals(count: 4))
    }

    @Test func uniformAndNormalMoments() {
        var g = Xoshiro256StarStar(seed: 3)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0, uSum = 0.0
        var uMin = 1.0, uMax = 0.0
        for _ in 0..<n {
            let z = g.normal(); sum += z; sumSq += z * z
            let u = g.uniform(); uSum += u; uMin = min(uMin, u); uMax = max(uMax, u)
        }
        #expect(abs(sum / Double(n)) < 0.01)               // mean 0 ± 4.5σ/√n
        #expect(abs(sumSq / Double(n) - 1) < 0.015)        // variance 1
        #expect(abs(uSum / Double(n) - 0.5) < 0.003)
        #expect(uMin >= 0 && uMax < 1)
        let f = g.uniformFloat()
        #expect(f >= 0 && f < 1)
    }

    @Test func shuffleIsAPermutationAndUniformEnough() {
        var g = Xoshiro256StarStar(seed: 11)
        var counts = [Int](repeating: 0, count: 5)   // where element 0 ends up
        for _ in 0..<20_000 {
            let p = g.permutation(5)
            #expect(p.sorted() == [0, 1, 2, 3, 4])
            counts[p.firstIndex(of: 0)!] += 1
        }
        for c in counts { #expect(abs(c - 4000) < 300) }
        var empty: [Int] = []
        g.shuffle(&empty)
        #expect(g.integer(below: 1) == 0)
        for _ in 0..<1000 { #expect((0..<7).contains(g.integer(below: 7))) }
    }
}
