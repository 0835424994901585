"""How a quantity is shown: ``16.3 ms``, ``-70. mV``, ``[0.  0.1 0.2] ms``.

The unit shown is chosen from the quantity's dimension, not from how it was made: a
voltage is shown in V with the SI prefix that puts its largest magnitude between 1 and
1000 (one prefix for a whole array), so ``0.0163*second`` and ``16.3*ms`` both print as
``16.3 ms``. Numbers are printed by numpy (8 significant digits at most), which hides the
float noise of a conversion (``0.016300000000000002`` s). Dimensions without a named
unit (volt/second, amp/meter**2) are shown in SI without a prefix.

* :func:`text` — ``str``: ``16.3 ms``
* :func:`code` — ``repr``: ``16.3 * ms``, evaluable with the names of ``eqsnn.units``
* :func:`latex` — notebooks: ``$16.3\\ \\mathrm{ms}$``, arrays as a (shortened) matrix

Importing this module makes eqsnn's quantities print this way (:func:`eqsnn.quantity.show_with`;
:mod:`eqsnn.units` imports it). It sits above :mod:`eqsnn.quantity` and below
:mod:`eqsnn.units`.
"""
from __future__ import annotations

import sys
from typing import Any, NamedTuple

import numpy as np

from eqsnn.quantity import show_with, ureg

__all__ = ["text", "code", "short", "latex", "formatted", "display_unit",
           "unit_for_dimension"]


class _Base(NamedTuple):
    pint_name: str   # the unit pint knows
    symbol: str      # shown by str(): "V", "s", "ohm"
    name: str        # shown by repr() unprefixed: an eqsnn.units name
    prefixes: str    # the prefixes that may be shown, largest scale last


_ALL = "fpnum kMG"  # " " = no prefix
#: dimension's unit -> how it is shown. Kelvin gets no prefix; seconds stop at s.
_BASES = [
    _Base("volt", "V", "volt", _ALL), _Base("second", "s", "second", "fpnum "),
    _Base("ampere", "A", "amp", _ALL), _Base("siemens", "S", "siemens", _ALL),
    _Base("farad", "F", "farad", _ALL), _Base("ohm", "ohm", "ohm", _ALL),
    _Base("hertz", "Hz", "Hz", " kMG"), _Base("meter", "m", "metre", _ALL),
    _Base("coulomb", "C", "coulomb", _ALL), _Base("mole", "mol", "mole", _ALL),
    _Base("molar", "M", "molar", _ALL), _Base("kelvin", "K", "kelvin", " "),
    _Base("joule", "J", "joule", _ALL), _Base("watt", "W", "watt", _ALL),
    _Base("newton", "N", "newton", _ALL), _Base("pascal", "Pa", "pascal", _ALL),
    _Base("henry", "H", "henry", _ALL), _Base("tesla", "T", "tesla", _ALL),
    _Base("weber", "Wb", "weber", _ALL),
]
_PREFIX = {"f": ("femto", 1e-15), "p": ("pico", 1e-12), "n": ("nano", 1e-9),
           "u": ("micro", 1e-6), "m": ("milli", 1e-3), " ": ("", 1.0),
           "k": ("kilo", 1e3), "M": ("mega", 1e6), "G": ("giga", 1e9)}
#: Brian2's short names (repr uses them where they exist: mV, not mvolt)
_SHORT = {"mV", "ms", "us", "mA", "uA", "nA", "pA", "mS", "uS", "nS", "uF", "nF", "pF",
          "Hz", "kHz", "MHz", "mm", "um", "cm", "mM", "uM", "nM"}
_LONG_BASE = {"volt": "volt", "second": "second", "ampere": "amp", "siemens": "siemens",
              "farad": "farad", "ohm": "ohm", "hertz": "hertz", "meter": "metre",
              "coulomb": "coulomb", "mole": "mole", "molar": "molar", "kelvin": "kelvin",
              "joule": "joule", "watt": "watt", "newton": "newton", "pascal": "pascal",
              "henry": "henry", "tesla": "tesla", "weber": "weber"}
_by_dimension: dict | None = None

# Units shown to users for a dimension, in order of preference. A dimension not listed
# falls back to the product of SI base units.
_PREFERRED = [
    "volt", "second", "ampere", "siemens", "farad", "ohm", "hertz", "meter", "coulomb",
    "mole", "molar", "kelvin", "volt/second", "ampere/second", "siemens/second",
    "ampere/meter**2", "siemens/meter**2", "farad/meter**2", "volt**2", "second**2",
    "1/volt", "1/second/volt", "ampere/volt", "ampere/volt**2", "siemens/volt",
    "volt/ampere", "joule", "watt",
]
_preferred_units: dict | None = None


def unit_for_dimension(dim) -> Any:
    """A readable SI unit with dimension ``dim`` (``volt`` rather than kg·m²/(A·s³))."""
    global _preferred_units
    if not dim:  # dimensionless
        return ureg.dimensionless
    if _preferred_units is None:
        _preferred_units = {}
        for name in _PREFERRED:
            unit = ureg.parse_units(name)
            _preferred_units.setdefault(unit.dimensionality, unit)
    unit = _preferred_units.get(dim)
    if unit is not None:
        return unit
    # Already a product of SI base units; converting it again would multiply out the
    # kilogram's prefix, which overflows for absurd powers (kg**103).
    return _base_product(dim)


def _base_product(dim):
    base = {"[length]": ureg.meter, "[mass]": ureg.kilogram, "[time]": ureg.second,
            "[current]": ureg.ampere, "[temperature]": ureg.kelvin,
            "[substance]": ureg.mole, "[luminosity]": ureg.candela}
    unit = ureg.dimensionless
    for name, power in dim.items():
        unit = unit * base[name] ** power
    return unit



class DisplayUnit(NamedTuple):
    unit: Any        # pint unit the magnitude is shown in
    symbol: str      # "mV", "V/s"
    name: str        # "mV", "volt/second": valid code with eqsnn.units
    latex: str       # "\\mathrm{mV}"


def _bases() -> dict:
    global _by_dimension
    if _by_dimension is None:
        _by_dimension = {ureg.Unit(b.pint_name).dimensionality: b for b in _BASES}
    return _by_dimension


def _si_magnitudes(value) -> np.ndarray:
    """The SI magnitudes, only to choose a prefix: complex ones (``1j*ms``, refused by
    the simulator but printable) by their absolute value."""
    magnitude = np.asarray(value.to_base_units()._magnitude)
    return np.abs(magnitude) if np.iscomplexobj(magnitude) else magnitude.astype(float)


def display_unit(quantity) -> DisplayUnit:
    """The unit ``quantity`` is shown in: a named unit with one fitting SI prefix, or the
    SI unit of its dimension."""
    dim = quantity.dimensionality
    base = _bases().get(dim)
    if base is None:
        return _compound(unit_for_dimension(dim))
    values = np.abs(_si_magnitudes(quantity)).ravel()
    values = values[np.isfinite(values) & (values > 0)]
    chosen = " " if " " in base.prefixes else base.prefixes[0]
    if values.size:
        largest = float(values.max())
        fitting = [p for p in base.prefixes if largest / _PREFIX[p][1] >= 1 - 1e-9]
        chosen = fitting[-1] if fitting else base.prefixes[0]
    return _prefixed(base, chosen)


def _prefixed(base: _Base, prefix: str) -> DisplayUnit:
    long_prefix = _PREFIX[prefix][0]
    unit = ureg.Unit(long_prefix + base.pint_name)
    if prefix == " ":
        symbol, name = base.symbol, base.name
    else:
        symbol = prefix + base.symbol
        name = symbol if symbol in _SHORT else prefix + _LONG_BASE[base.pint_name]
    latex_symbol = (r"\mu " if prefix == "u" else prefix.strip()) + \
        (r"\Omega" if base.symbol == "ohm" else base.symbol)
    return DisplayUnit(unit, symbol, name, rf"\mathrm{{{latex_symbol}}}")


def _compound(unit) -> DisplayUnit:
    bases = {b.pint_name: b for b in _BASES}
    parts = {"symbol": ([], []), "name": ([], []), "latex": ([], [])}
    for pint_name, power in sorted(unit._units.items()):
        base = bases.get(pint_name)
        symbol = base.symbol if base else pint_name
        name = _LONG_BASE.get(pint_name, pint_name)
        side = 0 if power > 0 else 1
        exponent = abs(power)
        exponent = int(exponent) if float(exponent).is_integer() else exponent
        latex_symbol = r"\Omega" if symbol == "ohm" else symbol
        parts["symbol"][side].append(symbol if exponent == 1 else f"{symbol}^{exponent}")
        parts["name"][side].append(name if exponent == 1 else f"{name}**{exponent}")
        parts["latex"][side].append(rf"\mathrm{{{latex_symbol}}}" if exponent == 1
                                    else rf"\mathrm{{{latex_symbol}}}^{{{exponent}}}")
    symbol = _join(parts["symbol"], "*")
    name = _join(parts["name"], "*")
    numerator, denominator = parts["latex"]
    latex_unit = r"\,".join(numerator) or "1"
    if denominator:
        latex_unit = rf"{latex_unit}/{r'/'.join(denominator)}"
    return DisplayUnit(unit, symbol, name, latex_unit)


def _join(sides, times: str) -> str:
    numerator, denominator = sides
    joined = times.join(numerator) or "1"
    return joined + "".join("/" + d for d in denominator)


def _magnitude_in(quantity, shown: DisplayUnit):
    """The numbers shown, as floats (``-70*mV`` is shown as ``-70. mV``, like Brian2)."""
    if quantity._units == shown.unit._units:
        magnitude = quantity._magnitude
    else:
        magnitude = quantity.to(shown.unit)._magnitude
    if isinstance(magnitude, np.ndarray):
        return magnitude if magnitude.dtype.kind in "fc" else magnitude.astype(float)
    return magnitude if isinstance(magnitude, (float, complex, np.inexact)) \
        else float(magnitude)


def text(quantity) -> str:
    """``str()``: ``16.3 ms``, ``[0.  0.1 0.2] ms``."""
    shown = display_unit(quantity)
    return f"{_numbers(_magnitude_in(quantity, shown))} {shown.symbol}"


def code(quantity) -> str:
    """``repr()``: ``16.3 * ms``, ``array([0. , 0.1, 0.2]) * ms``."""
    shown = display_unit(quantity)
    magnitude = _magnitude_in(quantity, shown)
    numbers = np.array_repr(magnitude) if isinstance(magnitude, np.ndarray) \
        and magnitude.ndim else _numbers(magnitude)
    if np.iscomplexobj(magnitude) and not numbers.startswith("array"):
        numbers = f"({numbers})"  # 0.+1.j * ms would read as 0. + (1.j*ms)
    return f"{numbers} * {shown.name}"


def formatted(quantity, spec: str) -> str:
    """``format(q, spec)``: the spec applies to the number(s) shown, ``f"{q:.2f}"`` →
    ``16.30 ms``; an empty spec is ``str``."""
    if not spec:
        return text(quantity)
    shown = display_unit(quantity)
    magnitude = _magnitude_in(quantity, shown)
    try:
        if isinstance(magnitude, np.ndarray) and magnitude.ndim:
            numbers = np.array2string(magnitude,
                                      formatter={"all": lambda x: format(x, spec)})
        else:
            numbers = format(magnitude, spec)
    except ValueError:  # one of pint's specs ("~P", "L"): pint formats it
        return ureg.formatter.format_quantity(quantity, spec)
    return f"{numbers} {shown.symbol}"


def short(quantity) -> str:
    """For messages: ``-5 ms``, ``0.5 nA`` (a scalar without a trailing point)."""
    shown = display_unit(quantity)
    magnitude = _magnitude_in(quantity, shown)
    if isinstance(magnitude, np.ndarray) and magnitude.ndim:
        return f"{_numbers(magnitude)} {shown.symbol}"
    return f"{magnitude:.8g} {shown.symbol}"


def _numbers(magnitude) -> str:
    return np.array2string(np.asarray(magnitude))


# --- notebooks --------------------------------------------------------------------------
_EDGE = 4   # entries shown at each end of a long axis


def latex(quantity) -> str | None:
    """LaTeX for notebooks: a number, or a matrix shortened with dots beyond 2*4 entries
    per axis. None (plain text) for arrays of more than two dimensions."""
    shown = display_unit(quantity)
    magnitude = np.asarray(_magnitude_in(quantity, shown))
    if magnitude.ndim > 2:
        return None
    if magnitude.ndim == 0:
        body = _latex_number(magnitude)
    else:
        rows = magnitude[None, :] if magnitude.ndim == 1 else magnitude
        body = r"\left[\begin{matrix}" + r" \\ ".join(_latex_rows(rows)) + \
            r"\end{matrix}\right]"
    return rf"${body}\ {shown.latex}$"


def _latex_rows(rows: np.ndarray) -> list[str]:
    shown = [_latex_row(row) for row in _ends(rows)]
    if rows.shape[0] > 2 * _EDGE:
        width = len(_ends(rows[0]))
        dots = [r"\vdots"] * width
        if rows.shape[1] > 2 * _EDGE:
            dots[_EDGE] = r"\ddots"
        shown.insert(_EDGE, " & ".join(dots))
    return shown


def _latex_row(row: np.ndarray) -> str:
    cells = [_latex_number(x) for x in _ends(row)]
    if row.shape[0] > 2 * _EDGE:
        cells.insert(_EDGE, r"\cdots")
    return " & ".join(cells)


def _ends(values: np.ndarray):
    if values.shape[0] > 2 * _EDGE:
        return list(values[:_EDGE]) + list(values[-_EDGE:])
    return list(values)


def _latex_number(value) -> str:
    number = np.array2string(np.asarray(value))
    if "e" in number:
        mantissa, exponent = number.split("e")
        return rf"{mantissa.rstrip('.')} \times 10^{{{int(exponent)}}}"
    return number


show_with(sys.modules[__name__])
