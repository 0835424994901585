"""The one table of functions: every stage reads it, and they agree with each other."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from sympy.codegen import cfunctions

from eqsnn.codegen.numpy_support import eqsnn_exprel, numpy_callable
from eqsnn.printers.code import c_expression, numpy_expression
from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol
from eqsnn.lowering.trees import to_tree
from eqsnn.runtime.evaluate import evaluate_tree


def evaluate(expr, values, *, size):
    return evaluate_tree(to_tree(expr), values, size=size)


X, Y, Z = symbol("x"), symbol("y"), symbol("z")


@pytest.mark.parametrize("row", [f for f in fn.TABLE if f.sympy_name], ids=lambda f: f.sympy_name)
def test_every_sympy_function_of_the_table_is_printed_and_evaluated(row):
    cls = next(getattr(module, row.sympy_name) for module in (fn, sympy, cfunctions)
               if hasattr(module, row.sympy_name))
    expr = cls(*[X, Y, Z][:row.nargs], evaluate=False)
    c, py = c_expression(expr), numpy_expression(expr)
    if row.c is not None:
        assert c.startswith(row.c + "(")
        assert py.startswith(row.numpy + "(")
    assert callable(numpy_callable(row.evaluate))


def test_the_parser_names_come_from_the_table():
    assert set(fn.FUNCTIONS) == {f.name for f in fn.TABLE if f.name}
    assert fn.FUNCTIONS["ceil"][0] is sympy.ceiling and fn.FUNCTIONS["exprel"][0] is fn.exprel


def test_initialisers_evaluate_exprel_with_the_backends_formula():
    xs = np.concatenate([-np.logspace(-12, 2.8, 300), [0.0], np.logspace(-12, 2.8, 300)])
    values = evaluate(fn.exprel(X), {"x": xs}, size=xs.size)
    assert np.array_equal(values, eqsnn_exprel(xs))


def test_initialisers_take_min_and_max_of_many_like_the_backends():
    # fmin/fmax: a NaN argument is ignored, as in the generated C and numpy code
    values = {"x": np.array([1.0, np.nan, 3.0]), "y": np.array([2.0, 5.0, np.nan]),
              "z": np.array([0.5, 4.0, 7.0])}
    tree = to_tree(sympy.Max(X, Y, Z))
    assert tree[0] == "f" and tree[1] == "np.fmax"
    assert np.array_equal(evaluate(sympy.Max(X, Y, Z), values, size=3), [2.0, 5.0, 7.0])
    assert np.array_equal(evaluate(sympy.Min(X, Y, Z), values, size=3), [0.5, 4.0, 3.0])
