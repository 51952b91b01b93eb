"""The Pygments lexer and the TextMate grammar classify every token of every sample."""

import os

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Name, Text, Token

from conftest import ROOT, samples
from nns_kernel.lexer import NNSLexer
from textmate import Grammar, unclassified

SOURCES = samples()
EXTRA = """
:train net data epochs: 5 batch: 32 optimizer: adam(lr: 0.001)
s = "tab\\there \\"quoted\\" \\\\ done"   # a comment
x = .5 + 1_000 * 1e-3 - 2.5E+2 % 3 @ w ^ 2
fn f(x) => log(sin(x^2))
if a != b and not c or d <= e { return none } else { y = true }
"""


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("path", SOURCES + ["<extra>"], ids=lambda p: os.path.basename(p))
def test_pygments_classifies_every_token(path):
    source = EXTRA if path == "<extra>" else read(path)
    lexer = NNSLexer()
    bad = [(t, v) for t, v in lexer.get_tokens(source)
           if v.strip() and (t in Error or t is Token or t is Text)]
    assert bad == [], f"unclassified tokens in {path}: {bad[:10]}"


def test_pygments_finds_the_lexer_through_its_entry_point():
    assert get_lexer_for_filename("lesson.nns").name == "nns"
    tokens = list(get_lexer_by_name("nns").get_tokens("net = linear(2, 2) |> relu  # hidden"))
    kinds = {value: kind for kind, value in tokens}
    assert kinds["linear"] in Name.Builtin and kinds["net"] is Name
    assert kinds["|>"] in Token.Operator and kinds["# hidden"] in Token.Comment


@pytest.mark.parametrize("path", SOURCES + ["<extra>"], ids=lambda p: os.path.basename(p))
def test_textmate_grammar_classifies_every_token(path):
    grammar = Grammar(os.path.join(ROOT, "editors", "nns.tmLanguage.json"))
    source = EXTRA if path == "<extra>" else read(path)
    assert unclassified(grammar, source) == []


def test_textmate_grammar_scopes():
    grammar = Grammar(os.path.join(ROOT, "editors", "nns.tmLanguage.json"))
    source = 'h = train(net, xor_gate, epochs: 10)  # "quoted"\nprint("a\\n")'
    found = {source.split("\n")[n - 1][s:e]: scopes[-1] for n, s, e, scopes in grammar.tokenize(source)}
    assert found["train"] == "support.function.builtin.nns"
    assert found["epochs"] == "variable.parameter.label.nns"
    assert found['# "quoted"'] == "comment.line.number-sign.nns"
    assert found["\\n"] == "constant.character.escape.nns"
    assert found["10"] == "constant.numeric.nns"
