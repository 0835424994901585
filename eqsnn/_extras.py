"""Optional dependencies: import one, or say which extra installs it.

eqsnn's core needs none of the field's exchange formats; ``eqsnn.neuroml`` and
``eqsnn.recordings`` import theirs only when called, through :func:`require`, so a
missing package is one clear error naming the ``pip`` command rather than an
``ImportError`` from deep inside.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from eqsnn.errors import EqsnnError

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(EqsnnError, ImportError):
    """An optional feature was used without the package it needs."""


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """``import module``, or raise :class:`MissingExtraError` naming ``extra``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{feature} needs the package {module.split('.')[0]!r}, which is not installed "
            f"({exc})",
            hint=f'install the extra: pip install "eqsnn[{extra}]"') from None
