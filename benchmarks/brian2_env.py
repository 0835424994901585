"""Brian2 in its own virtual environment, created on first use.

Brian2 2.9.0 (the newest for Python 3.11) needs ``numpy<2.3``; eqsnn's environment may
have a newer numpy. So Brian2 never enters eqsnn's environment: the benchmark makes a
venv under the cache directory (``EQSNN_BENCH_DIR``, default ``<eqsnn cache>/bench``),
installs Brian2 there with pip, and runs each Brian2 measurement as a subprocess of that
venv's Python.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BRIAN2_VERSION = "2.9.0"
REQUIREMENTS = [f"brian2=={BRIAN2_VERSION}", "numpy<2.3", "scipy"]


def bench_dir() -> Path:
    """Where the benchmark keeps its venv and scratch folders."""
    path = os.environ.get("EQSNN_BENCH_DIR")
    if not path:
        import platformdirs
        path = os.path.join(platformdirs.user_cache_dir("eqsnn"), "bench")
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def brian2_python(*, log=print) -> Path:
    """The Python of the Brian2 venv, creating the venv on first use."""
    venv = bench_dir() / f"brian2-{BRIAN2_VERSION}"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    marker = venv / ".eqsnn-ready"
    if marker.exists() and python.exists():
        return python
    if not python.exists():
        log(f"creating the Brian2 {BRIAN2_VERSION} venv in {venv} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    log(f"installing {' '.join(REQUIREMENTS)} into {venv}")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS],
                   check=True)
    version = subprocess.run([str(python), "-c", "import brian2; print(brian2.__version__)"],
                             check=True, capture_output=True, text=True).stdout.strip()
    if version != BRIAN2_VERSION:
        raise RuntimeError(f"the venv {venv} has Brian2 {version}, not {BRIAN2_VERSION}")
    marker.write_text(version + "\n")
    return python
