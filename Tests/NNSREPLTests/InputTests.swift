import NNSLanguage
import Testing
@testable import NNSREPL

@Suite struct InputTests {
    /// Scripting essentials on one line are complete entries; a trailing `in` continues.
    /// (The REPL decides with the language's own lexer, so these hold for code and commands.)
    @Test func membershipSlicesAndFStringsOnOneLine() {
        #expect(!Parser.isIncomplete("x in xs"))
        #expect(!Parser.isIncomplete("x not in [1, 2]"))
        #expect(Parser.isIncomplete("ok = x not in"))
        #expect(!Parser.isIncomplete("xs[1:3]"))
        #expect(!Parser.isIncomplete(#"f"{x:>8.2f} {{braces}}""#))
        #expect(!Parser.isIncomplete(#"f"{r["lr"]}""#))
        #expect(REPL.keywords.contains("break") && REPL.keywords.contains("continue"))
    }

    @Test func continuesWhileBracketsAreOpenOrAfterAPipe() {
        #expect(Parser.isIncomplete("net = linear(2, 2,"))
        #expect(Parser.isIncomplete("net = linear(2, 2) |>"))
        #expect(Parser.isIncomplete("fn f(x) {\n  y = x"))
        #expect(Parser.isIncomplete("x = 1 +   # more to come"))
        #expect(Parser.isIncomplete("if a and"))
        #expect(!Parser.isIncomplete("x = [1, 2]"))
        #expect(!Parser.isIncomplete("s = \"(\""))       // a bracket in a string
        #expect(!Parser.isIncomplete("x = 1 # ("))        // a bracket in a comment
        #expect(!Parser.isIncomplete("x = ]"))            // the parser reports this one
        #expect(!Parser.isIncomplete("x = min"))          // ends in "in", but not the word
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

    /// Command arguments are the language's call arguments: blanks or commas between them,
    /// `a [1]` two arguments but `a[1]` one index, a string holds its blanks, and a command's
    /// line goes on exactly where code would.
    @Test func commandArgumentsFollowTheLanguagesGrammar() throws {
        let g = try #require(CommandInvocation(":grad net, x[0] [1] loss: cross_entropy"))
        #expect(g.positional == ["net", "x[0]", "[1]"])
        #expect(g.options.map(\.value) == ["cross_entropy"])
        let m = try #require(CommandInvocation(":stats net xs |> f x in ys"))
        #expect(m.positional == ["net", "xs |> f", "x in ys"])
        let q = try #require(CommandInvocation(#":summary "a b" f(1, "c d")"#))
        #expect(q.positional == [#""a b""#, #"f(1, "c d")"#])
        let p = try #require(CommandInvocation(":step forward net [1, 2] --page out dir/w.html"))
        #expect(p.positional == ["forward", "net", "[1, 2]"] && p.flags == "--page out dir/w.html")
        #expect(try CommandInvocation.words(in: #"a "b c" d\"e"#) == ["a", "b c", #"d\"e"#])
        #expect(CommandInvocation.isIncomplete(":train net data optimizer: sgd(lr: 0.1,"))
        #expect(CommandInvocation.isIncomplete(":stats net x in"))
        #expect(!CommandInvocation.isIncomplete(":stats net x in xs"))
        #expect(!CommandInvocation.isIncomplete(":load runs/"))      // a word: complete as typed
        #expect(!CommandInvocation.isIncomplete(":help :step"))
        let bad = try #require(CommandInvocation(":train net data epochs: 3 5"))
        #expect(throws: CommandError.self) { try bad.arguments(2, options: true, usage: ":train") }
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
