"""What a compiled binary depends on besides its source: the CPU and the C compiler.

Both go into the compile cache's key (``-march=native`` code is CPU-specific), and the
compiler's banner tells :mod:`eqsnn.compiler.options` whether it is clang. Each is
asked once per process.
"""
from __future__ import annotations

import functools
import platform
import shutil
import subprocess

from eqsnn.errors import CompilationError

__all__ = ["cpu_identity", "compiler_identity", "VERSION_TIMEOUT_SECONDS"]


@functools.lru_cache(maxsize=None)
def cpu_identity() -> str:
    """Model name and feature flags of the CPU (``-march=native`` code is CPU-specific)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            wanted = {}
            for line in handle:
                key, _, value = line.partition(":")
                key = key.strip()
                if key in ("model name", "flags", "Features", "CPU part") and key not in wanted:
                    wanted[key] = value.strip()
                if not line.strip() and wanted:  # end of the first processor's block
                    break
        if wanted:
            return "|".join(f"{k}={v}" for k, v in sorted(wanted.items()))
    except OSError:
        pass
    return f"{platform.machine()}|{platform.processor()}"


#: How long ``cc --version`` may take. The banner is part of every module's cache key, so
#: a slow answer must not become another identity: a process on a loaded machine that
#: gave up after a few seconds would compile every module again, under the key of an
#: "unknown" compiler. As long as a process waits for another one's build.
VERSION_TIMEOUT_SECONDS = 600.0


@functools.lru_cache(maxsize=None)
def compiler_identity(cc: tuple[str, ...]) -> str:
    """Resolved path and ``--version`` banner of the C compiler (``unknown`` if it cannot
    be run; a compiler that does not answer within :data:`VERSION_TIMEOUT_SECONDS` is an
    error, asked again at the next call)."""
    path = shutil.which(cc[0]) or cc[0]
    try:
        banner = subprocess.run(list(cc) + ["--version"], capture_output=True, text=True,
                                timeout=VERSION_TIMEOUT_SECONDS).stdout.strip()
    except subprocess.TimeoutExpired:
        raise CompilationError(
            f"the C compiler {' '.join(cc)!r} did not answer '--version' within "
            f"{VERSION_TIMEOUT_SECONDS:g} s",
            hint="set CC to a compiler that runs (its version is part of the compile "
                 "cache's key)") from None
    except (OSError, subprocess.SubprocessError):
        banner = "unknown"
    return f"{path}|{' '.join(cc[1:])}|{banner}"
