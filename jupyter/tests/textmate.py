"""A small TextMate grammar interpreter, enough to check editors/nns.tmLanguage.json: `match`
rules with captures, `begin`/`end` rules with inner patterns, `include` of repository rules,
and TextMate's choice of the leftmost match (the earlier rule on a tie). The grammar's
regexes are written in the subset Oniguruma and Python's `re` share."""

import json
import re


class Grammar:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.data = json.load(f)
        self.repository = self.data.get("repository", {})
        self.cache = {}

    def rules(self, patterns):
        """`patterns` with includes resolved, as a flat list of rules."""
        out = []
        for rule in patterns:
            if "include" in rule:
                name = rule["include"]
                assert name.startswith("#"), f"only repository includes are used: {name}"
                out.extend(self.rules([self.repository[name[1:]]]))
            elif "match" in rule or "begin" in rule:
                out.append(rule)
            else:
                out.extend(self.rules(rule.get("patterns", [])))
        return out

    def regex(self, text):
        if text not in self.cache:
            self.cache[text] = re.compile(text)
        return self.cache[text]

    def tokenize(self, source):
        """Yields (line number, start, end, scopes) for every matched piece of every line; text
        in no rule's match is not yielded (the caller reports it)."""
        root = self.data["scopeName"]
        stack = []   # open begin/end rules
        for number, line in enumerate(source.split("\n"), 1):
            pos = 0
            while pos <= len(line):
                scopes = [root] + [r.get("name", "") for r in stack]
                patterns = self.rules(stack[-1].get("patterns", [])) if stack else self.rules(self.data["patterns"])
                best = None
                if stack:
                    end = self.regex(stack[-1]["end"]).search(line, pos)
                    if end:
                        best = (end.start(), -1, end, None)
                for order, rule in enumerate(patterns):
                    m = self.regex(rule.get("match") or rule["begin"]).search(line, pos)
                    if m and (best is None or m.start() < best[0]):
                        best = (m.start(), order, m, rule)
                if best is None:
                    if stack and pos < len(line):
                        yield number, pos, len(line), scopes   # inside a region: its scope
                    break
                start, _, m, rule = best
                if stack and start > pos:
                    yield number, pos, start, scopes
                if rule is None:   # the open rule ends
                    closing = stack.pop()
                    yield number, m.start(), m.end(), scopes + [closing.get("endCaptures", {}).get("0", {}).get("name", "")]
                elif "match" in rule:
                    yield from self.captured(number, m, rule, scopes, "captures")
                else:
                    yield from self.captured(number, m, rule, scopes + [rule.get("name", "")], "beginCaptures")
                    stack.append(rule)
                # A zero-width match (a string's `$` end) must still move on.
                pos = m.end() if m.end() > m.start() else m.end() + 1
            # A string left open at the end of a line is closed by its `$` end above.

    @staticmethod
    def captured(number, m, rule, scopes, key):
        captures = rule.get(key, {})
        name = rule.get("name")
        if name or "0" in captures:
            yield number, m.start(), m.end(), scopes + [name or captures["0"]["name"]]
        for group, capture in captures.items():
            if group != "0" and m.start(int(group)) >= 0:
                yield number, m.start(int(group)), m.end(int(group)), scopes + [capture["name"]]


def unclassified(grammar, source):
    """Non-blank characters no rule gives a scope, and pieces whose scope says `invalid`:
    a list of (line, column, text) — empty when every token is classified."""
    covered = {}
    problems = []
    for number, start, end, scopes in grammar.tokenize(source):
        named = [s for s in scopes[1:] if s]
        if any("invalid" in s for s in named):
            problems.append((number, start + 1, source.split("\n")[number - 1][start:end]))
        if named:
            covered.setdefault(number, set()).update(range(start, end))
    for number, line in enumerate(source.split("\n"), 1):
        for column, ch in enumerate(line):
            if not ch.isspace() and column not in covered.get(number, set()):
                problems.append((number, column + 1, ch))
    return problems
