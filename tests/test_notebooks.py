"""The tutorial notebooks of docs/notebooks/ run from top to bottom, in a fresh kernel,
without errors or warnings, and show what they promise.

They are executed with nbclient (what ``jupyter nbconvert --execute`` uses) by
docs/scripts/run_notebooks.py, which also refreshes the outputs stored for the site.
"""
import importlib.util
import re
from pathlib import Path

import pytest

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def _runner():
    spec = importlib.util.spec_from_file_location("run_notebooks",
                                                  ROOT / "docs" / "scripts" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _outputs(book):
    for cell in book.cells:
        for output in cell.get("outputs", []):
            yield cell, output


def _text(output) -> str:
    if output.output_type == "stream":
        return output.text
    return "\n".join(str(v) for v in output.get("data", {}).values())


def test_there_are_the_three_tutorials():
    assert {p.stem for p in NOTEBOOKS} >= {"single-neuron", "stdp", "network"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_cleanly(path):
    book = _runner().execute(path)
    stderr = [o.text for _, o in _outputs(book) if o.output_type == "stream"
              and o.name == "stderr"]
    assert not any("Warning" in text or "IProgress" in text for text in stderr), stderr
    shown = "\n".join(_text(o) for _, o in _outputs(book))
    assert "Traceback" not in shown
    if path.stem == "single-neuron":
        # equations -> derivation -> phase plane -> explorer, which never compiled
        assert "Derivation of the state update (method: euler)" in shown
        assert "stable node at v = -70 mV" in shown and "saddle" in shown
        assert "compiled since the explorer started: 0" in shown
        assert "application/vnd.jupyter.widget-view+json" in {
            k for _, o in _outputs(book) for k in o.get("data", {})}
    if path.stem == "stdp":
        difference = float(shown.split("largest difference from the formula:")[1].split()[0])
        assert difference < 1e-12
    if path.stem == "network":
        # the objects describe themselves (sizes, memory, what was recorded)
        assert "excitatory → excitatory" in shown and "synapses and the connectivity" in shown
        assert re.search(r"excitatory +NeuronGroup +800 neurons", shown)
        assert "recorded   4000 samples from 0 ms to 399.9 ms" in shown


def test_stored_outputs_are_there_for_the_site():
    import nbformat
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        code = [c for c in book.cells if c.cell_type == "code"]
        assert all(c.get("execution_count") for c in code), \
            f"{path.name} is stored unexecuted: run python docs/scripts/run_notebooks.py"
        assert any(o.get("data", {}).get("image/png") for c in code for o in c.outputs), path
