import Testing
@testable import NNEngine

@Suite struct HistoryTests {
    private func sample(validation: Bool, accuracy: Bool) -> History {
        var h = History(hasAccuracy: accuracy, hasValidation: validation)
        h.rows = [
            .init(epoch: 1, loss: 0.5, accuracy: accuracy ? 0.8 : nil, validationLoss: validation ? 0.6 : nil,
                  validationAccuracy: validation && accuracy ? 0.75 : nil, seconds: 1.5, learningRate: 0.1, examples: 10),
            .init(epoch: 2, loss: 0.25, accuracy: accuracy ? 0.9 : nil, validationLoss: validation ? 0.4 : nil,
                  validationAccuracy: validation && accuracy ? 0.85 : nil, seconds: 1.25, learningRate: 0.05, examples: 10),
        ]
        return h
    }

    @Test func columnsByName() {
        let h = sample(validation: true, accuracy: true)
        #expect(h.columnNames == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds", "lr"])
        #expect(h.column("epoch") == [1, 2])
        #expect(h.column("loss") == [0.5, 0.25])
        #expect(h.column("val_accuracy") == [0.75, 0.85])
        #expect(h.column("lr") == [0.1, 0.05])
        #expect(h.column("nonsense") == nil)
    }

    @Test func regressionWithoutValidationHasFewerColumns() {
        let h = sample(validation: false, accuracy: false)
        #expect(h.columnNames == ["epoch", "loss", "seconds", "lr"])
        #expect(h.column("accuracy") == nil && h.column("val_loss") == nil)
    }

    @Test func printsAsATable() {
        var h = sample(validation: false, accuracy: true)
        h.interrupted = true
        let lines = h.description.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("epoch") && lines[0].contains("accuracy"))
        // Widths by hand: epoch 5, loss 6 ("0.2500"), accuracy 8, seconds 7, lr 4 ("0.05"); two blanks between.
        #expect(lines[0] == "epoch    loss  accuracy  seconds    lr")
        #expect(lines[2] == "    2  0.2500    0.9000     1.25  0.05")
        #expect(lines[3].contains("interrupted"))
    }

    @Test func tableColumnsAlignWithFixedDecimals() {
        let h = sample(validation: true, accuracy: true)
        let lines = h.description.split(separator: "\n").map(String.init)
        // Every row as wide as the header, no trailing blanks, losses with 4 decimals.
        #expect(lines.allSatisfy { $0.count == lines[0].count && !$0.hasSuffix(" ") })
        #expect(lines[0].contains("val_accuracy"))
        let cells = lines[1].split(separator: " ")
        #expect(cells.count == lines[0].split(separator: " ").count)
        #expect(cells[1].split(separator: ".").last?.count == 4)
    }
}
