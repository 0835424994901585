"""Other simulators in their own virtual environments, created on first use.

Brian2 2.9.0 needs ``numpy<2.3`` and NEST's wheel brings its own numpy; neither may
enter eqsnn's environment. The benchmark makes one venv per simulator and version under
``EQSNN_BENCH_DIR`` (default ``<eqsnn cache>/bench``), installs the simulator there with
pip, and runs each measurement as a subprocess of that venv's Python.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def bench_dir() -> Path:
    """Where the benchmark keeps its venvs and scratch folders."""
    path = os.environ.get("EQSNN_BENCH_DIR")
    if not path:
        import platformdirs
        path = os.path.join(platformdirs.user_cache_dir("eqsnn"), "bench")
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def venv_python(name: str, version: str, requirements: list[str], version_code: str, *,
                log=print) -> Path:
    """The Python of the venv ``<name>-<version>``, creating it on first use.

    ``version_code`` is Python that prints the installed simulator's version; a venv
    whose simulator reports another version is an error, not silently used."""
    venv = bench_dir() / f"{name}-{version}"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    marker = venv / ".eqsnn-ready"
    if marker.exists() and python.exists():
        return python
    if not python.exists():
        log(f"creating the {name} {version} venv in {venv} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    log(f"installing {' '.join(requirements)} into {venv}")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements],
                   check=True)
    found = subprocess.run([str(python), "-c", version_code], check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    if found != version:
        raise RuntimeError(f"the venv {venv} has {name} {found}, not {version}")
    marker.write_text(found + "\n")
    return python
