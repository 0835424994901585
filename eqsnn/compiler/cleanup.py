"""What eqsnn keeps in its cache folder; removing what is orphaned, or all of it.

A build works in a folder ``.build-<module>-XXXX`` of its own, under the module's lock,
and removes it when done. A build that was killed (Ctrl-C at the wrong moment, an out-of-
memory kill, a power cut) leaves the folder behind. It is orphaned when nobody holds the
module's lock: the next build in the cache removes every such folder, and
``eqsnn cache --clear`` (:func:`clear`) does too. A folder whose lock is held belongs to a
build in progress, in this process or another, and is left alone.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BUILD_PREFIX", "PROBE_PREFIX", "Contents", "contents", "clear", "remove_orphans"]

#: Prefix of a build's working folder: ``.build-<module name>-<random>``.
BUILD_PREFIX = ".build-"
#: Prefix of the compiler probe's working folder (see :mod:`eqsnn.compiler.availability`).
PROBE_PREFIX = ".probe-"
#: A probe takes well under a minute; one older than this was killed.
_PROBE_MAX_AGE_SECONDS = 3600.0
#: Folders eqsnn writes beside the modules: model derivations, compiled Jinja2 templates,
#: failed builds' sources, generated numpy modules, the digests of eqsnn's sources.
_FOLDERS = ("derived", "jinja2", "failed", "numpy", "digests")
_MODULE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


@dataclass
class Contents:
    """eqsnn's files in a cache folder (``EQSNN_CACHE_DIR`` may hold other things too)."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    size: int = 0

    @property
    def modules(self) -> int:
        """Compiled modules and libraries."""
        return sum(1 for p in self.files if p.suffix in _MODULE_SUFFIXES)


def contents(directory: Path) -> Contents:
    """Everything eqsnn wrote in ``directory``: ``_eqsnn_*`` files (modules, sources,
    digests, locks), compiler probe markers, its folders and orphaned working folders."""
    found = Contents()
    for path in directory.iterdir():
        if path.is_file() and path.name.startswith(("_eqsnn_", "compiler-ok-")):
            found.files.append(path)
        elif path.is_dir() and (path.name in _FOLDERS or _orphaned(directory, path)):
            found.folders.append(path)
    found.size = sum(_size(p) for p in found.files + found.folders)
    return found


def clear(directory: Path) -> Contents:
    """Delete everything :func:`contents` lists; return what it was."""
    found = contents(directory)
    for path in found.files:
        path.unlink(missing_ok=True)
    for path in found.folders:
        shutil.rmtree(path, ignore_errors=True)
    return found


def remove_orphans(directory: Path, *, held: str | None = None) -> int:
    """Remove the working folders of builds that died; ``held`` names a module whose lock
    the caller holds (its folders are orphaned too). Returns how many were removed."""
    removed = 0
    for path in directory.iterdir():
        if path.is_dir() and (_orphaned(directory, path) or
                              (held is not None and _module_of(path) == held)):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _module_of(folder: Path) -> str | None:
    if not folder.name.startswith(BUILD_PREFIX):
        return None
    # module names are made of letters, digits and "_"; mkdtemp adds "-<random>"
    return folder.name[len(BUILD_PREFIX):].rpartition("-")[0] or None


def _orphaned(directory: Path, folder: Path) -> bool:
    if folder.name.startswith(PROBE_PREFIX):
        try:
            return time.time() - folder.stat().st_mtime > _PROBE_MAX_AGE_SECONDS
        except OSError:
            return False
    module = _module_of(folder)
    return module is not None and not _locked(directory / (module + ".lock"))


def _locked(lock_file: Path) -> bool:
    """Whether a build holds ``lock_file`` now (in this process or another)."""
    from filelock import FileLock, Timeout
    if not lock_file.exists():  # a builder takes its lock before making its folder
        return False
    try:
        with FileLock(str(lock_file), timeout=0):
            return False
    except Timeout:
        return True
    except OSError:  # cannot even open the lock (read-only folder): leave the folder be
        return True


def _size(path: Path) -> int:
    try:
        if path.is_file():
            return path.stat().st_size
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    except OSError:
        return 0
