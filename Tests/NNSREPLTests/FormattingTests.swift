import NNEngine
import Testing
import NNSLanguage
@testable import NNSREPL

@Suite struct FormattingTests {
    @Test func significantDigitsKeepTrailingZeros() {
        #expect(NumberFormat.significant(0.52) == "0.520")
        #expect(NumberFormat.significant(-0.033995) == "-0.0340")
        #expect(NumberFormat.significant(-0.0075987) == "-0.00760")
        #expect(NumberFormat.significant(0.72693) == "0.727")
        #expect(NumberFormat.significant(0.99962) == "1.00")
        #expect(NumberFormat.significant(12345.6) == "12346")
        #expect(NumberFormat.significant(3.2e-9) == "3.20e-09")
        #expect(NumberFormat.significant(0) == "0")
        #expect(NumberFormat.significant(-0.00001234, digits: 2) == "-1.2e-05")
        #expect(NumberFormat.significant(.nan) == "nan")
    }

    @Test func smallTensorsPrintInFull() {
        #expect(NumberFormat.tensor(Tensor(rows: [[0.2, 0.4], [0.3, 0.1]])) == "[[0.200, 0.400], [0.300, 0.100]]")
        #expect(NumberFormat.shape([256, 784]) == "256×784")
        #expect(NumberFormat.shape([]) == "scalar")
    }

    @Test func tablesAlignNumbersRightAndTextLeft() {
        var table = TextTable(header: ["name", "‖g‖"])
        table.add(["0.weight", "1.5"])
        table.add(["10.bias", "12.25"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == ["name        ‖g‖", "────────  ─────", "0.weight    1.5", "10.bias   12.25"])
    }

    @Test func progressLineFitsTheWidthAndShowsEverything() {
        let p = ProgressSnapshot(epoch: 2, epochs: 4, batch: 50, batches: 100, loss: 0.31234,
                                 accuracy: 0.912, samplesPerSecond: 25_300, secondsRemaining: 75)
        #expect(p.fraction == 0.375)   // (1·100 + 50) / 400
        let wide = ProgressBar.line(p, width: 120)
        #expect(wide.contains("epoch 2/4") && wide.contains("batch 50/100") && wide.contains("loss 0.3123")
                && wide.contains("acc 91.2%") && wide.contains("25.3k samples/s") && wide.contains("ETA 1:15"))
        // 30 cells, 37.5% → 11 filled.
        #expect(wide.filter { $0 == "█" }.count == 11)
        for width in [20, 40, 60, 80] {
            #expect(ProgressBar.line(p, width: width).count < width)
        }
        #expect(ProgressBar.duration(3725) == "1:02:05")
    }
}
