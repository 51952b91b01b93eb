/// Every REPL command, in the order `:help` lists them.
public enum CommandRegistry {
    public static let all: [REPLCommand] =
        SessionCommands.all + InspectCommands.all + StepCommands.all + TrainCommands.all
        + EvaluationCommands.all + FileCommands.all

    /// The command called `name` (without its colon).
    public static func command(named name: String) -> REPLCommand? {
        all.first { $0.name == name }
    }

    /// Command names with their colon, for completion.
    public static var names: [String] { all.map { ":" + $0.name } }
}
