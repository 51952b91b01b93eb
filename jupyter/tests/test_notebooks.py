"""Every notebook in notebooks/ runs top to bottom through the nns kernel under nbclient."""

import glob
import os

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_notebook_runs_top_to_bottom(path):
    if "mnist" in path and not os.environ.get("NNS_DATA"):
        pytest.skip("needs NNS_DATA with mnist/")
    nb = nbformat.read(path, as_version=4)
    stored = [cell.get("outputs", []) for cell in nb.cells if cell.cell_type == "code"]
    NotebookClient(nb, kernel_name="nns", timeout=120,
                   resources={"metadata": {"path": os.path.dirname(path)}}).execute()   # raises on an error
    ran = [cell.outputs for cell in nb.cells if cell.cell_type == "code"]
    assert all(not any(o.output_type == "error" for o in outputs) for outputs in ran)
    # The committed outputs are the notebook's own: every code cell that showed something still does.
    assert [bool(s) for s in stored] == [bool(r) for r in ran]
