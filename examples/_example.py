"""What every example shares: the short mode and where the figure and numbers go.

* ``EQSNN_EXAMPLE_SHORT=1`` (or ``--short`` on the command line) shortens the simulated
  time, so that the test suite can run every example in seconds;
* ``EQSNN_EXAMPLE_OUTPUT=DIR`` chooses the folder for the figure (default: the
  current folder); next to ``NAME.png`` each example writes ``NAME.json`` with the
  numbers its run produced (rates, counts), which ``tests/test_examples.py`` checks.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import matplotlib

if not os.environ.get("DISPLAY") and "MPLBACKEND" not in os.environ:
    matplotlib.use("Agg")


def short() -> bool:
    """True when the example should run its shortened version."""
    return "--short" in sys.argv or os.environ.get("EQSNN_EXAMPLE_SHORT", "") not in ("", "0")


def output(name: str) -> Path:
    """Path of the figure ``NAME.png`` in the output folder."""
    folder = Path(os.environ.get("EQSNN_EXAMPLE_OUTPUT", "."))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def save(figure, name: str, **numbers) -> Path:
    """Write the figure and the run's numbers; print both paths and the numbers."""
    path = output(name)
    figure.savefig(path, dpi=110)
    path.with_suffix(".json").write_text(json.dumps(numbers, indent=1, default=float))
    for key, value in numbers.items():
        print(f"  {key:<28} {value}")
    print(f"figure: {path}")
    return path
