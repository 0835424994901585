"""Stage 3: SymPy statements → C (one plain C library per network) or numpy source.

Names are imported on first use (PEP 562): the module builder (:mod:`.network`) is
needed on every run, the SymPy printers only when something has to be printed, and a
warm run prints nothing.
"""
from __future__ import annotations

import importlib

_PUBLIC = {
    "CCodePrinter": "printing", "NumpyCodePrinter": "printing", "c_expression": "printing",
    "c_statements": "printing", "numpy_expression": "printing",
    "numpy_statements": "printing", "temporaries": "printing",
    "_eqsnn_normal": "numpy_support", "_eqsnn_uniform": "numpy_support",
    "eqsnn_clip": "numpy_support", "eqsnn_exprel": "numpy_support",
}

__all__ = [name for name in _PUBLIC if not name.startswith("_")]


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f"eqsnn.codegen.{_PUBLIC[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'eqsnn.codegen' has no attribute {name!r}")
