#!/usr/bin/env bash
# The Jupyter kernel (docs/notebooks.md) and the editors' highlighting, checked end to end:
#   bash tools/ci/jupyter.sh .build/release/nns
# In the venv of tools/ci/venv.sh: installs ./jupyter and the kernelspec, then runs
#  (1) jupyter_kernel_test's suite, (2) jupyter_client-driven tests (state, errors, SVG plots,
#  walkthroughs, progress, interrupt during MNIST training when $NNS_DATA has it, completion,
#  inspection), (3) every notebook in notebooks/ top to bottom under nbclient, (4) the Pygments
#  lexer and the TextMate grammar on every sample.
set -euo pipefail
NNS_BIN=$(cd "$(dirname "${1:?usage: jupyter.sh NNS_BINARY}")" && pwd)/$(basename "$1")
export NNS_BIN
cd "$(dirname "$0")/../.."
source tools/ci/venv.sh
nns_pip ipykernel jupyter_client nbclient nbformat jupyter_kernel_test pygments pytest
# A fresh copy of the package each run (not an editable install): what a user's pip gets.
nns_pip --force-reinstall --no-deps ./jupyter
"$NNS_PY" -m nns_kernel install --sys-prefix
export JUPYTER_PLATFORM_DIRS=1
export PYTEST_ADDOPTS="${PYTEST_ADDOPTS:-} -p no:cacheprovider"
cd jupyter/tests
# -rs lists skipped tests (the MNIST interrupt without $NNS_DATA) so a skip is never silent.
"$NNS_PY" -m pytest -q -rs test_highlighting.py test_kernel_suite.py test_kernel_client.py test_notebooks.py
