"""The build stage's records, kept on disk as JSON.

A group's strings go through parsing, unit checks, SymPy discretisation and C/numpy
printing, which needs SymPy (0.3–0.5 s just to import). What comes out is a record
(:mod:`eqsnn.lowering.records`): plain data. It is stored here once, keyed by everything
that determines it, so a later process building the same model loads a small JSON file
and never imports SymPy. The network's rendered source is kept here the same way.

The key covers the model's strings and options, the names and dimensions of the
namespace entries (values are run-time data and never enter a derivation), the digest
of eqsnn's own source files (a fix in an integrator or printer invalidates old entries
without a version bump) and SymPy's version. Only successful derivations are stored: a
model with a mistake is derived again every time, so its error is raised by the same
code, with the same message, as on the first run.

Entries live in ``<compile cache>/derived/`` (see :func:`eqsnn.compiler.cache_dir`);
writes are atomic (temp file + rename), and an unreadable entry counts as a miss.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable

from eqsnn.errors import EqsnnError

__all__ = ["key", "load", "store", "load_record", "store_record", "namespace_signature",
           "derived_from_strings", "sources_digest"]

#: Bumped when the layout of stored entries changes.
FORMAT = 3


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """sha256 of eqsnn's Python files and SymPy's version file (:func:`sources_digest`)."""
    return sources_digest(Path(__file__).resolve().parent.parent, "*.py", _sympy_release())


def sources_digest(root: Path, pattern: str, extra: tuple[Path, ...] = ()) -> str:
    """sha256 of the names and contents of the files matching ``pattern`` below ``root``
    (:func:`eqsnn.resources.update_with_files`), then of the contents of ``extra``.

    Reading and hashing eqsnn's ~220 files (1.5 MB) took ~5 ms of every process that
    loads a derivation. So the digest is remembered in ``<cache>/digests/`` under a
    stamp of ``root`` and the files' names, sizes and modification times (ns), and a
    later process only lists and stats the files (~1.5 ms) to find it again. Writing a
    file gives it a new time (Python trusts a ``.pyc`` on less: its source's size and
    time in whole seconds). A digest whose files changed while it was computed is not
    remembered."""
    from eqsnn.resources import matching_files, update_with_files
    files = matching_files(root, pattern)
    stamp = _stamp(root, files, extra)
    remembered = _remembered_digest(stamp) if stamp is not None else None
    if remembered is not None:
        return remembered
    digest = hashlib.sha256()
    update_with_files(digest, root, pattern, files)
    for path in extra:
        digest.update(Path(path).read_bytes())
    result = digest.hexdigest()
    if stamp is not None and _stamp(root, files, extra) == stamp:
        _remember_digest(stamp, result)
    return result


def _sympy_release() -> tuple[Path, ...]:
    """SymPy's version file (none if SymPy is missing), found without importing SymPy
    (or importlib.metadata, ~0.05 s)."""
    spec = importlib.util.find_spec("sympy")
    if spec is not None and spec.origin:
        release = Path(spec.origin).parent / "release.py"
        if release.exists():
            return (release,)
    return ()


def _stamp(root: Path, files, extra) -> str | None:
    from eqsnn.resources import files_stamp
    try:
        return files_stamp(root, files, extra)
    except OSError:  # a file went away since it was listed: no stamp, hash them
        return None


def _digest_path(stamp: str) -> Path:
    from eqsnn.compiler.cache import cache_dir
    return cache_dir() / "digests" / f"{stamp[:32]}.json"


def _remembered_digest(stamp: str) -> str | None:
    """The digest remembered for ``stamp``, or ``None`` (none yet, unreadable, or no
    usable cache folder: a cache folder that is a file is reported where it always
    was, when an entry is loaded or stored)."""
    try:
        with open(_digest_path(stamp), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, EqsnnError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp or \
            not isinstance(data.get("digest"), str):
        return None
    return data["digest"]


def _remember_digest(stamp: str, digest: str) -> None:
    try:
        _write_atomically(_digest_path(stamp), {"stamp": stamp, "digest": digest})
    except (OSError, EqsnnError):
        pass  # (a read-only cache only costs the hashing again next time)


def key(kind: str, parts: Any) -> str:
    """The entry name for a derivation of ``kind`` from ``parts`` (JSON-able data)."""
    text = json.dumps([FORMAT, _code_digest(), kind, parts], sort_keys=True,
                      separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _directory() -> Path:
    from eqsnn.compiler.cache import cache_dir
    return cache_dir() / "derived"


def _path(entry: str) -> Path:
    return _directory() / f"{entry[:32]}.json"


def load(entry: str) -> dict | None:
    """The stored data for ``entry``, or ``None`` (missing or unreadable)."""
    try:
        with open(_path(entry), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != entry:
        return None  # a damaged file or a truncated-name collision: derive again
    return data["data"]


def store(entry: str, data: dict) -> None:
    """Keep ``data`` for ``entry``; failures (read-only disk) only cost speed later."""
    try:
        _write_atomically(_path(entry), {"key": entry, "data": data})
    except OSError:
        pass


def _write_atomically(path: Path, payload: dict) -> None:
    """``payload`` as JSON at ``path`` (its folder made if missing): written to a
    temporary file and renamed, so readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, separators=(",", ":"))
    os.replace(tmp, path)


def load_record(entry: str | None, record_type):
    """The record of type ``record_type`` stored for ``entry``, or ``None``."""
    data = load(entry) if entry is not None else None
    if data is None:
        return None
    try:
        return record_type.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None  # written by another layout: derive again


def store_record(entry: str | None, record) -> None:
    if entry is not None:
        store(entry, record.to_json())


def namespace_signature(namespace) -> list:
    """What a derivation may depend on in a namespace: names, kinds and dimensions."""
    from eqsnn import units
    from eqsnn.lowering.records import dimension_to_json
    signature = []
    for name in sorted(namespace):
        value = namespace[name]
        if callable(value) and hasattr(value, "_eqsnn_function"):
            dim = getattr(value, "dim", None)
            signature.append([name, "function", type(value).__name__,
                              dimension_to_json(dim) if dim is not None else None])
        else:
            signature.append([name, "value", dimension_to_json(units.dimension_of(value))])
    return signature


def derived_from_strings(kind: str, build_key: str | None, parts: list, namespace,
                         record_type, derive: Callable[[], Any]):
    """The record a string of a built object derives to (an initialiser, an index, a
    condition): loaded when the cache holds it for ``build_key``, the ``parts`` and the
    namespace's names and units (the derivation checked them), else ``derive()``d and
    stored. Without a ``build_key`` nothing is cached."""
    entry = key(kind, [build_key, *parts, namespace_signature(namespace)]) \
        if build_key else None
    record = load_record(entry, record_type)
    if record is None:
        record = derive()
        store_record(entry, record)
    return record
