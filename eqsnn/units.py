"""Physical units for eqsnn, built on pint.

Users write quantities as ``-70*mV`` or ``10*ms`` and get quantities back. Inside eqsnn
every value is a plain float64 in coherent SI units (volt, second, amp, siemens, …):
compiled code never sees a unit. Dimensions are pint ``UnitsContainer`` objects such as
``{'[length]': 2, '[mass]': 1, '[time]': -3, '[current]': -1}`` for a volt.

A user who wants no units at all passes plain numbers and writes ``: 1`` in equations.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from eqsnn._pint import pint
import eqsnn.unit_names as unit_names
from eqsnn.quantity import ureg
from eqsnn.quantity_display import short, unit_for_dimension

__all__ = [
    "ureg", "Quantity", "Unit", "Dimension", "DIMENSIONLESS",
    "dimension_of", "to_si", "from_si", "unit_for_dimension", "format_dimension",
    "is_quantity", "get_unit",
]

# The one registry (eqsnn.quantity, pint's application registry too) makes eqsnn's
# Quantity: dimensionless results are plain. Importing eqsnn.quantity_display here makes
# quantities print as people read them.
Quantity = ureg.Quantity
Unit = ureg.Unit
Dimension = type(ureg.volt.dimensionality)  # pint's UnitsContainer
DIMENSIONLESS = ureg.dimensionless.dimensionality


def get_unit(name: str) -> pint.Unit:
    """The pint unit called ``name`` (``"mV"``, ``"siemens"``, ``"1"`` …)."""
    if name in ("1", "dimensionless"):
        return ureg.dimensionless
    return ureg.Unit(name)


# --- the names users import: `from eqsnn.units import mV, ms, nA` ------------------------
class _UnitTable(Mapping):
    """Unit names (eqsnn.unit_names) -> pint units, each made when first looked up."""

    def __init__(self, expressions: dict[str, str]):
        self._expressions = expressions
        self._made: dict[str, pint.Unit] = {}

    def __getitem__(self, name: str) -> pint.Unit:
        unit = self._made.get(name)
        if unit is None:
            unit = self._made[name] = ureg.parse_units(self._expressions[_micro(name)])
        return unit

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _micro(name) in self._expressions

    def __iter__(self):
        return iter(self._expressions)

    def __len__(self) -> int:
        return len(self._expressions)


def _micro(name: str) -> str:
    """``µs`` (micro sign) and ``μs`` (Greek mu, the NFKC form Python and the parser
    give identifiers) are ``us``: accepted wherever a unit name is looked up, though
    not listed (Brian2's names are the list)."""
    if name[:1] in ("\u00b5", "\u03bc") and "u" + name[1:] in unit_names.EXPRESSIONS:
        return "u" + name[1:]
    return name


#: Units a user may import from here or write after ``:`` in an equation, by name:
#: every unit of Brian2 (eqsnn.unit_names).
UNIT_NAMES: Mapping[str, pint.Unit] = _UnitTable(unit_names.EXPRESSIONS)

__all__ += list(unit_names.STAR)


def __getattr__(name: str) -> Any:
    """``mV``, ``nsiemens``, ``cm2``: the quantity 1 of that unit, made on first use (a
    plain number for radian and steradian, which have no dimension)."""
    if name not in UNIT_NAMES:
        raise AttributeError(f"module 'eqsnn.units' has no attribute {name!r}")
    value = 1 * UNIT_NAMES[name]
    if name in unit_names.DIMENSIONLESS_NAMES:
        value = float(value.to(ureg.dimensionless).magnitude)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(UNIT_NAMES))


def is_quantity(value: Any) -> bool:
    return isinstance(value, pint.Quantity)


def dimension_of(value: Any) -> Dimension:
    """The dimension of a quantity, unit, or plain number (dimensionless)."""
    if isinstance(value, (pint.Quantity, pint.Unit)):
        return value.dimensionality
    return DIMENSIONLESS


def to_si(value: Any, *, what: str = "the values") -> tuple[Any, Dimension]:
    """Split a value into its SI magnitude (float or float64 array) and its dimension.

    A (nested) list or tuple whose elements carry units, ``[1*ms, 2*ms]``, becomes one
    float64 array (pint attaches a unit only to a whole list: ``[1, 2]*ms``); its
    elements must share one dimension (``what`` names them in the error)."""
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray)
                                            and value.dtype == object):
        if _holds_quantity(value):
            return _sequence_to_si(value, what)
    if isinstance(value, pint.Quantity):
        base = value.to_base_units()
        magnitude = base.magnitude
        if isinstance(magnitude, np.ndarray):
            magnitude = magnitude.astype(np.float64, copy=False)
        elif not isinstance(magnitude, (int, float, bool, np.number)):
            magnitude = np.asarray(magnitude, dtype=np.float64)
        return magnitude, value.dimensionality
    return value, DIMENSIONLESS


def _holds_quantity(values: Any) -> bool:
    return any(isinstance(item, pint.Quantity)
               or (isinstance(item, (list, tuple)) and _holds_quantity(item)) for item in values)


def _sequence_to_si(values: Any, what: str) -> tuple[np.ndarray, Dimension]:
    from eqsnn.errors import DimensionMismatchError, InvalidValueError
    parts = [to_si(item, what=what) for item in values]
    dims = {dim for _, dim in parts}
    if len(dims) > 1:
        shown = sorted("plain numbers" if d == DIMENSIONLESS else format_dimension(d)
                       for d in dims)
        first = next(dim for _, dim in parts if dim != DIMENSIONLESS)  # the user's intent
        unit = str(unit_for_dimension(first)).replace("ampere", "amp")  # eqsnn.units names
        raise DimensionMismatchError(
            f"{what} mix units ({' and '.join(shown)})",
            hint=f"give every element a unit, e.g. [0*{unit}, 1*{unit}], or multiply a "
                 f"list of numbers by one unit: [0, 1]*{unit}")
    try:
        return np.array([m for m, _ in parts], dtype=np.float64), dims.pop()
    except (TypeError, ValueError) as error:
        raise InvalidValueError(f"{what} cannot form an array: {error}") from None


def format_dimension(dim: Dimension) -> str:
    """A person's name for a dimension: ``volt``, ``amp/meter**2``, ``1``."""
    if dim == DIMENSIONLESS:
        return "1 (dimensionless)"
    return str(unit_for_dimension(dim)).replace("ampere", "amp")


def describe(value: Any) -> str:
    """A value as a person writes it, for messages: ``-5 ms``, ``0.5 nA``, ``'abc'``."""
    if isinstance(value, Quantity):
        return short(value)
    return str(value) if is_quantity(value) else repr(value)


def from_si(magnitude: Any, dim: Dimension) -> Any:
    """Give an SI magnitude back to the user as a quantity (plain value if dimensionless)."""
    if dim == DIMENSIONLESS:
        return magnitude
    return Quantity(magnitude, unit_for_dimension(dim))
