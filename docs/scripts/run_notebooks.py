"""Execute the tutorial notebooks of docs/notebooks/ in place, keeping their outputs.

    python docs/scripts/run_notebooks.py [NAME ...]

The docs site shows the notebooks with the outputs stored in them (mkdocs-jupyter does
not execute them at build time); run this after changing a notebook or what it shows.
``tests/test_notebooks.py`` executes them afresh in the test suite.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "docs" / "notebooks"


def execute(path: Path, *, timeout: int = 600):
    """The notebook at ``path``, executed in a fresh kernel that imports this checkout's
    eqsnn, in a temporary working folder."""
    import nbformat
    from nbclient import NotebookClient
    book = nbformat.read(path, as_version=4)
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), previous]))
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    try:
        with tempfile.TemporaryDirectory() as folder:
            NotebookClient(book, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": folder}}).execute()
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = previous
    return book


def main() -> None:
    import nbformat
    names = sys.argv[1:]
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if names and path.stem not in names:
            continue
        book = execute(path)
        for cell in book.cells:
            cell.get("metadata", {}).pop("execution", None)  # no timestamps in the repo
        nbformat.write(book, path)
        print(f"executed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
