"""Where the ``nns`` interpreter is: ``$NNS_BIN``, then ``PATH``, then the checkout's release build."""

import os
import shutil


def checkout_binary(start: str):
    """The ``.build/release/nns`` of the nns checkout holding ``start`` (or a parent), if built."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, ".build", "release", "nns")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK) and \
                os.path.isfile(os.path.join(directory, "Package.swift")):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def find_nns() -> str:
    """The interpreter to run; raises FileNotFoundError saying where it looked."""
    given = os.environ.get("NNS_BIN")
    if given:
        if os.path.isfile(given) and os.access(given, os.X_OK):
            return given
        raise FileNotFoundError(f"NNS_BIN is {given!r}, which is not an executable file")
    on_path = shutil.which("nns")
    if on_path:
        return on_path
    here = os.path.dirname(os.path.abspath(__file__))
    for start in (here, os.getcwd()):
        found = checkout_binary(start)
        if found:
            return found
    recorded = os.environ.get("NNS_CHECKOUT_BIN")
    if recorded and os.path.isfile(recorded) and os.access(recorded, os.X_OK):
        return recorded
    raise FileNotFoundError("cannot find the nns interpreter: set NNS_BIN, put nns on PATH, "
                            "or build the checkout (swift build -c release --product nns)")
