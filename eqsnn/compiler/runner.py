"""The Cython module that enters every network's compiled loop (see ``_runner.pyx``).

An installed eqsnn has it already: ``pip install`` compiles it with Cython as part of the
package. A source checkout (the test suite imports eqsnn from the repository) or an
install whose compiler was missing at build time has only its source; then it is
compiled once per compile cache, like a generated module. That build is counted in
``stats.runner_compilations``, not in ``stats.compilations``, which counts networks.

It is compiled with the network's compiler and flags followed by ``-O0`` (the last
``-O`` wins): its work is one call per chunk of steps, copying the table of array
addresses, and optimising Cython's ~460 KB of C only made a source checkout's first run
slower (gcc -c: 1.3 s at -O3, 0.3 s at -O0, session 9).
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from types import ModuleType

__all__ = ["runner", "runner_options"]


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
    module = compile_module(source, name_hint="runner", options=runner_options(options))
    built = stats.compilations - before
    stats.compilations -= built
    stats.runner_compilations += built
    return module


def runner_options(options=None):
    """The :class:`~eqsnn.compiler.CompilerOptions` the runner is built with in a cache:
    ``options`` (default: from the environment) with ``-O0`` after its compile flags."""
    from eqsnn.compiler.options import CompilerOptions
    options = options if options is not None else CompilerOptions.from_environment()
    if options.cflags[-1:] == ("-O0",):
        return options
    return dataclasses.replace(options, cflags=tuple(options.cflags) + ("-O0",))
