"""The Cython module that enters every network's compiled loop (see ``_runner.pyx``).

An installed eqsnn has it already: ``pip install`` compiles it with Cython as part of the
package. A source checkout (the test suite imports eqsnn from the repository) or an
install whose compiler was missing at build time has only its source; then it is
compiled once per compile cache, like a generated module. That build is counted in
``stats.runner_compilations``, not in ``stats.compilations``, which counts networks.
"""
from __future__ import annotations

import functools
from pathlib import Path
from types import ModuleType

__all__ = ["runner"]


def runner(options=None) -> ModuleType:
    """The loaded runner module, providing :class:`NetworkLoop`; built with the
    :class:`~eqsnn.compiler.CompilerOptions` ``options`` (default: from the environment)
    if it has to be built."""
    installed = _installed()
    if installed is not None:
        return installed
    from eqsnn.compiler.cache import cache_dir
    return _built_in_cache(str(cache_dir()), options)


@functools.lru_cache(maxsize=1)
def _installed() -> ModuleType | None:
    try:
        from eqsnn.compiler import _runner  # built by pip install
    except ImportError:
        return None
    return _runner


@functools.lru_cache(maxsize=None)
def _built_in_cache(directory: str, options) -> ModuleType:
    # one per cache directory: processes started with this cache (sweep workers) load it
    from eqsnn.compiler.cache import compile_module
    from eqsnn.compiler.stats import stats
    source = (Path(__file__).resolve().parent / "_runner.pyx").read_text(encoding="utf-8")
    before = stats.compilations
    module = compile_module(source, name_hint="runner", options=options)
    built = stats.compilations - before
    stats.compilations -= built
    stats.runner_compilations += built
    return module
