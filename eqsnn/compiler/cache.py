"""The compile cache: one file per module, keyed by everything that shapes the binary.

Layout of the cache directory (``EQSNN_CACHE_DIR`` or the platform's user cache dir)::

    _eqsnn_network_<key16>.so          a network's plain C library
    _eqsnn_network_<key16>.c           its source, for inspection
    _eqsnn_<hint>_<key16>.<ext>        a Cython extension (compile_module; the runner)
    _eqsnn_<hint>_<key16>.pyx          its source
    _eqsnn_*_<key16>.sha256            digest of the built file
    _eqsnn_*_<key16>.lock              the build lock
    .build-_eqsnn_*_<key16>-XXXX/      a build's working folder (orphans: compiler/cleanup.py)
    failed/_eqsnn_*_<key16>/           sources of a failed build
    numpy/                             generated numpy modules (compiler/python_modules.py)
    derived/, jinja2/                  SymPy derivations, compiled templates (not here:
                                       lowering/cache.py, codegen/templates.py)
    digests/                           the digest of eqsnn's sources by their stat
                                       (lowering/cache.py)

Concurrency: a module file appears only by ``os.replace`` of a finished build (atomic on
POSIX and Windows), so a reader sees a whole module or none. Builders of one key take a
``filelock.FileLock`` and look again once they hold it, so two processes asking for the
same module at once build it once and both load the result.

Corruption: a module file is loaded only if its sha256 matches the digest written next
to it (before it, by the builder) and, for ELF, it is as long as its header says
(:mod:`eqsnn.compiler.integrity`). Checking first matters: ``dlopen`` of a truncated
shared library does not fail cleanly, it maps pages past the end of the file and the
process dies of SIGBUS. An entry that fails the check, or fails to import, is deleted
and rebuilt under the lock. Hashing a module costs well under a millisecond.

A cache folder that cannot be written (read-only, full) is an error saying so when a
module has to be built; modules already there still load.
"""
from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import importlib.util
import os
import re
import shutil
import sys
import sysconfig
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from eqsnn.compiler.build import build_extension, build_library, support_include_dir
from eqsnn.compiler.cleanup import BUILD_PREFIX, remove_orphans
from eqsnn.compiler.identity import compiler_identity, cpu_identity
from eqsnn.compiler.integrity import digest_path, intact, write_digest
from eqsnn.compiler.options import CompilerOptions
from eqsnn.compiler.stats import stats
from eqsnn.errors import CompilationError, InvalidValueError

__all__ = ["cache_dir", "cache_key", "module_path", "compile_module", "compile_library",
           "ensure_built", "clear_memory_cache"]

#: Bumped when the layout or the build procedure changes, so old entries are not reused.
CACHE_FORMAT = "1"
#: How long a process waits for another one building the same module.
LOCK_TIMEOUT_SECONDS = 600.0

# key -> module; the same module object for the same source in one process
_loaded: dict[tuple[str, str], types.ModuleType] = {}


def cache_dir() -> Path:
    """The compile cache directory (created if missing)."""
    path = os.environ.get("EQSNN_CACHE_DIR")
    if not path:
        import platformdirs
        path = platformdirs.user_cache_dir("eqsnn")
    directory = Path(path)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InvalidValueError(
            f"the eqsnn cache folder {directory} is a file, not a folder",
            hint="set EQSNN_CACHE_DIR to a folder (it is created if missing)") from None
    except OSError as exc:
        raise InvalidValueError(
            f"cannot create the eqsnn cache folder {directory}: {exc.strerror}",
            hint="set EQSNN_CACHE_DIR to a folder you can write") from None
    return directory


@functools.lru_cache(maxsize=None)
def _support_header_digest() -> str:
    header = Path(support_include_dir()) / "eqsnn_support.h"
    return hashlib.sha256(header.read_bytes()).hexdigest()


def cache_key(source: str, options: CompilerOptions, *, kind: str = "cython") -> str:
    """sha256 over the source and everything else that shapes the binary.

    numpy's version is deliberately absent: generated modules receive raw addresses and
    never include numpy's headers, so a numpy upgrade does not invalidate them. A plain
    C library (``kind="c-library"``) does not include Python either, so neither the
    Python nor the Cython version is part of its key.
    """
    parts = [CACHE_FORMAT if kind == "cython" else f"{CACHE_FORMAT}-{kind}", source,
             compiler_identity(options.cc), repr(options.cflags), repr(options.ldflags),
             cpu_identity(), _support_header_digest()]
    if kind == "cython":
        parts += [cython_version(), sys.version, sysconfig.get_config_var("EXT_SUFFIX") or ""]
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")  # separator: ("ab", "c") and ("a", "bc") differ
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def cython_version() -> str:
    """Cython's ``__version__``, read from its ``Shadow.py`` (where ``Cython/__init__.py``
    takes it from) without importing Cython: the import costs ~6 ms of every process whose
    runner comes from the cache (a source checkout), which never runs Cython itself.
    Imported after all if the file does not say it plainly."""
    if "Cython" not in sys.modules:
        spec = importlib.util.find_spec("Cython")
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        for folder in locations:
            try:
                text = (Path(folder) / "Shadow.py").read_text(encoding="utf-8")
            except OSError:
                continue
            found = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']\s*$', text, re.M)
            if found:
                return found.group(1)
    import Cython
    return Cython.__version__


def module_name(name_hint: str, key: str) -> str:
    safe = "".join(c if c.isalnum() or c == "_" else "_" for c in name_hint) or "module"
    return f"_eqsnn_{safe}_{key[:16]}"


def module_path(directory: Path, name: str) -> Path:
    return directory / (name + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))


def library_path(directory: Path, name: str) -> Path:
    return directory / (name + ".so")


def clear_memory_cache() -> None:
    """Forget loaded modules (the next call looks at the disk again). For tests."""
    _loaded.clear()


@dataclass(frozen=True)
class _Kind:
    """What is built from a source: a Cython extension module or a plain C library."""

    tag: str                 # part of the cache key: the same text never collides
    source_suffix: str       # of the kept source
    path: Callable[[Path, str], Path]
    build: Callable[[Path, Path, str, CompilerOptions], None]
    load: Callable[[str, Path], Any]


def _build_cython(source_path: Path, built: Path, name: str, options: CompilerOptions) -> None:
    build_extension(source_path, built, name, options)


def _build_c(source_path: Path, built: Path, name: str, options: CompilerOptions) -> None:
    build_library(source_path, built, options)


def compile_module(pyx_source: str, *, name_hint: str = "network",
                   options: CompilerOptions | None = None) -> types.ModuleType:
    """The compiled, loaded Cython module for ``pyx_source``; built once, then cached.

    Parameters
    ----------
    pyx_source
        The Cython source of the module.
    name_hint
        Readable part of the module's file name (``_eqsnn_<hint>_<key16>``).
    options
        Compiler and flags; default :meth:`CompilerOptions.from_environment`.

    Raises
    ------
    CompilationError
        With the first errors of Cython or the C compiler and where the source was kept.
    """
    return _compile(_CYTHON, pyx_source, name_hint, options)


def compile_library(c_source: str, *, name_hint: str = "network",
                    options: CompilerOptions | None = None) -> "ctypes.CDLL":
    """The compiled, loaded shared library for plain C ``c_source``; built once, cached.

    The library is loaded with :class:`ctypes.CDLL` (calls through it release the GIL).
    Same cache, locking, corruption checks and errors as :func:`compile_module`.
    """
    return _compile(_C_LIBRARY, c_source, name_hint, options)


def _compile(kind: _Kind, source: str, name_hint: str, options: CompilerOptions | None):
    options = options if options is not None else CompilerOptions.from_environment()
    key = cache_key(source, options, kind=kind.tag)
    directory = cache_dir()
    memo_key = (str(directory), key)
    module = _loaded.get(memo_key)
    if module is not None:
        stats.memory_hits += 1
        return module
    name = module_name(name_hint, key)
    path = kind.path(directory, name)
    module = _try_load(kind, name, path)
    if module is not None:
        stats.disk_hits += 1
    else:
        module = _build_locked(kind, source, directory, name, path, options)
    _loaded[memo_key] = module
    return module


def ensure_built(source: str, *, name_hint: str = "network",
                 options: CompilerOptions | None = None, kind: str = "cython") -> Path:
    """Build ``source`` (``kind`` ``"cython"`` or ``"c"``) into the cache if it is not
    there, without loading it. Returns the path of the module file.
    """
    build_kind = _KINDS[kind]
    options = options if options is not None else CompilerOptions.from_environment()
    key = cache_key(source, options, kind=build_kind.tag)
    directory = cache_dir()
    name = module_name(name_hint, key)
    path = build_kind.path(directory, name)
    if not path.exists():
        _build_locked(build_kind, source, directory, name, path, options, load=False)
    return path


def _build_locked(kind: _Kind, source: str, directory: Path, name: str, path: Path,
                  options: CompilerOptions, *, load: bool = True):
    """Build under the key's lock unless a loadable module is there; load it if asked."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(directory / (name + ".lock")), timeout=LOCK_TIMEOUT_SECONDS)
    try:
        with _writable(directory), lock:
            if path.exists():
                # another process finished it while we waited — or it is corrupt
                module = _try_load(kind, name, path)
                if module is not None:
                    stats.disk_hits += 1
                    return module
                stats.corrupt_rebuilds += 1
                path.unlink(missing_ok=True)
            _build(kind, source, directory, name, path, options)
    except Timeout as exc:
        raise CompilationError(
            f"waited {LOCK_TIMEOUT_SECONDS:.0f} s for another process building {name}",
            hint=f"if no eqsnn process is running, delete {lock.lock_file}") from exc
    if not load:
        return None
    module = _try_load(kind, name, path)
    if module is None:
        raise CompilationError(f"the freshly built module {path} does not load",
                               hint="the cache directory may be on a full or read-only "
                                    "disk; set EQSNN_CACHE_DIR elsewhere")
    return module


@contextlib.contextmanager
def _writable(directory: Path):
    """Turn "cannot write here" while building into an error that says so."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT):
            raise
        raise CompilationError(
            f"cannot build in the eqsnn cache folder {directory}: {exc.strerror}",
            hint="the folder is read-only or its disk is full; set EQSNN_CACHE_DIR to a "
                 "writable folder (modules already built there still load)") from None


def _build(kind: _Kind, source: str, directory: Path, name: str, path: Path,
           options: CompilerOptions) -> None:
    remove_orphans(directory, held=name)  # working folders of builds that were killed
    workdir = Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{name}-", dir=directory))
    source_path = workdir / (name + kind.source_suffix)
    source_path.write_text(source, encoding="utf-8")
    built = workdir / path.name
    try:
        kind.build(source_path, built, name, options)
    except CompilationError as exc:
        kept = directory / "failed" / name
        shutil.rmtree(kept, ignore_errors=True)
        kept.parent.mkdir(exist_ok=True)
        for leftover in workdir.glob(name + ".o"):
            leftover.unlink()
        os.replace(workdir, kept)
        raise CompilationError(
            exc.message, hint=f"{exc.hint}\n  generated source kept at {kept / source_path.name}"
        ) from None
    os.replace(source_path, directory / source_path.name)
    digest_tmp = workdir / "digest"
    write_digest(digest_tmp, built)
    os.replace(digest_tmp, digest_path(path))  # before the module: never a module without
    os.replace(built, path)  # last: the module appears whole, or not at all
    stats.compilations += 1
    shutil.rmtree(workdir, ignore_errors=True)


def _try_load(kind: _Kind, name: str, path: Path):
    """Load the module or library at ``path``; ``None`` if it is missing, damaged or does
    not load."""
    if not path.exists() or not intact(path):
        return None
    started = time.perf_counter()
    try:
        return kind.load(name, path)
    except (ImportError, OSError):
        return None
    finally:
        stats.load_seconds += time.perf_counter() - started


def _load_extension(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[name] = module
    return module


def _load_library(name: str, path: Path):
    import ctypes
    return ctypes.CDLL(str(path))


_CYTHON = _Kind("cython", ".pyx", module_path, _build_cython, _load_extension)
_C_LIBRARY = _Kind("c-library", ".c", library_path, _build_c, _load_library)
_KINDS = {"cython": _CYTHON, "c": _C_LIBRARY}
