"""pint, imported without dask and scipy.

``pint.compat`` imports, at import time, every optional package it could work with that
is installed. Two of them cost every eqsnn script time for features eqsnn never uses:

* ``dask.base`` (so that a Quantity may wrap a dask array) pulls in dask's config, YAML,
  psutil, toolz and asyncio: 70–100 ms;
* ``scipy`` (only to set ``pint.compat.HAS_SCIPY``; nothing in pint outside its test
  suite reads it): ~10 ms.

While pint is first imported, those packages are marked as absent in ``sys.modules``, so
``importlib.util.find_spec`` answers None and an ``import`` raises ImportError, and pint
skips them; the marks are removed right after, so dask (for ``eqsnn.sweep(client=...)``)
and scipy import as usual later.

The one effect: in a process where eqsnn imported pint first, pint's Quantity does not
recognise dask arrays. A package already imported is left alone; if pint already was,
nothing is changed.
"""
from __future__ import annotations

import sys

__all__ = ["pint"]

_SKIPPED = ("dask", "scipy")


def _import_pint():
    if "pint" in sys.modules:
        import pint
        return pint
    marked = [name for name in _SKIPPED if name not in sys.modules]
    for name in marked:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed"
    try:
        import pint
    finally:
        for name in marked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return pint


pint = _import_pint()
