"""Is there a working C compiler? Asked once per process, answered from disk after the
first time on a machine."""
from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

from eqsnn.compiler.build import python_include_dir
from eqsnn.compiler.cache import cache_dir, compiler_identity
from eqsnn.compiler.options import CompilerOptions
from eqsnn.errors import CompilerNotFoundWarning

__all__ = ["compiler_available", "warn_no_compiler"]

# Includes Python.h: a missing python3-dev package is the commonest way a machine with
# gcc still cannot build extensions.
_PROBE = '#include <Python.h>\nint eqsnn_probe(int x) { return x + 1; }\n'


@functools.lru_cache(maxsize=None)
def compiler_available(options: CompilerOptions | None = None) -> bool:
    """Whether ``options`` (default: from the environment) can build an extension.

    Checks that Cython imports and that the C compiler builds a small shared library
    including ``Python.h`` with the configured flags. A success is remembered in the
    cache directory, so later processes only check that a marker file exists.
    """
    options = options if options is not None else CompilerOptions.from_environment()
    try:
        import Cython  # noqa: F401
    except ImportError:
        return False
    if shutil.which(options.cc[0]) is None:
        return False
    identity = compiler_identity(options.cc) + repr(options.cflags) + repr(options.ldflags)
    marker = cache_dir() / f"compiler-ok-{hashlib.sha256(identity.encode()).hexdigest()[:16]}"
    if marker.exists():
        return True
    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix=".probe-") as workdir:
        source, so = Path(workdir) / "probe.c", Path(workdir) / "probe.so"
        source.write_text(_PROBE)
        command = list(options.cc) + list(options.cflags) + [
            "-fPIC", "-shared", "-I", python_include_dir(), str(source), "-o", str(so)]
        try:
            ok = subprocess.run(command, capture_output=True, timeout=120).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
    if ok:
        marker.touch()
    return ok


@functools.lru_cache(maxsize=None)
def warn_no_compiler() -> None:
    """Warn, once per process, that eqsnn runs on numpy for lack of a C compiler."""
    warnings.warn(CompilerNotFoundWarning(
        "no working C compiler (or Cython, or Python headers) was found: eqsnn falls back "
        "to its numpy backend, which is slower. Install gcc or clang and the Python "
        "development headers (python3-dev), or set CC, to use the compiled backend."),
        stacklevel=3)
