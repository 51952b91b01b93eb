import Testing
@testable import NNEngine

private func csv(_ text: String, target: CSV.Column? = nil, header: Bool = true) throws -> Dataset {
    try CSV.parse(Array(text.utf8), name: "data.csv", target: target, header: header)
}

private func message(_ body: () throws -> Any) -> String? {
    do { _ = try body(); return nil } catch let e as EngineError { return e.message } catch { return "\(error)" }
}

@Suite struct CSVTests {
    @Test func headerTargetByNameAndIndex() throws {
        let text = "a,label,b\n1,0,2\n3,1,4.5\r\n\n-5e-1,2,6\n"
        let byName = try csv(text, target: .name("label"))
        #expect(byName.count == 3 && byName.inputWidth == 2 && byName.classCount == 3)
        #expect(byName.x.scalars == [1, 2, 3, 4.5, -0.5, 6])
        #expect(byName.y.scalars == [0, 1, 2])
        #expect(byName.featureNames == ["a", "b"])
        let byIndex = try csv(text, target: .index(1))
        #expect(byIndex.x == byName.x)
        // Default target: the last column, here real numbers → regression.
        let last = try csv(text)
        #expect(!last.hasLabels && last.y.scalars == [2, 4.5, 6])
    }

    @Test func quotedFieldsAndClassNames() throws {
        let text = "\"x, first\",y,species\n\"1\",2,\"setosa\"\n3,\"4\",versicolor\n5,6,\"setosa\"\n"
        let data = try csv(text)
        #expect(data.x.scalars == [1, 2, 3, 4, 5, 6])
        #expect(data.classNames == ["setosa", "versicolor"])
        #expect(data.y.scalars == [0, 1, 0])
        #expect(data.featureNames == ["x, first", "y"])
        let escaped = try csv("\"say \"\"hi\"\"\",t\n1,0\n", target: .index(1))
        #expect(escaped.featureNames == ["say \"hi\""])
    }

    @Test func noHeader() throws {
        let data = try csv("1,2,0\n3,4,1\n", target: .index(-1), header: false)
        #expect(data.count == 2 && data.y.scalars == [0, 1])
        #expect(message { try csv("1,2,0\n", target: .name("y"), header: false) }?.contains("no header") == true)
    }

    @Test func badCellNamesLineAndColumn() {
        let text = "a,b,y\n1,2,0\n3,abc,1\n"
        #expect(message { try csv(text) } == "data.csv:3:2: not a number: \"abc\"")
        #expect(message { try csv("a,b,y\n1,,0\n") } == "data.csv:2:2: missing value (empty cell)")
        #expect(message { try csv("a,b,y\n1,nan,0\n") } == "data.csv:2:2: missing value: \"nan\"")
        #expect(message { try csv("a,b,y\n1,inf,0\n") } == "data.csv:2:2: not a finite number: \"inf\"")
        // A quoted field spanning lines moves the line count on.
        #expect(message { try csv("a,b,y\n\"1\n\",2,0\n3,x,1\n") } == "data.csv:4:2: not a number: \"x\"")
    }

    @Test func raggedRowsAndMissingColumns() {
        #expect(message { try csv("a,b,y\n1,2,0\n3,4\n") } == "data.csv:3: expected 3 fields (as in the header) but found 2")
        #expect(message { try csv("a,b,y\n1,2,0\n", target: .name("label")) } == "data.csv: no column named \"label\"; the columns are: a, b, y")
        #expect(message { try csv("a,b,y\n1,2,0\n", target: .index(5)) }?.contains("does not exist") == true)
        #expect(message { try csv("a,b\n\"1,2\n") }?.contains("never closed") == true)
        #expect(message { try csv("a,b\n") }?.contains("no data rows") == true)
        #expect(message { try csv("") }?.contains("empty") == true)
        #expect(message { try csv("a;b;c\n1;2;3\n") }?.contains("at least two columns") == true)
    }
}
