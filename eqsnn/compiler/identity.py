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

__all__ = ["cpu_identity", "compiler_identity"]


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


@functools.lru_cache(maxsize=None)
def compiler_identity(cc: tuple[str, ...]) -> str:
    """Resolved path and ``--version`` banner of the C compiler."""
    path = shutil.which(cc[0]) or cc[0]
    try:
        banner = subprocess.run(list(cc) + ["--version"], capture_output=True, text=True,
                                timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        banner = "unknown"
    return f"{path}|{' '.join(cc[1:])}|{banner}"
