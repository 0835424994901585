"""The network's compiled program: its source (rendered once, then read from the build
cache), the compiler options it is built with, and how many threads run it."""
from __future__ import annotations

import os
from typing import Any

from eqsnn.codegen.network import ModuleBuilder
from eqsnn.errors import InvalidValueError

__all__ = ["default_threads"]


def default_threads() -> int:
    """``EQSNN_THREADS``, or the cores this process may run on (its CPU affinity where
    the OS says it)."""
    wanted = os.environ.get("EQSNN_THREADS", "").strip()
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise InvalidValueError(f"EQSNN_THREADS={wanted!r} is not a number of threads",
                                    hint="set it to a whole number of at least 1, or unset it")
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def _build_source(builder: ModuleBuilder):
    """The builder's module source, rendered once per signature and then read from the
    build cache: a warm run neither imports Jinja2 nor renders a template."""
    from eqsnn.lowering import cache
    signature = builder.signature()
    key = cache.key("network-source", signature) if signature is not None else None
    stored = cache.load(key) if key is not None else None
    source = builder.build(stored["source"] if stored is not None else None)
    if key is not None and stored is None:
        cache.store(key, {"source": source.source})
    return source


def _compiler_options(compiler: Any):
    """``compiler`` checked: ``None`` (the defaults, read when first needed) or options."""
    if compiler is None:
        return None
    from eqsnn.compiler.options import CompilerOptions
    if not isinstance(compiler, CompilerOptions):
        raise InvalidValueError(
            f"compiler must be an eqsnn CompilerOptions, not {type(compiler).__name__}",
            hint='e.g. Network(..., compiler=CompilerOptions(cflags="-O2 -march=native"))')
    return compiler
