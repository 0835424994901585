"""The code on docs/neuroml.md runs as written (from the repository's root, where the
NeuroML file it imports is), and the published model does what the page says."""
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_import_example_on_the_page_runs(monkeypatch):
    import matplotlib
    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    page = (ROOT / "docs" / "neuroml.md").read_text()
    block = re.findall(r"```python\n(.*?)```", page, re.S)[0]
    scope: dict = {}
    with pytest.warns(UserWarning, match="not a rate"):
        exec(compile(block, "docs/neuroml.md", "exec"), scope)  # noqa: S102 - our own page
    vs = scope["trace"].Vs_[0]
    spikes = np.flatnonzero((vs[:-1] < 0) & (vs[1:] >= 0))
    assert len(spikes) >= 3                 # bursts (each one somatic spike above 0 mV)
    assert vs.max() > 0.015 and vs.min() < -0.06
