"""Is there a working C compiler? Asked once per process, answered from disk after the
first time on a machine."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

from eqsnn.compiler.cache import cache_dir
from eqsnn.compiler.cleanup import PROBE_PREFIX
from eqsnn.compiler.identity import compiler_identity
from eqsnn.compiler.options import CompilerOptions
from eqsnn.errors import CompilerNotFoundWarning

__all__ = ["compiler_available", "warn_no_compiler"]

# What a network needs: the compiler, the flags, and linking a shared library with
# the link flags (-lmvec). Network libraries include neither Python.h nor Cython's output,
# so neither the Python headers nor Cython are required.
_PROBE = '#include <math.h>\nint eqsnn_probe(int x) { return x + (int)floor(0.5); }\n'


def compiler_available(options: CompilerOptions | None = None) -> bool:
    """Whether ``options`` (default: from the environment) can build a network library.

    Checks that the C compiler builds and links a small shared library with the
    configured compile and link flags. A success is remembered in the cache directory,
    so later processes only check that a marker file exists. The answer is kept per set
    of options, not per process: ``CC`` or ``EQSNN_CFLAGS`` changed by a running program
    is seen at the next call.
    """
    return _probe(options if options is not None else CompilerOptions.from_environment())


@functools.lru_cache(maxsize=None)
def _probe(options: CompilerOptions) -> bool:
    if shutil.which(options.cc[0]) is None:
        return False
    identity = compiler_identity(options.cc) + repr(options.cflags) + repr(options.ldflags)
    directory = cache_dir()
    marker = directory / f"compiler-ok-{hashlib.sha256(identity.encode()).hexdigest()[:16]}"
    if marker.exists():
        return True
    writable = os.access(directory, os.W_OK)  # a read-only cache: probe elsewhere, no marker
    with tempfile.TemporaryDirectory(dir=directory if writable else None,
                                     prefix=PROBE_PREFIX) as workdir:
        source, so = Path(workdir) / "probe.c", Path(workdir) / "probe.so"
        source.write_text(_PROBE)
        command = list(options.cc) + list(options.cflags) + [
            "-fPIC", "-shared", str(source), "-o", str(so)] + list(options.ldflags)
        try:
            ok = subprocess.run(command, capture_output=True, timeout=120).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
    if ok and writable:
        with contextlib.suppress(OSError):
            marker.touch()
    return ok


@functools.lru_cache(maxsize=None)
def warn_no_compiler() -> None:
    """Warn, once per process, that eqsnn runs on numpy for lack of a C compiler."""
    warnings.warn(CompilerNotFoundWarning(
        "no working C compiler was found: eqsnn falls back to its numpy backend, which is "
        "slower. Install gcc or clang, or set CC, to use the compiled backend."),
        stacklevel=3)
