"""Stage 4: generated C → a loaded shared library (or Cython → an extension), compiled
once and cached.

Entry points: :func:`compile_library` (a network's plain C loop, entered through the
Cython runner of :mod:`eqsnn.compiler.runner`) and
:func:`compile_module` (a Cython extension). :func:`compiler_available` tells the runtime
whether to use the compiled backend; :func:`warn_no_compiler` says once that it falls
back to numpy. :data:`stats` counts compilations and cache hits.
"""
from eqsnn.compiler.availability import compiler_available, warn_no_compiler
from eqsnn.compiler.cache import (cache_dir, cache_key, clear_memory_cache, compile_library,
                                  compile_module, ensure_built)
from eqsnn.compiler.options import DEFAULT_CFLAGS, CompilerOptions
from eqsnn.compiler.stats import CompileStats, stats

__all__ = ["compile_module", "compile_library", "ensure_built", "compiler_available", "warn_no_compiler",
           "cache_dir", "cache_key", "clear_memory_cache", "CompilerOptions",
           "DEFAULT_CFLAGS", "CompileStats", "stats"]
