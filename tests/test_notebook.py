# SPDX-License-Identifier: MIT
"""docs/examples/tour.ipynb runs from top to bottom without an error, so it cannot go stale.

It is executed with nbclient in a Jupyter kernel running this Python, from a
temporary folder (so that ``import primes`` finds the installed package, not
the source folder).  The committed file stays small and without outputs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "examples" / "tour.ipynb"
CELL_TIMEOUT = 300  # seconds; the whole notebook takes seconds on a laptop


def test_committed_notebook_is_small_and_has_no_outputs():
    assert NOTEBOOK.stat().st_size < 200_000
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code_cells)


# Slow tier: a Jupyter kernel and the notebook's timings take seconds; the docs
# build (.ci/docs.sh) executes the notebook too, failing on any error.
@pytest.mark.slow
def test_notebook_runs_without_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("PRIMES_NUM_THREADS", raising=False)
    # The kernel draws its figures with the inline backend; MPLBACKEND from
    # the environment (e.g. a GUI backend) must not get in the way.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    import nbclient  # here: the slow tier's test alone needs a Jupyter client

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    try:
        client.execute()  # raises CellExecutionError, with the traceback, on the first failing cell
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"the notebook failed:\n{error}")

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    text = "".join(output.get("text", "") for output in outputs if output.output_type == "stream")
    assert "primes below 10**6: 78498" in text
    assert f"primes {__import__('primes').__version__}" in text  # show_config ran in the kernel
    images = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) >= 3, "the density plot, the timing plot and the prime gaps"
