"""The backends eqsnn generates code for: the one list every stage reads (a leaf
module, below every stage: the build stage prints for each backend, the code generator
renders for one, the runtime chooses one).

``"c"`` is the compiled backend: a plain C library per network, entered through one
Cython runner. ``"numpy"`` is its twin in vectorised Python. Code is printed for each of
them, in this order. ``"cython"``, the compiled backend's old name, is accepted with a
:class:`DeprecationWarning`.
"""
from __future__ import annotations

import warnings

from eqsnn.errors import InvalidValueError

__all__ = ["COMPILED", "NUMPY", "BACKENDS", "DEPRECATED_NAMES", "backend_name"]

#: The compiled backend.
COMPILED = "c"
#: The numpy backend, used when no C compiler works.
NUMPY = "numpy"
#: Every backend, the compiled one first.
BACKENDS: tuple[str, ...] = (COMPILED, NUMPY)
#: Old names still accepted, and what they mean now.
DEPRECATED_NAMES = {"cython": COMPILED}


def backend_name(requested: str, *, stacklevel: int = 2) -> str:
    """``requested`` as one of :data:`BACKENDS`: an old name is translated, with a
    :class:`DeprecationWarning` pointing ``stacklevel`` frames up; anything else is an
    :class:`~eqsnn.errors.InvalidValueError`."""
    if requested in BACKENDS:
        return requested
    if isinstance(requested, str) and requested in DEPRECATED_NAMES:
        new = DEPRECATED_NAMES[requested]
        warnings.warn(f'backend "{requested}" is now called "{new}"; "{requested}" will stop '
                      f'working in a later release', DeprecationWarning, stacklevel=stacklevel + 1)
        return new
    raise InvalidValueError(f"unknown backend {requested!r}",
                            hint=f"choose one of {', '.join(map(repr, BACKENDS))}, or None "
                                 f"for the compiled one when a C compiler works")
