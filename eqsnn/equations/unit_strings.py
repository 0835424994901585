"""The unit written after ``:`` in an equation: parsing it safely and printing it back.

A unit is an expression of unit names from :data:`eqsnn.units.UNIT_NAMES`, ``1``,
``*``, ``/`` and ``**`` with a numeric exponent: ``volt``, ``amp/meter**2``,
``siemens/cm2``, ``1/second``, ``1``. Like equations it is read with :mod:`ast` and
translated node by node — never evaluated.
"""
from __future__ import annotations

import ast

from eqsnn._pint import pint

from eqsnn.equations.convert import parse_python, refuse_dunders
from eqsnn.equations.hints import did_you_mean
from eqsnn.equations.lines import Definition
from eqsnn.errors import EquationSyntaxError, UnknownNameError
import eqsnn.unit_names as unit_names
from eqsnn.units import UNIT_NAMES, ureg

__all__ = ["parse_unit", "format_unit"]


def parse_unit(definition: Definition) -> pint.Unit:
    """The pint unit written in ``definition.text``.

    Raises
    ------
    EquationSyntaxError, UnknownNameError
        For anything but unit names, ``1``, ``*``, ``/`` and numeric powers.
    """
    text = definition.text
    if not text.strip():
        raise EquationSyntaxError("the unit after ':' is missing", span=definition.span(0),
                                  hint="write e.g. ': volt', or ': 1' for dimensionless")
    tree = parse_python(definition, what="unit")
    refuse_dunders(tree, definition)
    return _Units(definition).convert(tree.body, 0)


class _Units:
    def __init__(self, definition: Definition):
        self.definition = definition

    def error(self, node, message, hint=None, cls=EquationSyntaxError):
        raw = self.definition.text.encode("utf-8")
        start = len(raw[:node.col_offset].decode("utf-8", errors="ignore"))
        end = len(raw[:node.end_col_offset].decode("utf-8", errors="ignore"))
        return cls(message, span=self.definition.span(start, end), hint=hint)

    def convert(self, node: ast.AST, depth: int):
        if depth > 20:
            raise self.error(node, "the unit is nested too deeply")
        if isinstance(node, ast.Name):
            unit = UNIT_NAMES.get(node.id)
            if unit is None:
                hint = did_you_mean(node.id, UNIT_NAMES) or "units are names like volt, " \
                    "mV, amp, nA, second, ms, siemens, farad, ohm, Hz, meter, cm2, or 1"
                raise self.error(node, f"unknown unit '{node.id}'", hint=hint,
                                 cls=UnknownNameError)
            return unit
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool) \
                and node.value == 1:
            return ureg.dimensionless
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            raise self.error(node, f"a unit cannot contain the number {node.value!r}",
                             hint="write only the unit: ': volt', not ': 2*volt'; values "
                                  "go in the namespace")
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.BitXor):
                raise self.error(node, "'^' is not a power in a unit",
                                 hint="use ** for powers: meter**2")
            left = self.convert(node.left, depth + 1)
            if isinstance(node.op, ast.Pow):
                return left ** self._exponent(node.right)
            right = self.convert(node.right, depth + 1)
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Div):
                return left / right
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            raise self.error(node, f"a unit cannot call a function ('{node.func.id}')",
                             hint="write a unit such as volt or amp/meter**2")
        raise self.error(node, "this is not a unit",
                         hint="write unit names combined with *, / and **, e.g. "
                              "amp/meter**2, or 1 for dimensionless")

    def _exponent(self, node: ast.AST) -> float:
        negative = False
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            negative = isinstance(node.op, ast.USub)
            node = node.operand
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool) and abs(node.value) <= 10:
            value = -node.value if negative else node.value
            return int(value) if float(value).is_integer() else float(value)
        raise self.error(node, "the power of a unit must be a small number",
                         hint="e.g. meter**2 or second**-0.5")


# pint's name of a unit ("millivolt") → the shortest name users can write ("mV").
_WRITABLE: dict[str, str] | None = None


def _writable_names() -> dict[str, str]:
    global _WRITABLE
    if _WRITABLE is None:
        _WRITABLE = {}
        # A name whose expression is one unit ("millivolt") names that pint unit; the
        # expressions are read, not parsed: parsing all ~2,100 units takes ~0.2 s.
        for name, pint_name in unit_names.EXPRESSIONS.items():
            if pint_name.isalpha():
                best = _WRITABLE.get(pint_name)
                if best is None or len(name) < len(best) or (
                        len(name) == len(best) and name < best and not best.isalpha()):
                    _WRITABLE[pint_name] = name
        # Prefer the spelled-out SI names for the base units: readable, unambiguous.
        _WRITABLE.update({"volt": "volt", "second": "second", "ampere": "amp",
                          "siemens": "siemens", "farad": "farad", "meter": "meter",
                          "hertz": "Hz", "ohm": "ohm"})
    return _WRITABLE


def format_unit(unit: pint.Unit) -> str:
    """The unit as users write it after ``:`` (``mV``, ``amp/meter**2``, ``1``)."""
    names = _writable_names()
    numerator, denominator = [], []
    for pint_name, power in sorted(unit._units.items()):
        name = names.get(pint_name, pint_name)
        target = numerator if power > 0 else denominator
        power = abs(power)
        if float(power).is_integer():
            power = int(power)
        target.append(name if power == 1 else f"{name}**{power}")
    text = "*".join(numerator) or "1"
    if denominator:
        text += "/" + "/".join(denominator)
    return text
