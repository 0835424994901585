"""The C and numpy printers: same meaning on both backends and in SymPy; clear refusals."""
from __future__ import annotations

import numpy as np
import pytest
import sympy
from sympy.codegen.ast import AddAugmentedAssignment, Assignment

from eqsnn.printers.code import (CCodePrinter, NumpyCodePrinter, c_expression,
                                    c_statements, numpy_expression, numpy_statements,
                                    temporaries)
from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol
from eqsnn.errors import EqsnnError, UnsupportedFunctionError

from conftest import (ALL_CASES, STIM, USER_FUNCTIONS, VARIABLES, X, Y, Z, condition_cases,
                      function_cases, other_cases, random_cases, sample)

DETERMINISTIC = {**function_cases(), **other_cases(), **condition_cases()}


@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_c_and_numpy_agree(harness, name):
    points = sample()
    c, py = harness.c(name, points, seed=3, stream=5), harness.numpy(name, points, seed=3, stream=5)
    # -ffast-math (FMA contraction, reassociation) and libm vs numpy's own exp/log: a few
    # ulp of the result, or of the O(1) inputs where a difference cancels (mod)
    np.testing.assert_allclose(c, py, rtol=1e-14, atol=1e-14)


def _sympy_value(expr, point) -> float:
    stim = sympy.Lambda(symbol("u"), 2 * symbol("u") + 1)
    value = expr.replace(STIM, stim).subs(dict(zip(VARIABLES, point)))
    if isinstance(value, sympy.logic.boolalg.Boolean):
        return 1.0 if bool(value) else 0.0
    return float(value.rewrite(sympy.Min).evalf(30))


@pytest.mark.parametrize("name", sorted(DETERMINISTIC))
def test_c_matches_sympy(harness, name):
    points = sample(8, seed=2)
    expected = [_sympy_value(DETERMINISTIC[name], p) for p in points]
    np.testing.assert_allclose(harness.c(name, points), expected, rtol=1e-13)


def test_every_language_function_is_covered():
    covered = {name[3:] for name in function_cases()}
    assert covered == set(fn.FUNCTIONS)


def test_names_mapping_and_unmapped_names():
    v, tau, _k = symbol("v"), symbol("tau"), symbol("_k")
    text = c_expression((symbol("El") - v) / tau + _k, {"v": "_g0_v[_i]", "tau": "_g0_c_tau"})
    assert "_g0_v[_i]" in text and "_g0_c_tau" in text and "El" in text and "_k" in text
    assert " v" not in text


@pytest.mark.parametrize("expr, c_text", [
    (X**2, "(x*x)"), (X**-1, "(1.0/(x))"), (X**sympy.S.Half, "sqrt(x)"),
    (Y / X**2, "y/(x*x)"),  # the parentheses make it a/(x*x), never a/x*x
    (sympy.Rational(1, 2) * X, "0.5"), (2 * X, "2.0*x"), (X > Y, "x > y"),
    (sympy.And(X > 1, Y < 2), "&&"), (sympy.Not(sympy.And(X > 1, Y < 2)), "!((x > 1.0) && (y < 2.0))"),
    (fn.rand(2), "eqsnn_uniform(_rng_seed, _rng_stream + 2, _rng_counter)"),
    (fn.randn(0), "eqsnn_normal(_rng_seed, _rng_stream + 0, _rng_counter)"),
    (fn.exprel(X), "eqsnn_exprel(x)"), (fn.clip(X, 0, 1), "eqsnn_clip(x, 0.0, 1.0)"),
])
def test_c_spelling(expr, c_text):
    assert c_text in c_expression(expr)


@pytest.mark.parametrize("expr, py_text", [
    (sympy.exp(X), "np.exp(x)"), (sympy.asin(X), "np.arcsin(x)"), (X**2, "(x*x)"),
    (sympy.Piecewise((X, X > 0), (0, True)), "np.where(x > 0.0, x, 0.0)"),
    (sympy.And(X > 1, Y < 2), "(x > 1.0) & (y < 2.0)"), (sympy.Not(sympy.And(X > 1, Y < 2)), "~((x > 1.0) & (y < 2.0))"),
    (fn.rand(2), "_eqsnn_uniform(_rng_seed, _rng_stream + np.uint64(2), _rng_counter)"),
    (fn.exprel(X), "eqsnn_exprel(x)"),
])
def test_numpy_spelling(expr, py_text):
    assert py_text in numpy_expression(expr)


def test_no_integer_division_in_c():
    # (1/2)*(condition ? 1 : 0) must be 0.5, not 0 — integers print as doubles
    text = c_expression(sympy.Rational(1, 2) * sympy.Piecewise((1, X > 0), (0, True)))
    assert "1.0" in text and "(1)" not in text


def test_floats_round_trip():
    value = 0.1 + 0.2
    assert float(c_expression(sympy.Float(value))) == value
    assert float(numpy_expression(sympy.Float(value))) == value


def test_statements_and_temporaries():
    v, w, _k1, _k2 = symbol("v"), symbol("w"), symbol("_k1"), symbol("_k2")
    names = {"v": "_g0_v[_i]", "w": "_g0_w[_i]"}
    statements = [Assignment(_k1, -v / 2), Assignment(_k2, v + _k1), Assignment(_k1, 2 * _k1),
                  Assignment(v, v + _k2), AddAugmentedAssignment(w, v > 1)]
    assert c_statements(statements, names) == [
        "_k1 = -0.5*_g0_v[_i];", "_k2 = _k1 + _g0_v[_i];", "_k1 = 2.0*_k1;",
        "_g0_v[_i] = _k2 + _g0_v[_i];", "_g0_w[_i] += ((_g0_v[_i] > 1.0) ? 1.0 : 0.0);"]
    assert numpy_statements(statements, names)[-1] == "_g0_w[_i] += np.where(_g0_v[_i] > 1.0, 1.0, 0.0)"
    assert temporaries(statements, names) == ["_k1", "_k2"]
    assert temporaries(statements, {**names, "_k2": "_shared[0]"}) == ["_k1"]


@pytest.mark.parametrize("printer", [c_expression, numpy_expression])
@pytest.mark.parametrize("expr, name", [
    (sympy.erf(X), "erf"), (sympy.gamma(X), "gamma"), (sympy.asinh(X), "asinh"),
    (sympy.Function("foo")(X), "foo"), (X + sympy.besselj(0, X), "besselj"),
])
def test_unknown_functions_are_refused_by_name(printer, expr, name):
    with pytest.raises(UnsupportedFunctionError, match=f"function '{name}'") as info:
        printer(expr)
    assert isinstance(info.value, EqsnnError)
    assert "exprel" in str(info.value)  # the hint lists what is available


def test_user_function_needs_a_mapping():
    assert c_expression(STIM(X), user_functions=USER_FUNCTIONS) == "_stim(x)"
    assert numpy_expression(STIM(X), user_functions=USER_FUNCTIONS) == "_stim(x)"
    with pytest.raises(UnsupportedFunctionError, match="'stim'"):
        c_expression(STIM(X))


def test_piecewise_without_otherwise_is_refused():
    with pytest.raises(UnsupportedFunctionError, match="otherwise"):
        c_expression(sympy.Piecewise((X, X > 0)))


def test_printers_are_sympy_subclasses():
    from sympy.printing.c import C99CodePrinter
    from sympy.printing.numpy import NumPyPrinter
    assert issubclass(CCodePrinter, C99CodePrinter)
    assert issubclass(NumpyCodePrinter, NumPyPrinter)
