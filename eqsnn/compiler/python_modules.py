"""Generated numpy modules: imported through a file in the cache (``numpy/``), never exec-ed
from a string, so that tracebacks show the generated lines.

A module's file is named by the sha256 of its source, and it is used only if it holds
exactly that source: a file cut short (a full disk, a killed writer) or edited is written
again, instead of failing with ``SyntaxError`` on every run. Comparing the bytes costs
microseconds for a module of a few kilobytes. Files appear by atomic rename.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
import types
from pathlib import Path

from eqsnn.compiler.cache import cache_dir, module_name
from eqsnn.errors import CompilationError

__all__ = ["load_python_module"]

_modules: dict[tuple[str, str], types.ModuleType] = {}


def load_python_module(source: str, *, name_hint: str) -> types.ModuleType:
    """The module whose text is ``source``, imported from ``<cache>/numpy/``; once per
    process and source."""
    directory = cache_dir() / "numpy"
    key = hashlib.sha256(source.encode("utf-8")).hexdigest()
    memo = (str(directory), key)
    if memo in _modules:
        return _modules[memo]
    name = module_name(name_hint, key)
    path = directory / (name + ".py")
    if not _holds(path, source):
        _write(directory, path, source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _modules[memo] = module
    return module


def _holds(path: Path, source: str) -> bool:
    try:
        return path.read_bytes() == source.encode("utf-8")
    except OSError:
        return False


def _write(directory: Path, path: Path, source: str) -> None:
    try:
        directory.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".py")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(source)
        os.replace(tmp, path)  # atomic: a concurrent reader sees all or nothing
    except OSError as exc:
        raise CompilationError(
            f"cannot write the generated numpy module into {directory}: {exc.strerror}",
            hint="the cache folder is read-only or its disk is full; set EQSNN_CACHE_DIR "
                 "to a writable folder") from None
