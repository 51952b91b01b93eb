import glob
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def samples():
    """Every nns source of the checkout that highlighting must handle."""
    files = sorted(glob.glob(os.path.join(ROOT, "samples", "*.nns")) + glob.glob(os.path.join(ROOT, "stdlib", "*.nns")))
    assert files, "no samples found"
    return files


@pytest.fixture(scope="session")
def root():
    return ROOT
