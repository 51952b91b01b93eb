import Testing
@testable import NNSREPL

@Suite struct InputTests {
    /// Scripting essentials on one line are complete entries; a trailing `in` continues.
    @Test func membershipSlicesAndFStringsOnOneLine() {
        #expect(!InputScanner("x in xs").isIncomplete)
        #expect(!InputScanner("x not in [1, 2]").isIncomplete)
        #expect(InputScanner("ok = x not in").isIncomplete)
        #expect(!InputScanner("xs[1:3]").isIncomplete)
        #expect(!InputScanner(#"f"{x:>8.2f} {{braces}}""#).isIncomplete)
        #expect(!InputScanner(#"f"{r["lr"]}""#).isIncomplete)
        #expect(REPL.keywords.contains("break") && REPL.keywords.contains("continue"))
    }

    @Test func continuesWhileBracketsAreOpenOrAfterAPipe() {
        #expect(InputScanner("net = linear(2, 2,").isIncomplete)
        #expect(InputScanner("net = linear(2, 2) |>").isIncomplete)
        #expect(InputScanner("fn f(x) {\n  y = x").isIncomplete)
        #expect(InputScanner("x = 1 +   # more to come").isIncomplete)
        #expect(InputScanner("if a and").isIncomplete)
        #expect(!InputScanner("x = [1, 2]").isIncomplete)
        #expect(!InputScanner("s = \"(\"").isIncomplete)       // a bracket in a string
        #expect(!InputScanner("x = 1 # (").isIncomplete)        // a bracket in a comment
        #expect(!InputScanner("x = ]").isIncomplete)            // the parser reports this one
        #expect(!InputScanner("x = min").isIncomplete)          // ends in "in", but not the word
    }

    @Test func commandsSplitIntoPositionalArgumentsAndOptions() throws {
        let c = try #require(CommandInvocation(":train net data epochs: 5, batch: 32 optimizer: sgd(lr: 0.1, momentum: 0.9)"))
        #expect(c.name == "train")
        #expect(c.positional == ["net", "data"])
        #expect(c.options.map(\.key) == ["epochs", "batch", "optimizer"])
        #expect(c.options.map(\.value) == ["5", "32", "sgd(lr: 0.1, momentum: 0.9)"])
        #expect(c.optionSource == "epochs: 5, batch: 32, optimizer: sgd(lr: 0.1, momentum: 0.9)")

        let g = try #require(CommandInvocation(":grad net [0.5, 0.8] [1] cross_entropy"))
        #expect(g.positional == ["net", "[0.5, 0.8]", "[1]", "cross_entropy"])
        let e = try #require(CommandInvocation(":stats net x + 1"))
        #expect(e.positional == ["net", "x + 1"])
        let r = try #require(CommandInvocation("  :time  train(net, d)  "))
        #expect(r.rest == "train(net, d)")
        #expect(CommandInvocation("x = 1") == nil)
        let s = try #require(CommandInvocation(":step forward net {a: 1}"))
        #expect(s.positional == ["forward", "net", "{a: 1}"])
    }

    @Test func traceSplitsTheFinalCall() {
        #expect(EvaluationCommands.splitCall("f(1.0, 2)")! == ("f", "1.0, 2"))
        #expect(EvaluationCommands.splitCall("grad(f)(1.0)")! == ("grad(f)", "1.0"))
        #expect(EvaluationCommands.splitCall("f") == nil)
    }

    @Test func completionOffersCommandsNamesAndPaths() {
        let completer = Completer(commands: [":train", ":trace", ":load", ":save", ":step", ":help"]) {
            ["net", "network2", "linear", "len"]
        }
        #expect(completer.complete(lineBeforeCursor: ":tr", word: ":tr") == .words([":trace", ":train"]))
        #expect(completer.complete(lineBeforeCursor: "x = ne", word: "ne") == .words(["net", "network2"]))
        #expect(completer.complete(lineBeforeCursor: ":load sam", word: "sam") == .files)
        #expect(completer.complete(lineBeforeCursor: ":save ne", word: "ne") == .words(["net", "network2"]))
        #expect(completer.complete(lineBeforeCursor: ":save net ru", word: "ru") == .files)
        #expect(completer.complete(lineBeforeCursor: ":step b", word: "b") == .words(["backward"]))
        #expect(completer.complete(lineBeforeCursor: ":help l", word: "l") == .words(["len", "linear", "load"]))
    }

    @Test func historySkipsBlanksAndRepeats() {
        #expect(HistoryFile.shouldRecord("x = 1", after: nil))
        #expect(!HistoryFile.shouldRecord("x = 1", after: "x = 1"))
        #expect(!HistoryFile.shouldRecord("   ", after: nil))
    }
}
