"""Unit names in a model's strings are numbers: they are put into the code as numbers.

A name such as ``mV`` or ``ms`` that the namespace does not define resolves to eqsnn's
unit (:data:`eqsnn.units.UNIT_NAMES`), whose value in SI units is fixed. Kept as a
symbol, it would reach the compiled loop as a run-time scalar, like a parameter, and
``(13*mV - v + VT)/(4*mV)`` would cost a division by ``mV`` per neuron and step, which
SymPy cannot cancel against anything. Replaced by its value before printing (an exact
rational: the decimal text of the double, ``0.001`` -> 1/1000), SymPy multiplies the
numbers out (``250*(VT - v) + 13/4``) and both backends print the same arithmetic.

This is sound for the build cache and for "changing a parameter never recompiles":
a unit's value is not data a user can change (eqsnn's source, part of the cache key,
defines it); a name the namespace gives (``namespace={'mV': ...}``) is a parameter and
stays a run-time scalar. The namespace's names are part of the record's key
(:func:`eqsnn.lowering.cache.namespace_signature`), so a record folded without ``mV``
in the namespace is never loaded for a namespace that has it.

Only the printed code is folded; the record still lists the unit among its constants
(the runtime hands it over, no template binds it), and the subexpressions' trees that
Python evaluates keep the name.
"""
from __future__ import annotations

from typing import Iterable, Mapping

import sympy

from eqsnn import units
from eqsnn.equations.symbols import symbol

__all__ = ["unit_values", "fold_units", "fold_statements"]


def unit_values(names: Iterable[str], namespace: Mapping[str, object]) -> dict:
    """Symbol -> exact value (a SymPy Rational) of each name in ``names`` that is one of
    eqsnn's units and not defined by ``namespace``."""
    values = {}
    for name in names:
        if name in namespace or name not in units.UNIT_NAMES:
            continue
        magnitude, _ = units.to_si(1 * units.UNIT_NAMES[name])
        # repr is the shortest decimal that reads back as this double: the rational of
        # that decimal prints back as the same double, and SymPy's arithmetic on it is exact
        values[symbol(name)] = sympy.Rational(repr(float(magnitude)))
    return values


def fold_units(expr, values: Mapping):
    """``expr`` (an expression, a condition or an assignment) with the units replaced
    by their values; unchanged when there are none."""
    if not values or expr is None or values.keys().isdisjoint(expr.free_symbols):
        return expr
    return expr.xreplace(values)


def fold_statements(statements, values: Mapping) -> list:
    """The statements with the units replaced by their values; a temporary that becomes
    a number (``_cse6 = 0.2/mV``) is put into the statements that read it instead."""
    out, numbers = [], {}
    for statement in statements:
        statement = fold_units(statement, values).xreplace(numbers)
        if statement.lhs.name.startswith("_") and statement.rhs.is_Number:
            numbers[statement.lhs] = statement.rhs
            continue
        out.append(statement)
    return out
