"""The Cython module that enters every network's compiled loop (see ``_runner.pyx``).

An installed eqsnn has it already: ``pip install`` compiles it with Cython as part of the
package. A source checkout (the test suite imports eqsnn from the repository) or an
install whose compiler was missing at build time has only its source; then it is
compiled here once, into the compile cache, like any generated module.
"""
from __future__ import annotations

import functools
from pathlib import Path
from types import ModuleType

__all__ = ["runner"]


@functools.lru_cache(maxsize=1)
def runner() -> ModuleType:
    """The loaded runner module, providing :class:`NetworkLoop`."""
    try:
        from eqsnn.compiler import _runner  # built by pip install
        return _runner
    except ImportError:
        pass
    from eqsnn.compiler.cache import compile_module
    source = (Path(__file__).resolve().parent / "_runner.pyx").read_text(encoding="utf-8")
    return compile_module(source, name_hint="runner")
