import NNEngine

/// The nns language: lexer, parser and interpreter over the engine.
public enum NNSLanguage {
    public static let version = "0.1.0"
}
