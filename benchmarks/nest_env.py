"""NEST 3 in its own virtual environment, created on first use (see :mod:`venvs`).

The ``nest-simulator`` wheel on PyPI (3.10.0 for Python 3.11 on x86-64 Linux) is built
with OpenMP threads (``nest.build_info["threads_model"] == "openmp"``), no MPI.
"""
from __future__ import annotations

from pathlib import Path

from venvs import venv_python

NEST_VERSION = "3.10.0"
REQUIREMENTS = [f"nest-simulator=={NEST_VERSION}"]


def nest_python(*, log=print) -> Path:
    """The Python of the NEST venv, creating the venv on first use."""
    return venv_python("nest", NEST_VERSION, REQUIREMENTS,
                       "import nest; print(nest.build_info['version'])", log=log)
