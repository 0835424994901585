"""Where the Jinja2 templates and the C support header live.

An installed eqsnn finds them in the ``eqsnn.templates`` package, which ``setup.py``
maps from the top-level ``templates/`` folder. A source checkout imported without
installing (``python -m pytest`` from the repository root puts the checkout ahead of
site-packages) has no ``eqsnn/templates``; there the top-level folder itself is used.
"""
from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path

__all__ = ["template_dir", "template_digest", "update_with_files"]


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


def update_with_files(digest, root: Path, pattern: str) -> None:
    """Feed the names (relative to ``root``) and contents of the files matching
    ``pattern`` below ``root`` into ``digest``, in a fixed order."""
    for path in sorted(root.rglob(pattern)):
        digest.update(str(path.relative_to(root).as_posix()).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
