"""LEMS dimensions → eqsnn units.

A LEMS ``<Dimension name="voltage" m="1" l="2" t="-3" i="-1"/>`` is a product of SI
base dimensions; eqsnn needs a unit *string* for equations (``volt``) and a quantity
for constants. Values are kept in coherent SI (``-70mV`` is ``-0.07`` volt), so the
unit of a constant is always the coherent SI unit of its dimension.
"""
from __future__ import annotations

import re

from eqsnn import units

__all__ = ["pint_dimension", "unit_string", "si_quantity"]

_BASE = {"m": "[mass]", "l": "[length]", "t": "[time]", "i": "[current]",
         "k": "[temperature]", "n": "[substance]", "j": "[luminosity]"}
_BASE_UNITS = {"[mass]": "kilogram", "[length]": "metre", "[time]": "second",
               "[current]": "ampere", "[temperature]": "kelvin", "[substance]": "mole",
               "[luminosity]": "candela"}


def pint_dimension(exponents: dict):
    """``{"m": 1, "l": 2, ...}`` → eqsnn's (pint's) dimension."""
    quantity = units.ureg.Quantity(1.0)
    names = {"[mass]": units.ureg.kilogram, "[length]": units.ureg.metre,
             "[time]": units.ureg.second, "[current]": units.ureg.ampere,
             "[temperature]": units.ureg.kelvin, "[substance]": units.ureg.mole,
             "[luminosity]": units.ureg.candela}
    for key, power in exponents.items():
        quantity = quantity * names[_BASE[key]] ** power
    return quantity.dimensionality


def unit_string(dim) -> str:
    """A unit eqsnn's equations accept for ``dim``, coherent with SI (``volt``,
    ``siemens / meter ** 2``; a product of base units when no name is coherent)."""
    if dim == units.DIMENSIONLESS:
        return "1"
    preferred = units.unit_for_dimension(dim)
    names = re.findall(r"[A-Za-z_]+", str(preferred))
    if units.ureg.Quantity(1.0, preferred).to_base_units().magnitude == 1.0 \
            and all(name in units.UNIT_NAMES for name in names):
        return str(preferred)
    # eqsnn's unit names have no kilogram: write mass as volt*amp*second**3/metre**2.
    m = dim.get("[mass]", 0)
    powers = {"volt": m, "amp": dim.get("[current]", 0) + m,
              "second": dim.get("[time]", 0) + 3 * m, "metre": dim.get("[length]", 0) - 2 * m,
              "kelvin": dim.get("[temperature]", 0), "mole": dim.get("[substance]", 0)}
    parts = [name if power == 1 else f"{name}**{power:g}"
             for name, power in powers.items() if power]
    return "*".join(parts)


def si_quantity(value: float, dim):
    """An SI number as a quantity of dimension ``dim`` (a float if dimensionless)."""
    if dim == units.DIMENSIONLESS:
        return float(value)
    unit = units.ureg.dimensionless
    for name, power in dim.items():
        unit = unit * units.ureg.parse_units(_BASE_UNITS[name]) ** power
    return units.ureg.Quantity(float(value), unit)
