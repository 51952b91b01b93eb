import CReadline
import NNSLanguage

/// The interactive shell over the language.
public enum REPL {}
