"""pint, imported without dask.

When dask is installed, ``pint.compat`` imports ``dask.base`` at import time (so that a
Quantity may wrap a dask array), which pulls in dask's config, YAML, psutil, toolz and
asyncio: 70–100 ms of a warm ``python script.py`` whose whole budget is a few tenths of
a second, for a feature eqsnn never uses. While pint is first imported, ``dask`` is
marked as absent in ``sys.modules``, so ``importlib.util.find_spec("dask")`` answers
None and pint skips it; the mark is removed right after, and dask itself (for
``eqsnn.sweep(client=...)``) imports as usual later.

The one effect: in a process where eqsnn imported pint first, pint's Quantity does not
recognise dask arrays. If dask was already imported, or pint already was, nothing is
changed.
"""
from __future__ import annotations

import sys

__all__ = ["pint"]


def _import_pint():
    if "pint" in sys.modules or "dask" in sys.modules:
        import pint
        return pint
    sys.modules["dask"] = None  # type: ignore[assignment]  # "not installed" to find_spec
    try:
        import pint
    finally:
        if "dask" in sys.modules and sys.modules["dask"] is None:
            del sys.modules["dask"]
    return pint


pint = _import_pint()
