"""What crosses a process boundary in a sweep, and how.

Two things need care:

* **Quantities.** A pint quantity pickles with a reference to *a* unit registry, and the
  process that unpickles it attaches it to pint's default registry, not to eqsnn's: the
  result cannot be added to eqsnn's quantities. So quantities travel as a plain
  :class:`Magnitude` (number or array, plus the unit's text) and are rebuilt on eqsnn's
  registry on the other side.
* **The user's functions.** ``build`` and ``collect`` are pickled *by reference* (module
  and name), so the worker imports them: they must be defined at the top level of an
  importable module. :func:`check_picklable` says so in an eqsnn error before any
  worker starts, rather than letting each worker fail with pickle's message.
"""
from __future__ import annotations

import pickle
import sys
from typing import Any, Callable, NamedTuple

from eqsnn import units
from eqsnn.errors import EqsnnError

__all__ = ["Magnitude", "encode", "decode", "check_picklable", "SweepError"]


class SweepError(EqsnnError):
    """A sweep cannot start: its functions, parameters or options are unusable."""


class Magnitude(NamedTuple):
    """A quantity in transit: its magnitude in ``unit``, and the unit as text."""

    value: Any
    unit: str


def encode(value: Any) -> Any:
    """``value`` with every quantity (also inside lists, tuples, dicts) as a Magnitude."""
    if units.is_quantity(value):
        return Magnitude(value.magnitude, str(value.units))
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not isinstance(value, Magnitude):
        return type(value)(encode(v) for v in value)
    return value


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`: quantities on eqsnn's unit registry again."""
    if isinstance(value, Magnitude):
        return units.ureg.Quantity(value.value, value.unit)
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(decode(v) for v in value)
    return value


def check_picklable(function: Callable, role: str) -> None:
    """Raise :class:`SweepError` unless worker processes can import ``function``.

    Parameters
    ----------
    function
        The user's ``build`` or ``collect``.
    role
        Its argument name, for the message.
    """
    name = getattr(function, "__qualname__", repr(function))
    where = _defined_where(function)
    if where is not None:
        raise SweepError(
            f"{role}={name} cannot be sent to worker processes: {where}",
            hint=f"define {role} with 'def' at the top level of a .py file (in a script, "
                 f"run the sweep under 'if __name__ == \"__main__\":'; from a notebook, "
                 f"put {role} in a module next to it and import it), or use workers=1 "
                 f"to run in this process")
    try:
        pickle.dumps(function)
    except Exception as exc:  # pickle raises several types (PicklingError, TypeError, …)
        raise SweepError(
            f"{role}={name} cannot be sent to worker processes: pickle says "
            f"{type(exc).__name__}: {exc}",
            hint=f"{role} must be a function defined at the top level of a module "
                 f"(or use workers=1 to run in this process)") from None


def _defined_where(function: Callable) -> str | None:
    """Why a function would not be importable in another process, or ``None``."""
    qualname = getattr(function, "__qualname__", "")
    if getattr(function, "__name__", "") == "<lambda>":
        return "it is a lambda, which other processes cannot import"
    if "<locals>" in qualname:
        return "it is defined inside another function, which other processes cannot import"
    module = getattr(function, "__module__", None)
    if module == "__main__" and not getattr(sys.modules.get("__main__"), "__file__", None):
        return ("it is defined in an interactive session (a notebook or the REPL), which "
                "worker processes cannot import")
    return None
