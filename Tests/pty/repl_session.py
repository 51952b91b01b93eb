#!/usr/bin/env python3
"""Drives real nns REPL sessions through a pseudo-terminal (pexpect).

Checks the REPL end to end the way a student meets it: the SPEC §12 network stepped
forward (z¹ = [0.52, 0.43], a¹ = [0.627, 0.606], z² = 0.979, ŷ = 0.727) and backward
with target 1 (δ² = −0.0542, ∂C/∂W² = [−0.0340, −0.0328]), :grad, a long :train stopped
with Ctrl-C (prompt back, weights changed, network still bound), an error that loses no
binding, Tab completion, Ctrl-C on a half-typed line, Ctrl-D, and the history file read by
a second session. Then piped input: no prompts and no escape codes.

    python3 Tests/pty/repl_session.py [path/to/nns]      (default .build/debug/nns)
Needs pexpect (pip install pexpect). Exits non-zero on the first failed check.
"""
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback

import pexpect

NNS = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/nns")
PROMPT = "nns> "
NET = ("net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2]) |> sigmoid "
       "|> linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3]) |> sigmoid")


def spawn(home):
    env = dict(os.environ, HOME=home, TERM="xterm", COLUMNS="100", LC_ALL="C.UTF-8")
    # Ctrl-C makes the terminal driver flush its output queue, which can cut a UTF-8
    # character of the progress bar in two: decode leniently.
    child = pexpect.spawn(NNS, env=env, encoding="utf-8", codec_errors="replace", timeout=20,
                          dimensions=(40, 100))
    if os.environ.get("PTY_VERBOSE"):
        child.logfile_read = sys.stdout
    return child


def step(child, what):
    """Waits for the step-through pause, checking what the page showed."""
    child.expect(r"next · c continue · q quit")
    for value in what:
        assert value in child.before, f"expected {value!r} in step page:\n{child.before}"


def first_session(home):
    child = spawn(home)
    child.expect(PROMPT)

    # Continuation prompt: a line ending with |> asks for more.
    child.sendline("net = linear(2, 2, weight: [[0.2, 0.4], [0.3, 0.1]], bias: [0.1, 0.2]) |>")
    child.expect(r"\.\.\.> ")
    child.sendline("  sigmoid |> linear(2, 1, weight: [[0.6, 0.5]], bias: [0.3]) |> sigmoid")
    child.expect(r"linear\(2, 2\) \|> sigmoid \|> linear\(2, 1\) \|> sigmoid")
    child.expect(PROMPT)
    child.sendline("x = [0.5, 0.8];")          # a trailing ; silences the echo
    child.expect(PROMPT)
    echoed = child.before.split("\n", 1)[-1]   # what came after the typed line
    assert "0.5" not in echoed, f"x = ...; echoed:\n{child.before}"

    # :step forward — one layer per key press, the notes' numbers in turn.
    child.sendline(":step forward net x")
    step(child, ["z¹ = W¹·a⁰ + b¹", "0.520", "0.430"])
    child.send("\r")
    step(child, ["a¹ = σ(z¹)", "0.627", "0.606"])
    child.send("\r")
    step(child, ["z² = W²·a¹ + b²", "0.979"])
    child.send("\r")
    child.expect(r"a²\s+\[1\]\s+\[0\.727\]")
    child.expect(PROMPT)

    # q stops a step-through early.
    child.sendline(":step forward net x")
    step(child, ["0.520"])
    child.send("q")
    child.expect(r"stopped at layer 1 of 4")
    child.expect(PROMPT)

    # :step backward — the loss, then δ², ∂C/∂W² = δ²·(a¹)ᵀ, then the rest with c.
    child.sendline(":step backward net x [1]")
    step(child, ["loss mse", "0.0373"])
    child.send("\r")
    step(child, ["δ² = ∂C/∂a² ⊙ σ'(z²)", "-0.0542", "∂C/∂W² = δ²·(a¹)ᵀ", "[[-0.0340, -0.0328]]"])
    child.send("c")
    child.expect(r"δ¹\s+\[2\]\s+\[-0\.00760, -0\.00647\]")
    child.expect(PROMPT)

    # :grad — a table per parameter.
    child.sendline(":grad net x [1]")
    child.expect(r"2\.weight\s+1×2\s+0\.0473")
    child.expect(PROMPT)

    # :trace shows the notes' trace table in both modes, ending in d/dx log(sin x²) at 1
    # = 2·cos(1)/sin(1) = 1.2842.
    child.sendline("f = fn(x) => log(sin(x^2))")
    child.expect(PROMPT)
    child.sendline(":trace f(1.0)")
    child.expect(r"forward mode at x = 1")
    child.expect(r"v̇₂ = cos v₁ · v̇₁")
    child.expect(r"reverse mode at x = 1")
    child.expect(r"x̄\s+= v̄₁ · 2x\s+= 1\.2842")
    child.expect(PROMPT)

    # :help for a command and for a builtin (text from the builtin registry).
    child.sendline(":help step")
    child.expect(r"Enter next, c continue")
    child.expect(PROMPT)
    child.sendline(":help linear")
    child.expect(r"linear\(in, out")
    child.expect(PROMPT)

    # A long :train, stopped with Ctrl-C: prompt back, weights changed, net still bound.
    child.sendline("xor = dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]]);")
    child.expect(PROMPT)
    child.sendline(":train net xor epochs: 10000000 optimizer: 0.5")
    child.expect(r"epoch \d+/10000000")        # the progress bar is drawn
    time.sleep(2.0)
    child.sendcontrol("c")
    child.expect(r"stopped by Ctrl-C", timeout=30)
    child.expect(PROMPT)
    child.sendline("sum(abs(net[0].weight - [[0.2, 0.4], [0.3, 0.1]])) > 0")
    child.expect(r"\btrue\b")
    child.expect(PROMPT)

    # An error, then every earlier binding is still there.
    child.sendline("y = undefined_name + 1")
    child.expect(r"error")
    child.expect(PROMPT)
    child.sendline(":vars")
    child.expect(PROMPT)
    for name in ["net", "x", "_"]:
        assert re.search(rf"^{re.escape(name)}\s", child.before, re.M), f":vars lacks {name}:\n{child.before}"
    assert not re.search(r"^y\s", child.before, re.M), "the failed binding y exists"

    # Tab completion: a command, then a name in scope.
    child.send(":gr\t")
    child.expect(r":grad ")
    child.send("ne\t")
    child.expect(r"net ")
    child.sendline("x [1]")
    child.expect(r"0\.weight")
    child.expect(PROMPT)

    # Ctrl-C on a half-typed line cancels it.
    child.send("foo(1,")
    child.sendcontrol("c")
    child.expect(PROMPT)
    child.sendline("1 + 1")
    child.expect(r"\b2\b")
    child.expect(PROMPT)

    # Ctrl-C right on the heels of type-ahead, many times: each must bring the prompt back
    # (a Ctrl-C landing while readline was reading a key once froze the prompt).
    rng = random.Random(0)
    for i in range(40):
        child.send("foo(1," * rng.randint(1, 3))
        if rng.random() < 0.5:
            time.sleep(rng.random() * 0.01)
        child.sendcontrol("c")
        child.expect(PROMPT)
        child.sendline(f"{i} + 1000")
        child.expect(rf"\b{i + 1000}\b")
        child.expect(PROMPT)

    child.sendline("last_line_of_session_one = 42")
    child.expect(PROMPT)
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, f"exit status {child.exitstatus}"


def second_session(home):
    child = spawn(home)
    child.expect(PROMPT)
    child.send("\x1b[A")                     # Up: the first session's last line
    child.expect(r"last_line_of_session_one = 42")
    child.sendcontrol("u")
    child.sendline(":quit")
    child.expect(pexpect.EOF)


def piped():
    out = subprocess.run([NNS], input="x = 2\nx * 3\n", capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out
    assert out.stdout.split() == ["2", "6"], repr(out.stdout)
    assert "\x1b" not in out.stdout + out.stderr, repr(out.stdout)
    help_out = subprocess.run([NNS], input=":help\n", capture_output=True, text=True, timeout=60)
    assert ":step" in help_out.stdout and "\x1b" not in help_out.stdout, repr(help_out.stdout)


def main():
    home = tempfile.mkdtemp(prefix="nns-pty-home-")
    first_session(home)
    history = open(os.path.join(home, ".nns_history"), encoding="utf-8").read()
    assert ":step forward net x" in history, history
    second_session(home)
    piped()
    print("pty REPL session: all checks passed")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, pexpect.ExceptionPexpect) as failure:
        # Where it failed (which step of which session), then what pexpect saw.
        print("pty REPL session FAILED at:", file=sys.stderr)
        traceback.print_tb(failure.__traceback__, file=sys.stderr)
        print(failure, file=sys.stderr)
        sys.exit(1)
