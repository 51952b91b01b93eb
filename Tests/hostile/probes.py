#!/usr/bin/env python3
"""What a hostile user tries, as a suite: every probe runs the release `nns` in its own
temporary folder and asserts the exit status (0, 1 or 2 as SPEC §1 says; never a signal),
the message, and that nothing outside that folder changed (/dev/null and /dev/full stay
character devices, a file beside the folder keeps its bytes, a symbolic link stays a link).

    python3 Tests/hostile/probes.py NNS_BINARY [STDLIB_DIR]

Prints one line per probe and "N passed, N failed"; exits 1 when any probe failed.
Run by tools/ci/hostile.sh as root and as an unprivileged user.
"""
import hashlib
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

NNS = os.path.abspath(sys.argv[1])
STDLIB = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else None
TIMEOUT = 60
DEVICES = ["/dev/null", "/dev/full", "/dev/zero"]

passed, failed = 0, []


def device_state():
    return {d: (stat.S_ISCHR(os.lstat(d).st_mode), os.lstat(d).st_rdev) for d in DEVICES if os.path.exists(d)}


def tree_state(root):
    """Every path under root with its kind and, for files, a hash of the bytes."""
    state = {}
    for base, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(base, name)
            info = os.lstat(path)
            digest = None
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                digest = os.readlink(path)
            state[os.path.relpath(path, root)] = (stat.S_IFMT(info.st_mode), digest)
    return state


class Probe:
    """One run of nns in a fresh folder `work`, beside a folder `outside` that must not change."""

    def __init__(self, name):
        self.name = name
        self.top = tempfile.mkdtemp(prefix="nns-hostile-")
        self.work = os.path.join(self.top, "work")
        self.outside = os.path.join(self.top, "outside")
        os.makedirs(self.work)
        os.makedirs(self.outside)
        with open(os.path.join(self.outside, "keep.txt"), "w") as f:
            f.write("an unrelated file\n")
        self.problems = []

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text)

    def env(self):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.work, "LANG": "C.UTF-8"}
        if STDLIB:
            env["NNS_STDLIB"] = STDLIB
        return env

    def run(self, args, stdin="", stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT, **kw):
        self.before = (device_state(), tree_state(self.outside))
        start = time.monotonic()
        try:
            p = subprocess.run([NNS] + args, input=stdin.encode(), stdout=stdout, stderr=stderr,
                               cwd=self.work, env=self.env(), timeout=timeout, **kw)
        except subprocess.TimeoutExpired:
            self.problems.append(f"did not finish within {timeout}s (a hang)")
            return None
        self.seconds = time.monotonic() - start
        self.rc = p.returncode
        self.out = (p.stdout or b"").decode("utf-8", "replace")
        self.err = (p.stderr or b"").decode("utf-8", "replace")
        self.check_untouched()
        return p

    def check_untouched(self):
        if device_state() != self.before[0]:
            self.problems.append(f"a device node changed: {self.before[0]} -> {device_state()}")
        if tree_state(self.outside) != self.before[1]:
            self.problems.append("a file outside the probe's folder changed")

    def expect(self, rc, out=None, err=None, no_err=False, max_out=None, max_err=None):
        if not hasattr(self, "rc"):
            return
        if self.rc < 0 or self.rc not in (0, 1, 2):
            self.problems.append(f"exit status {self.rc} (signal {-self.rc})" if self.rc < 0 else f"exit status {self.rc}")
        elif self.rc != rc:
            self.problems.append(f"exit status {self.rc}, expected {rc}")
        for text in [out] if isinstance(out, str) else (out or []):
            if text not in self.out:
                self.problems.append(f"stdout lacks {text!r}: {self.out[:300]!r}")
        for text in [err] if isinstance(err, str) else (err or []):
            if text not in self.err:
                self.problems.append(f"stderr lacks {text!r}: {self.err[:300]!r}")
        if no_err and self.err:
            self.problems.append(f"unexpected stderr {self.err[:300]!r}")
        if max_out is not None and len(self.out) > max_out:
            self.problems.append(f"stdout has {len(self.out)} characters, more than {max_out}")
        if max_err is not None and len(self.err) > max_err:
            self.problems.append(f"stderr has {len(self.err)} characters, more than {max_err}")

    def require(self, condition, message):
        if not condition:
            self.problems.append(message)

    def finish(self):
        global passed
        shutil.rmtree(self.top, ignore_errors=True)
        if self.problems:
            failed.append(self.name)
            print(f"✘ {self.name}")
            for p in self.problems:
                print(f"    {p}")
        else:
            passed += 1
            print(f"✔ {self.name}")


def probe(fn):
    p = Probe(fn.__name__)
    try:
        fn(p)
    except Exception as e:  # a broken probe is a failure, not a crash of the suite
        p.problems.append(f"probe raised {type(e).__name__}: {e}")
    p.finish()
    return fn


NET = "net = linear(2, 2) |> sigmoid |> linear(2, 1)\n"

# --- crashes: cycles -------------------------------------------------------------------


@probe
def copy_of_list_holding_itself(p):
    p.run(["-e", "r = [1]; append(r, r); c = copy(r); print(c); print(c[1] == c); c[0] = 2; print(r[0])"])
    p.expect(0, out=["[1, [...]]\n", "true\n", "1\n"])


@probe
def copy_of_record_holding_itself(p):
    p.run(["-e", "d = {a: 1}; d.me = d; print(copy(d)); r = [1]; append(r, r); print(copy({a: r}))"])
    p.expect(0, out=["{a: 1, me: {...}}", "{a: [1, [...]]}"])


@probe
def equality_and_json_of_cycles(p):
    p.run(["-e", "a = [1]; append(a, a); b = [1]; append(b, b); print(a == b); print(json(a)); print(len(str(a)))"])
    p.expect(0, out=["true\n", "[1,null]\n", "10\n"])


@probe
def deep_nesting_in_copy_and_print(p):
    p.run(["-e", "x = []; for i in range(5000) { x = [x] }; y = copy(x)"])
    p.expect(1, err="nested more than")


# --- output that cannot be written -----------------------------------------------------


@probe
def print_to_full_disk(p):
    with open("/dev/full", "w") as full:
        p.run(["-e", "print(1)"], stdout=full)
    p.expect(1, err="nns: cannot write to standard output: No space left on device")


@probe
def repl_echo_to_full_disk(p):
    with open("/dev/full", "w") as full:
        p.run([], stdin="x = 1\nx\n", stdout=full)
    p.expect(1, err="nns: cannot write to standard output: No space left on device")


@probe
def closed_standard_output(p):
    p.run(["-e", "1"], stdout=subprocess.DEVNULL, pass_fds=(), preexec_fn=lambda: os.close(1))
    p.expect(1, err="nns: cannot write to standard output: Bad file descriptor")


@probe
def closed_standard_output_with_files(p):
    # With stdout closed, a file nns opens must not become descriptor 1 and receive output.
    p.run(["-e", NET + "save(net, \"n.safetensors\"); print(\"hello\"); 1"], stdout=subprocess.DEVNULL,
          preexec_fn=lambda: os.close(1))
    p.expect(1, err="cannot write to standard output")
    with open(p.path("n.safetensors"), "rb") as f:
        p.require(b"hello" not in f.read(), "printed text went into the saved file")


@probe
def error_to_full_standard_error(p):
    with open("/dev/full", "w") as full:
        p.run(["-e", "undefined_name"], stderr=full)
    p.expect(1)


@probe
def reader_goes_away(p):
    proc = subprocess.Popen([NNS, "-e", "for i in range(1000000) { print(i) }"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=p.work, env=p.env())
    first = proc.stdout.readline()
    proc.stdout.close()
    try:
        rc = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        p.problems.append("kept running after its reader went away")
        return
    err = proc.stderr.read().decode()
    p.require(first == b"0\n", f"first line {first!r}")
    p.require(rc == 0, f"exit status {rc} after the reader went away (expected a quiet 0)")
    p.require(err == "", f"stderr {err!r}")


# --- files: never clobber ---------------------------------------------------------------

for device in ["/dev/null", "/dev/full"]:
    # Directly, or through a link whose name has the extension the builtin asks for.
    for call, link in [("save(net, \"{0}\")", None), ("graph(fn(x) => x * x, 1, file: \"{0}\")", None),
                       ("export(net, \"{0}\")", "m.onnx"), ("export(net, \"{0}\")", "m.py"),
                       ("plot(train(net, xor_gate, epochs: 2), \"{0}\")", "p.svg"),
                       ("save(net, \"{0}\")", "n.safetensors")]:
        def make(device=device, call=call, link=link):
            def write_onto_device(p):
                if link:
                    os.symlink(device, p.path(link))
                p.run(["-e", NET + call.format(link or device)])
                p.expect(1, err=["cannot write " + (link or device), "it is a character device, not a regular file"])
                if link:
                    p.require(os.path.islink(p.path(link)), "the link was replaced")
            write_onto_device.__name__ = f"write_onto_{device[5:]}_with_{call.split('(')[0]}" + (f"_via_{link}" if link else "")
            return write_onto_device
        probe(make())


@probe
def save_through_symlink(p):
    p.write("target.safetensors", "old")
    os.symlink("target.safetensors", p.path("link.safetensors"))
    p.run(["-e", NET + "save(net, \"link.safetensors\"); print(load(\"link.safetensors\"))"])
    p.expect(0, out="linear(2, 2)")
    p.require(os.path.islink(p.path("link.safetensors")), "the link was replaced by a plain file")
    p.require(os.path.getsize(p.path("target.safetensors")) > 100, "the link's target was not written")


@probe
def save_through_dangling_symlink(p):
    os.makedirs(p.path("sub"))
    os.symlink("sub/new.safetensors", p.path("link.safetensors"))
    p.run(["-e", NET + "save(net, \"link.safetensors\")"])
    p.expect(0)
    p.require(os.path.islink(p.path("link.safetensors")), "the link was replaced by a plain file")
    p.require(os.path.isfile(p.path("sub", "new.safetensors")), "the link's target was not created")


@probe
def save_onto_directory(p):
    os.makedirs(p.path("adir"))
    p.run(["-e", NET + "save(net, \"adir\")"])
    p.expect(1, err="it is a directory")
    p.require(os.path.isdir(p.path("adir")), "the directory is gone")


@probe
def save_onto_fifo(p):
    os.mkfifo(p.path("pipe.safetensors"))
    p.run(["-e", NET + "save(net, \"pipe.safetensors\")"], timeout=20)
    p.expect(1, err="FIFO")
    p.require(stat.S_ISFIFO(os.lstat(p.path("pipe.safetensors")).st_mode), "the FIFO was replaced")


for what, call in [("load", "load(\"{0}\")"), ("csv", "csv(\"{0}\")"), ("idx", "idx(\"{0}\", \"{0}\")"),
                   ("import", "import \"{0}\""), ("load_into", NET + "load(\"{0}\", into: net)")]:
    def make(what=what, call=call):
        def read_from_fifo(p):
            os.mkfifo(p.path("pipe.bin"))
            p.run(["-e", call.format("pipe.bin")], timeout=20)
            p.expect(1, err="FIFO (named pipe), not a regular file")
        read_from_fifo.__name__ = f"read_from_fifo_with_{what}"
        return read_from_fifo
    probe(make())


@probe
def script_that_is_a_fifo(p):
    os.mkfifo(p.path("s.nns"))
    p.run(["s.nns"], timeout=20)
    p.expect(1, err="FIFO")


@probe
def load_from_device(p):
    p.run(["-e", "load(\"/dev/zero\")"], timeout=20)
    p.expect(1, err="character device")


@probe
def failed_save_keeps_earlier_file(p):
    p.write("keep.safetensors", "earlier")
    os.makedirs(p.path("keep.safetensors.d"))
    p.run(["-e", "save(42, \"keep.safetensors\")"])
    p.expect(1)
    with open(p.path("keep.safetensors")) as f:
        p.require(f.read() == "earlier", "the earlier file changed")


# --- the REPL's commands ------------------------------------------------------------------


@probe
def train_option_without_colon(p):
    p.run([], stdin=NET + ":train net xor_gate epochs 3\n")
    p.expect(1, err=["usage: :train NET DATA", "unexpected 'epochs 3'", "epochs: 3"])
    p.require("epoch" not in p.out, "it trained anyway")


@probe
def save_path_with_spaces_unquoted(p):
    os.makedirs(p.path("dir with space"))
    p.write("dir", "unrelated")
    p.run([], stdin=NET + ":save net dir with space/s.safetensors\n")
    p.expect(1, err=["usage: :save NET FILE", "in quotes"])
    with open(p.path("dir")) as f:
        p.require(f.read() == "unrelated", "the file named dir was overwritten")
    p.require(not os.path.exists(p.path("dir with space", "s.safetensors")), "wrote a file anyway")


@probe
def save_path_with_spaces_quoted(p):
    os.makedirs(p.path("dir with space"))
    p.run([], stdin=NET + ":save net \"dir with space/s.safetensors\"\n:load \"dir with space/s.safetensors\"\n")
    p.expect(0, out="loaded dir with space/s.safetensors as s")
    p.require(os.path.isfile(p.path("dir with space", "s.safetensors")), "the file was not written")


@probe
def load_says_which_name(p):
    p.run([], stdin=NET + "save(net, \"my-net.safetensors\")\n:load my-net.safetensors\nmy_net\n")
    p.expect(0, out=["loaded my-net.safetensors as my_net", "linear(2, 2)"])


@probe
def load_refuses_to_hide_a_builtin(p):
    p.run([], stdin=NET + "save(net, \"print.safetensors\")\n:load print.safetensors\nprint(\"still the builtin\")\n")
    p.expect(1, out="still the builtin", err=["would hide the builtin print", "as NAME"])


@probe
def load_as_name(p):
    p.run([], stdin=NET + "save(net, \"print.safetensors\")\n:load print.safetensors as p\np\n")
    p.expect(0, out=["loaded print.safetensors as p", "linear(2, 2)"])


@probe
def load_non_ascii_name(p):
    p.run([], stdin=NET + "save(net, \"réseau.safetensors\")\n:load réseau.safetensors\n:load 日本.safetensors\n")
    p.expect(1, out="as r_seau", err="cannot read '日本.safetensors': no such file")
    p.require("load(" not in p.err, "the error shows generated code")


@probe
def commands_reject_extra_words(p):
    p.run([], stdin=NET + ":vars please\n:summary net net\n:reset now\n:quit now\n:stats net [[1, 2]] loss: mse\n")
    p.expect(1, err=["usage: :vars", "usage: :summary NET", "usage: :reset", "usage: :quit",
                     "unexpected option 'loss:'"])


@probe
def import_after_failure_runs_again(p):
    p.write("partial.nns", "x = 5\ny = missing_name\n")
    p.run([], stdin="import \"partial.nns\"\nmissing_name = 7\nimport \"partial.nns\"\ny\n")
    p.expect(1, out="7\n", err="unknown name `missing_name`")


# --- time and memory ---------------------------------------------------------------------


@probe
def trace_of_a_long_loop_is_fast(p):
    p.write("loop.nns", "fn f(x) {\n  y = x\n  i = 0\n  while i < 10000 { y = y * 1.0001 + 0; i = i + 1 }\n  return y\n}\n")
    p.run(["-e", "import \"loop.nns\"; t = trace(f, 1.0); g = graph(f, 1.0); len(t.rows)"], timeout=120)
    p.expect(0, out="20001")
    p.require(getattr(p, "seconds", 99) < 20, f"took {getattr(p, 'seconds', 0):.1f}s")


@probe
def interrupt_stops_a_trace(p):
    p.write("forever.nns", "fn f(x) {\n  y = x\n  while true { y = y + 0 }\n  return y\n}\n")
    proc = subprocess.Popen([NNS, "-e", "import \"forever.nns\"; trace(f, 1.0)"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=p.work, env=p.env())
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    try:
        rc = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        p.problems.append("Ctrl-C did not stop it")
        return
    # A script on a pipe keeps SIGINT's default meaning: it ends at once, as a shell script would.
    p.require(rc in (1, -signal.SIGINT, 130), f"exit status {rc}")


@probe
def tensor_beyond_memory(p):
    # 3e9 elements (12 GB) on the 24 GiB machines this runs on; more on a bigger machine, so
    # that the tensor and one result of its size always exceed half of physical memory.
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    elements = max(3e9, total * 0.3 / 4)
    p.run(["-e", f"x = randn([{elements:.0f}])"])
    p.expect(1, err=["nns may use", "half of the machine's"])


@probe
def list_elided_when_printed(p):
    p.run(["-e", "list(range(1e5))"])
    p.expect(0, out=["[0, 1, 2, ... 99994 more ..., 99997, 99998, 99999]"], max_out=200)


@probe
def json_list_stays_complete(p):
    p.run(["--json", "-e", "list(range(1e5))"])
    p.expect(0, out=",99999]")
    p.require(len(p.out) > 500_000, "JSON output was shortened")


# --- parsing ------------------------------------------------------------------------------


@probe
def flat_sum_of_201_terms(p):
    p.run(["-e", "1" + " + 1" * 200])
    p.expect(0, out="201\n")


@probe
def flat_sum_of_5000_terms(p):
    p.run(["-e", "1" + " + 1" * 4999])
    p.expect(0, out="5000\n")


@probe
def pipe_of_201_stages(p):
    p.run(["-e", "g = fn(v) => v + 1; 0" + " |> g" * 201])
    p.expect(0, out="201\n")


@probe
def deep_nesting_is_a_clean_error(p):
    p.run(["-e", "(" * 5000 + "1" + ")" * 5000])
    p.expect(1, err="too deeply nested", max_err=1000)


@probe
def long_line_error_is_short(p):
    p.write("long.nns", "x = [" + "1, " * 50000 + "undefined_name]\n")
    p.run(["long.nns"])
    p.expect(1, err=["unknown name `undefined_name`", "..."], max_err=1000)


@probe
def very_long_chain_is_a_clean_error(p):
    p.run(["-e", "1" + " + 1" * 30000])
    p.expect(1, err="too long a chain of operators", max_err=1000)


# --- convolutional networks --------------------------------------------------------------


@probe
def huge_padding_from_a_tiny_image(p):
    # 200001 × 200001 outputs from one pixel: an error, not a failed 160 GB allocation.
    p.run(["-e", "c = conv2d(1, 1, 1, padding: 100000)\nprint(c(zeros([1, 1, 1, 1])))"])
    p.expect(1, err=["conv2d's output", "too large", "hint:"], max_err=2000)


@probe
def convolution_of_the_wrong_rank_or_channels(p):
    p.run(["-e", "c = conv2d(3, 4, 3)\nprint(c(zeros([2, 1, 8, 8])))"])
    p.expect(1, err=["hint:"], max_err=2000)
    p.run(["-e", "c = conv2d(1, 4, 3)\nprint(c(zeros([5, 9])))"])
    p.expect(1, err=["hint:"], max_err=2000)


@probe
def pooling_window_larger_than_the_image(p):
    p.run(["-e", "print(maxpool(5)(zeros([1, 1, 2, 2])))"])
    p.expect(1, err=["5×5", "hint:"], max_err=2000)


@probe
def absurd_layer_sizes(p):
    p.run(["-e", "c = conv2d(100000, 100000, 1000)"])
    p.expect(1, err="hint:", max_err=2000)
    p.run(["-e", "r = reshape(1, 1000000, 1000000)\nprint(r(zeros([1, 4])))"])
    p.expect(1, err="hint:", max_err=2000)


# --- the command line ---------------------------------------------------------------------


@probe
def usage_errors(p):
    p.run(["-e"])
    p.expect(2, err="usage:")
    p.run(["--bogus"])
    p.expect(2, err="unknown option --bogus")


@probe
def missing_script(p):
    p.run(["absent.nns"])
    p.expect(1, err="absent.nns")


@probe
def binary_script(p):
    with open(p.path("bin.nns"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    p.run(["bin.nns"])
    p.expect(1)


print(f"hostile: {passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
