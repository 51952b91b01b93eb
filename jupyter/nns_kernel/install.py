"""Writes the ``nns`` kernelspec (kernel.json and the logos) where Jupyter looks for kernels."""

import argparse
import json
import os
import shutil
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpecManager

from .locate import checkout_binary

RESOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resources")


def kernel_json() -> dict:
    spec = {
        "argv": [sys.executable, "-m", "nns_kernel", "-f", "{connection_file}"],
        "display_name": "nns",
        "language": "nns",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }
    # Installed from a checkout with a release build: remember it, for a kernel started elsewhere.
    binary = checkout_binary(os.getcwd())
    if binary:
        spec["env"] = {"NNS_CHECKOUT_BIN": binary}
    return spec


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python3 -m nns_kernel install",
                                     description="Install the nns kernelspec for Jupyter.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="install for the current user")
    where.add_argument("--sys-prefix", action="store_true", help="install into sys.prefix (a venv or conda env)")
    where.add_argument("--prefix", help="install under the given prefix")
    args = parser.parse_args(argv)
    prefix = sys.prefix if args.sys_prefix else args.prefix
    with tempfile.TemporaryDirectory() as directory:
        os.chmod(directory, 0o755)
        with open(os.path.join(directory, "kernel.json"), "w") as f:
            json.dump(kernel_json(), f, indent=1)
        for name in os.listdir(RESOURCES):
            if name.startswith("logo"):
                shutil.copy(os.path.join(RESOURCES, name), directory)
        path = KernelSpecManager().install_kernel_spec(directory, "nns", user=args.user, prefix=prefix)
    print(f"installed the nns kernel in {path}")
