"""Where the Jinja2 templates and the C support header live.

An installed eqsnn finds them in the ``eqsnn.templates`` package, which ``setup.py``
maps from the top-level ``templates/`` folder. A source checkout imported without
installing (``python -m pytest`` from the repository root puts the checkout ahead of
site-packages) has no ``eqsnn/templates``; there the top-level folder itself is used.
"""
from __future__ import annotations

import functools
import hashlib
import os
from importlib import resources
from pathlib import Path

__all__ = ["template_dir", "template_digest", "matching_files", "update_with_files",
           "files_stamp"]


@functools.lru_cache(maxsize=1)
def template_dir() -> str:
    """The folder of templates and ``eqsnn_support.h``, installed or in the checkout."""
    package = Path(__file__).resolve().parent
    try:
        installed = Path(str(resources.files("eqsnn.templates"))).resolve()
        # only this package's own: an editable install maps eqsnn.templates to ITS
        # checkout, which is not this one when another checkout (a git worktree) is
        # imported first
        if installed.parent == package and (installed / "eqsnn_support.h").is_file():
            return str(installed)
    except ModuleNotFoundError:
        pass
    checkout = package.parent / "templates"
    if (checkout / "eqsnn_support.h").is_file():
        return str(checkout)
    raise FileNotFoundError(
        "eqsnn's templates folder is missing: neither the installed package "
        "'eqsnn.templates' nor a 'templates/' folder beside the source checkout was "
        "found. Reinstall eqsnn with 'pip install .'.")


@functools.lru_cache(maxsize=1)
def template_digest() -> str:
    """sha256 over every template (names and contents): a rendered source stored on
    disk is reused only with the very templates that rendered it. Reading them takes
    well under a millisecond and, unlike rendering, does not import Jinja2."""
    digest = hashlib.sha256()
    update_with_files(digest, Path(template_dir()), "*.j2")
    return digest.hexdigest()


def matching_files(root: Path, pattern: str) -> list[tuple[str, ...]]:
    """The files below ``root`` matching ``pattern`` (``"*.py"``: a name's ending), as
    path components, in the order of ``sorted(root.rglob(pattern))`` (by path
    components). Walked with ``os.scandir``: every process that loads a cached
    derivation lists eqsnn's ~220 source files, and pathlib's walk took as long as
    reading them."""
    suffix = pattern[1:] if pattern.startswith("*") and not any(
        c in pattern[1:] for c in "*?[") else None
    if suffix is None:  # (a pattern other than "*<ending>": pathlib's own walk)
        found = [path.relative_to(root).parts for path in root.rglob(pattern)]
    else:
        found = []
        _walk(str(root), (), suffix, found)
    return sorted(found)


def update_with_files(digest, root: Path, pattern: str,
                      files: list[tuple[str, ...]] | None = None) -> None:
    """Feed the names (relative to ``root``) and contents of the files matching
    ``pattern`` below ``root`` into ``digest``, in :func:`matching_files`' order
    (``files``: that list, when the caller has it already)."""
    for parts in matching_files(root, pattern) if files is None else files:
        digest.update("/".join(parts).encode())
        digest.update(b"\0")
        with open(os.path.join(root, *parts), "rb") as handle:
            digest.update(handle.read())


def files_stamp(root: Path, files: list[tuple[str, ...]], extra: tuple = ()) -> str:
    """sha256 over ``root`` and the names, sizes and modification times (ns) of
    ``files`` (path components below ``root``) and of the paths ``extra``: what changes
    when any of them is written, renamed, added or removed, found without reading them
    (an ``OSError`` if one is gone)."""
    stamp = hashlib.sha256(f"{root}\0".encode())
    paths = [("/".join(parts), os.path.join(root, *parts)) for parts in files]
    for name, path in paths + [(str(path), str(path)) for path in extra]:
        status = os.stat(path)
        stamp.update(f"{name}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return stamp.hexdigest()


def _walk(folder: str, parts: tuple, suffix: str, found: list) -> None:
    """The files below ``folder`` whose names end in ``suffix``, as path components
    (following links to folders, as ``rglob`` does)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir():
                _walk(entry.path, parts + (entry.name,), suffix, found)
            elif entry.name.endswith(suffix):
                found.append(parts + (entry.name,))
