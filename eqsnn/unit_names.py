"""The names of units users may import or write in equations: every unit Brian2 has.

Brian2's unit names are SI prefixes (``y`` … ``Y``, with ``da`` and ``u`` for micro)
in front of a base or derived unit, optionally with a power: ``nvolt``, ``usiemens``,
``cmetre2``, ``Mohm``. Kelvin and kilogram take no prefix, litres no power. Brian2 adds
short names (``mV``, ``ms``, ``nA``, ``cm2``, ``kHz`` …), and eqsnn a few of its own
(``V``, ``A``, ``S``, ``F``, ``uV``, ``ns``, ``minute``, ``hour``).

Each name maps to a pint unit expression (``"millivolt"``, ``"centimeter**2"``); the unit
itself is only made when the name is first used, so importing eqsnn does not build ~2,100
units. :data:`STAR` are the names ``from eqsnn.units import *`` gives: Brian2's own
``from brian2 import *`` set, plus eqsnn's names.
"""
from __future__ import annotations

__all__ = ["EXPRESSIONS", "STAR", "DIMENSIONLESS_NAMES"]

_PREFIXES = {
    "y": "yocto", "z": "zepto", "a": "atto", "f": "femto", "p": "pico", "n": "nano",
    "u": "micro", "m": "milli", "c": "centi", "d": "deci", "da": "deca", "h": "hecto",
    "k": "kilo", "M": "mega", "G": "giga", "T": "tera", "P": "peta", "E": "exa",
    "Z": "zetta", "Y": "yotta",
}

#: Brian2's name of a unit -> pint's
_BASES = {
    "metre": "meter", "meter": "meter", "gram": "gram", "gramme": "gram",
    "second": "second", "amp": "ampere", "ampere": "ampere", "mole": "mole", "mol": "mole",
    "candle": "candela", "radian": "radian", "steradian": "steradian", "hertz": "hertz",
    "newton": "newton", "pascal": "pascal", "joule": "joule", "watt": "watt",
    "coulomb": "coulomb", "volt": "volt", "farad": "farad", "ohm": "ohm",
    "siemens": "siemens", "weber": "weber", "tesla": "tesla", "henry": "henry",
    "lumen": "lumen", "lux": "lux", "becquerel": "becquerel", "gray": "gray",
    "sievert": "sievert", "katal": "katal", "molar": "molar",
}
_UNPREFIXED = {"kelvin": "kelvin", "kilogram": "kilogram", "kilogramme": "kilogram"}
_NO_POWERS = {"liter": "liter", "litre": "liter"}

#: Brian2's short names
_SHORT = {
    "Hz": "hertz", "kHz": "kilohertz", "MHz": "megahertz",
    "cm": "centimeter", "cm2": "centimeter**2", "cm3": "centimeter**3",
    "mm": "millimeter", "mm2": "millimeter**2", "mm3": "millimeter**3",
    "um": "micrometer", "um2": "micrometer**2", "um3": "micrometer**3",
    "mA": "milliampere", "uA": "microampere", "nA": "nanoampere", "pA": "picoampere",
    "mV": "millivolt", "ms": "millisecond", "us": "microsecond",
    "mS": "millisiemens", "uS": "microsiemens", "nS": "nanosiemens",
    "uF": "microfarad", "nF": "nanofarad", "pF": "picofarad",
    "mM": "millimolar", "uM": "micromolar", "nM": "nanomolar",
}
#: eqsnn's own names (kept: scripts use them)
_EQSNN = {
    "V": "volt", "A": "ampere", "S": "siemens", "F": "farad", "m": "meter",
    "mF": "millifarad", "uV": "microvolt", "ns": "nanosecond",
    "minute": "minute", "hour": "hour",
}


def _expressions() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, pint_name in _BASES.items():
        for prefix in ("", *_PREFIXES):
            unit = _PREFIXES.get(prefix, "") + pint_name
            table[prefix + name] = unit
            table[f"{prefix}{name}2"] = f"{unit}**2"
            table[f"{prefix}{name}3"] = f"{unit}**3"
    for name, pint_name in _UNPREFIXED.items():
        table.update({name: pint_name, f"{name}2": f"{pint_name}**2",
                      f"{name}3": f"{pint_name}**3"})
    for name, pint_name in _NO_POWERS.items():
        for prefix in ("", *_PREFIXES):
            table[prefix + name] = _PREFIXES.get(prefix, "") + pint_name
    table.update(_SHORT)
    table.update(_EQSNN)
    return table


EXPRESSIONS: dict[str, str] = _expressions()

#: Brian2's ``from brian2 import *`` units: p … T of the common units, cm, kelvin,
#: kilogram and the short names; plus eqsnn's own names
_COMMON = ("amp", "coulomb", "farad", "gram", "gramme", "hertz", "joule", "liter", "litre",
           "meter", "metre", "molar", "mole", "ohm", "pascal", "second", "siemens", "volt",
           "watt")
STAR: tuple[str, ...] = tuple(sorted(
    {prefix + name for name in _COMMON for prefix in ("p", "n", "u", "m", "", "k", "M", "G",
                                                      "T")}
    | {"cmetre", "cmeter", "kelvin", "kilogram"} | set(_SHORT) | set(_EQSNN)))

#: names whose unit has no dimension (radian, steradian and their prefixes and powers):
#: imported, they are plain numbers (``mradian`` is 0.001)
DIMENSIONLESS_NAMES = frozenset(name for name, unit in EXPRESSIONS.items()
                                if "radian" in unit)
