"""A Pygments lexer for nns (SPEC §2), registered as the ``pygments.lexers`` entry point ``nns``
so that notebooks, nbconvert's HTML and Sphinx highlight ``.nns`` code and nns cells."""

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String,
                            Whitespace)

__all__ = ["NNSLexer"]

#: The builtins and the standard library's names (SPEC §6–§17); other names lex as plain names.
BUILTINS = (
    "abs", "adagrad", "adam", "and_gate", "append", "argmax", "args", "avgpool", "backward_steps",
    "batch", "batchnorm", "batchnorm2d", "bce", "conv2d", "copy", "cos", "cosine", "cross_entropy",
    "csv", "dataset", "dropout", "elu", "evaluate", "exp", "exp_decay", "explain", "export",
    "export_training", "fashion_mnist", "flatten", "floor", "forward_steps", "gelu", "grad",
    "gradcheck", "gradients", "graph", "identity", "idx", "inv_decay", "json", "leaky_relu", "len",
    "linear", "list", "load", "log", "loss_of", "max", "maxpool", "mean", "min", "mlp", "mnist",
    "mse", "nand_gate", "nor_gate", "normalize", "not_gate", "nparams", "onehot", "ones", "or_gate",
    "params", "plot", "plot_boundary", "plot_features", "plot_weights", "predict", "print", "rand",
    "randn", "range", "relu", "replay", "reshape", "rmsprop", "round", "save", "seed", "sgd",
    "shape", "sigmoid", "sin", "softmax", "split", "sqrt", "step", "step_decay", "str", "sum",
    "summary", "tanh", "tensor", "trace", "train", "transpose", "type", "xor_gate", "zeros",
)

NUMBER = r"(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?"


class NNSLexer(RegexLexer):
    """nns source: ``#`` comments, double-quoted strings with ``\\n \\t \\" \\\\``, numbers such as
    ``1_000`` and ``1e-3``, the pipe ``|>``, and the REPL's ``:commands`` at the start of a line."""

    name = "nns"
    aliases = ["nns"]
    filenames = ["*.nns"]
    mimetypes = ["text/x-nns"]

    tokens = {
        "root": [
            (r"[ \t\r]+", Whitespace),
            (r"\n", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r"^(\s*)(:)([A-Za-z_][A-Za-z0-9_]*)", bygroups(Whitespace, Punctuation, Keyword.Pseudo)),
            (r'"', String.Double, "string"),
            (r"(fn)(\s+)([A-Za-z_][A-Za-z0-9_]*)", bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (words(("fn",), suffix=r"\b"), Keyword.Declaration),
            (words(("import",), suffix=r"\b"), Keyword.Namespace),
            (words(("if", "else", "for", "in", "while", "return"), suffix=r"\b"), Keyword),
            (words(("true", "false", "none"), suffix=r"\b"), Keyword.Constant),
            (words(("and", "or", "not"), suffix=r"\b"), Operator.Word),
            (r"([A-Za-z_][A-Za-z0-9_]*)(\s*)(:)(?!:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (words(BUILTINS, suffix=r"\b"), Name.Builtin),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name),
            (NUMBER, Number.Float),
            (r"\|>|=>|==|!=|<=|>=|[-+*/%@^<>=]", Operator),
            (r"[()\[\]{},;.:]", Punctuation),
        ],
        "string": [
            (r'\\[nt"\\]', String.Escape),
            (r'[^"\\\n]+', String.Double),
            (r'"', String.Double, "#pop"),
        ],
    }
