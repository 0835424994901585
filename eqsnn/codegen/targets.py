"""The backends eqsnn generates code for: the one list every stage reads.

``"cython"`` is the compiled backend (a plain C library per network, entered through one
Cython runner); ``"numpy"`` is its twin in vectorised Python. Code is printed for each
of them, in this order.
"""
from __future__ import annotations

__all__ = ["COMPILED", "NUMPY", "BACKENDS"]

#: The compiled backend.
COMPILED = "cython"
#: The numpy backend, used when no C compiler works.
NUMPY = "numpy"
#: Every backend, the compiled one first.
BACKENDS: tuple[str, ...] = (COMPILED, NUMPY)
