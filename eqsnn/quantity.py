"""eqsnn's Quantity: pint's quantity, with Brian2's answer for a dimensionless result.

pint keeps ``t/ms`` as a quantity in ``second / millisecond``. numpy, matplotlib and
pandas then strip that unit *without converting* (``np.asarray(0.3*second/ms)`` is
``0.3``, not ``300``), so plots and index arithmetic are off by powers of ten. Brian2
returns a plain number for a dimensionless result; so does this class: every operation
whose result has no dimension (``*``, ``/``, ``//``, ``**``, numpy ufuncs and functions)
gives a float or an ndarray, converted to the right scale. Everything else is pint's.

This module is the bottom of eqsnn's units: it holds the one registry (:data:`ureg`),
and imports nothing else of eqsnn's units. :mod:`eqsnn.quantity_display` (``16.3 ms``,
``-70. mV``, one SI prefix for a whole array, LaTeX for notebooks) sits above it and
registers itself with :func:`show_with` when imported (:mod:`eqsnn.units` imports it);
until then a quantity prints as pint prints it.

Pickles name :func:`_unpickle`, so a quantity sent to another process (sweep workers,
multiprocessing) comes back as an eqsnn quantity on eqsnn's registry, even if that
process had not imported eqsnn yet.
"""
from __future__ import annotations

from typing import Any

from eqsnn._pint import pint
from eqsnn.errors import DimensionMismatchError

__all__ = ["Quantity", "Registry", "ureg", "plain", "NotAPlainNumberError", "show_with"]

_PintQuantity = pint.UnitRegistry.Quantity


def plain(value: Any) -> Any:
    """``value`` itself, or, if it is a dimensionless quantity, its plain number at the
    right scale (``(0.3*second/ms)`` → ``300.0``)."""
    if isinstance(value, _PintQuantity) and not value.dimensionality:
        units = value._units
        if units:  # "second / millisecond", "mV / volt", "radian": convert
            value = value.to(value._REGISTRY.dimensionless)
        return value._magnitude
    return value


def _plain_result(name: str):
    """pint's operator ``name``, with a dimensionless result made plain."""
    pint_method = getattr(_PintQuantity, name)

    def method(self, *args, **kwargs):
        return plain(pint_method(self, *args, **kwargs))

    method.__name__ = name
    method.__qualname__ = f"Quantity.{name}"
    method.__doc__ = pint_method.__doc__
    return method


class NotAPlainNumberError(DimensionMismatchError, TypeError):
    """``float()``/``int()`` of a quantity with a unit. A TypeError too, as Python's
    conversions raise (matplotlib, numpy and pint catch that one)."""


def _no_plain_value(kind: str):
    def method(self):
        if not self.dimensionality:
            return getattr(plain(self), f"__{kind}__")()
        raise NotAPlainNumberError(
            f"{kind}() of {self}: a quantity with a unit is not a plain number",
            hint=f"divide by the unit you want the number in, e.g. {kind}(x/mV) or "
                 f"{kind}(t/ms)")
    method.__name__ = f"__{kind}__"
    return method


def _unpickle(magnitude: Any, units: Any) -> Any:
    """Rebuild a pickled quantity on eqsnn's registry."""
    return ureg.Quantity(magnitude, units)


#: How quantities are shown: a module with text, code, formatted and latex functions
#: (eqsnn.quantity_display, which registers itself); None: as pint shows them.
_display: Any = None


def show_with(display: Any) -> None:
    """Make quantities print with ``display``'s ``text``/``code``/``formatted``/``latex``."""
    global _display
    _display = display


class Quantity(_PintQuantity):
    """A pint quantity whose dimensionless results are plain numbers, printed the way
    people read them. Create quantities with eqsnn's units: ``-70*mV``, ``[1, 2]*ms``."""

    for _name in ("__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__floordiv__",
                  "__rfloordiv__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__",
                  "__imul__", "__itruediv__", "__ifloordiv__", "__ipow__",
                  "__add__", "__radd__", "__sub__", "__rsub__", "__getitem__",
                  "__array_ufunc__", "__array_function__"):
        locals()[_name] = _plain_result(_name)
    del _name

    __float__ = _no_plain_value("float")
    __int__ = _no_plain_value("int")
    __complex__ = _no_plain_value("complex")

    def __array__(self, dtype=None, copy=None):
        """The numbers in SI, as Brian2 gives them (``np.asarray(-70*mV)`` is -0.07 however
        the quantity was made), with pint's UnitStrippedWarning when there is a unit to
        lose; a dimensionless quantity (only made by hand) gives its plain value."""
        import numpy as np
        if dtype is not None and np.dtype(dtype) == object and np.ndim(self._magnitude) == 0:
            # np.array([1*nA, 2*nA], dtype=object) asks each element this way and keeps
            # the quantities themselves: nothing is stripped, so nothing to warn about
            held = np.empty((), dtype=object)
            held[()] = self
            return held
        if self.dimensionality:
            import warnings
            warnings.warn("The unit of the quantity is stripped when downcasting to "
                          "ndarray: the values are in SI (divide by a unit, e.g. v/mV, "
                          "for numbers in that unit)", pint.UnitStrippedWarning, stacklevel=2)
            return np.asarray(self.to_base_units()._magnitude, dtype=dtype)
        return np.asarray(plain(self), dtype=dtype)

    def __reduce__(self):
        return _unpickle, (self._magnitude, self._units)

    # --- how a quantity looks (eqsnn.quantity_display) --------------------------------
    def __str__(self) -> str:
        return _display.text(self) if _display else super().__str__()

    def __repr__(self) -> str:
        return _display.code(self) if _display else super().__repr__()

    def __format__(self, spec: str) -> str:
        return _display.formatted(self, spec) if _display else super().__format__(spec)

    def _repr_latex_(self) -> str | None:
        return _display.latex(self) if _display else None

    def _repr_html_(self) -> None:
        return None  # notebooks show the LaTeX (pint's HTML is the SI magnitude + unit)

    def _repr_markdown_(self) -> None:
        return None

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(repr(self))


class Registry(pint.UnitRegistry):
    """pint's registry, making eqsnn's :class:`Quantity`."""

    Quantity = Quantity


# One registry for the whole package. ``cache_folder=":auto:"`` keeps pint's parsed
# definitions in the platform cache dir: it cuts the registry build from ~0.1 s to ~0.015 s,
# which matters for a warm `python script.py` whose whole budget is well under a second.
try:
    ureg = Registry(cache_folder=":auto:")
except Exception:  # read-only home, odd platforms: a slower registry still works
    ureg = Registry()

# Unpickled quantities attach to pint's application registry: make it this one, so a
# quantity sent to another process (sweep workers, multiprocessing) comes back usable
# with eqsnn's units instead of raising "different registries".
pint.set_application_registry(ureg)
