"""Brian2 in its own virtual environment, created on first use (see :mod:`venvs`).

Brian2 2.9.0 (the newest for Python 3.11) needs ``numpy<2.3``; eqsnn's environment may
have a newer numpy.
"""
from __future__ import annotations

from pathlib import Path

from venvs import venv_python

BRIAN2_VERSION = "2.9.0"
REQUIREMENTS = [f"brian2=={BRIAN2_VERSION}", "numpy<2.3", "scipy"]


def brian2_python(*, log=print) -> Path:
    """The Python of the Brian2 venv, creating the venv on first use."""
    return venv_python("brian2", BRIAN2_VERSION, REQUIREMENTS,
                       "import brian2; print(brian2.__version__)", log=log)
