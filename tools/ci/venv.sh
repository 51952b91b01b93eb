#!/usr/bin/env bash
# The Python environment the CI checks run their peers in (browsers' drivers, Jupyter,
# PyTorch): one venv, made on first use and reused by later runs, under ~/.cache.
#
#   source tools/ci/venv.sh          # sets NNS_VENV and NNS_PY (the venv's python3)
#   nns_pip PACKAGE...               # installs into it (quietly; already-present ones are skipped)
#   nns_need_torch                   # installs torch's CPU build into it when missing
#
# A fresh machine works too: the venv is made with the system python3 and filled from PyPI.
# It sees the system's site-packages (numpy, pytest), so only what is missing is fetched.
NNS_VENV="${NNS_VENV:-$HOME/.cache/nns-ci/venv}"
if [ ! -x "$NNS_VENV/bin/python3" ]; then
    mkdir -p "$(dirname "$NNS_VENV")"
    python3 -m venv --system-site-packages "$NNS_VENV"
fi
NNS_PY="$NNS_VENV/bin/python3"
export NNS_VENV NNS_PY

nns_pip() {
    "$NNS_PY" -m pip install -q --disable-pip-version-check "$@" 2>&1 \
        | grep -v -e "Running pip as the 'root' user" -e "^\[notice\]" || true
}

# PyPI's default torch bundles CUDA (gigabytes); prefer a CPU wheel among pip's find-links
# (some machines carry one), else PyPI's default build (it runs on the CPU just the same).
nns_need_torch() {
    "$NNS_PY" -c "import torch" 2>/dev/null && return 0
    local links wheel
    links=$("$NNS_PY" -m pip config get global.find-links 2>/dev/null || true)
    for dir in $links; do
        for w in "$dir"/torch-*+cpu-*.whl; do [ -f "$w" ] && wheel="$w"; done
    done
    if [ -n "${wheel:-}" ]; then
        nns_pip "$wheel"
    else
        nns_pip torch
    fi
    "$NNS_PY" -c "import torch" || { echo "venv: torch could not be installed" >&2; return 1; }
}
