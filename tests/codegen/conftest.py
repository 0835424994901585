"""A harness that evaluates printed expressions three ways: compiled C, numpy, SymPy.

Every case of the codegen tests is printed into ONE Cython module, compiled once per
test session (through eqsnn's own compiler and the session cache), so the tests pay
one compile, not one per expression. Each case is a loop over points shaped like the
runtime's neuron loops (arrays of structure-of-arrays, restrict pointers), so gcc
vectorises it as it would a network: the tests check the SIMD math (libmvec) too.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from eqsnn.codegen import numpy_support
from eqsnn.printers.code import c_expression, numpy_expression
from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol

X, Y, Z = symbol("x"), symbol("y"), symbol("z")
VARIABLES = (X, Y, Z)
C_NAMES = {"x": "_x[_i]", "y": "_y[_i]", "z": "_z[_i]"}
NUMPY_NAMES = {"x": "_x", "y": "_y", "z": "_z"}
USER_FUNCTIONS = {"stim": "_stim"}
STIM = sympy.Function("stim")
#: the same user function on the three sides
STIM_C = "static inline double _stim(double u) { return 2.0*u + 1.0; }"
STIM_PY = staticmethod(lambda u: 2.0 * u + 1.0)


def sample(n: int = 64, seed: int = 1) -> np.ndarray:
    """Points where every case is defined: x in (0.1, 0.9) (log, arcsin, arccos), y in
    (-2, 2) (signs, floors), z in (0.5, 3)."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(0.1, 0.9, n), rng.uniform(-2, 2, n),
                            rng.uniform(0.5, 3, n)])


def _argument(name: str):
    # an argument that exercises the function on both sides of its interesting points
    return {"floor": 3 * Y, "ceil": 3 * Y, "abs": Y, "sign": Y, "exprel": 4 * Y - Z,
            "exp": 3 * Y, "tanh": Y, "sinh": Y, "cosh": Y, "arctan": 3 * Y}.get(name, X)


def function_cases() -> dict[str, sympy.Expr]:
    """One case per function of the equation language (new functions are covered)."""
    cases = {}
    for name, (function, nargs) in fn.FUNCTIONS.items():
        if nargs == 1:
            cases[f"fn_{name}"] = function(_argument(name))
        elif name == "clip":
            cases[f"fn_{name}"] = function(Y, -Z / 2, Z / 2)
        else:  # pragma: no cover - a new function with several arguments
            raise AssertionError(f"add a case for {name}")
    return cases


def other_cases() -> dict[str, sympy.Expr]:
    h = sympy.Rational(1, 2)
    return {
        "poly": 3 * X**2 - X / 7 + h,
        "pow_neg": 1 / (X + Z) ** 2 + Z**-1,
        "pow_half": Z**h + Z ** (-h) + Z ** sympy.Rational(3, 2),
        "pow_big": Z**7 + Z**-5 + Z**Y,
        "denominator": Y / X**3,
        "rational_of_int": h * sympy.Piecewise((1, Y > 0), (0, True)),
        "piecewise": sympy.Piecewise((X, Y < -1), (Y**2, Y < 1), (Z, True)),
        "bool_arith": sympy.Piecewise((1, sympy.And(Y > 0, Z > 1)), (0, True))
                      + sympy.Piecewise((2, sympy.Or(Y < -1, sympy.Not(Z < 2))), (0, True)),
        "bool_argument": fn.clip(STIM(X), 0, 2) + sympy.exp(fn.exprel(Y)),
        "minmax": sympy.Min(X, Y) + sympy.Max(X, Y, Z),
        "mod": sympy.Mod(3 * Y, Z),
        "constants": sympy.pi * X + sympy.E * Y + sympy.Float("1e-3") * Z,
        "user_function": STIM(X * Y) * Z,
        "large_exprel": fn.exprel(300 * Y),
        "exprel_zero": fn.exprel(Y - Y + X * 0),
    }


def random_cases() -> dict[str, sympy.Expr]:
    return {"rand0": fn.rand(0), "rand7": fn.rand(7), "randn0": fn.randn(0),
            "randn3": fn.randn(3), "noise": X + Z * fn.randn(1)}


def condition_cases() -> dict[str, sympy.Expr]:
    return {"cond_gt": X > Y, "cond_and": sympy.And(X > 0.5, Y <= 0),
            "cond_or": sympy.Or(sympy.Eq(sympy.floor(3 * Y), 1), sympy.Ne(X, X)),
            "cond_not": sympy.Not(Y > Z)}


ALL_CASES = {**function_cases(), **other_cases(), **random_cases(), **condition_cases()}


class Harness:
    """Evaluate a case at many points, compiled (C) or with numpy."""

    def __init__(self, cases: dict[str, sympy.Expr]):
        from eqsnn.compiler import compile_module

        self.cases = cases
        self.index = {name: k for k, name in enumerate(cases)}
        self.module = compile_module(self._pyx(), name_hint="codegen_tests")

    def _pyx(self) -> str:
        loops, dispatch = [], []
        for name, expr in self.cases.items():
            k = self.index[name]
            text = c_expression(expr, C_NAMES, USER_FUNCTIONS)
            if isinstance(expr, sympy.logic.boolalg.Boolean):
                text = f"(({text}) ? 1.0 : 0.0)"
            loops.append(f"""
static void eqsnn_case_{k}(const double* restrict _x, const double* restrict _y,
                           const double* restrict _z, int64_t n, uint64_t _rng_seed,
                           uint64_t _rng_stream, const uint64_t* restrict counters,
                           double* restrict out) {{
    for (int64_t _i = 0; _i < n; ++_i) {{
        const uint64_t _rng_counter = counters[_i];
        (void)_rng_counter;
        out[_i] = {text};
    }}
}}""")
            dispatch.append(f"case {k}: eqsnn_case_{k}(x, y, z, n, seed, stream, counters, out); break;")
        loops = "\n".join(loops)
        dispatch = "\n        ".join(dispatch)
        return f'''# cython: language_level=3
from libc.stdint cimport int64_t, uint64_t

cdef extern from *:
    """
#include <math.h>
#include <stdint.h>
#include "eqsnn_support.h"
{STIM_C}
{loops}
static void eqsnn_eval(int k, const double* x, const double* y, const double* z, int64_t n,
                       uint64_t seed, uint64_t stream, const uint64_t* counters, double* out) {{
    switch (k) {{
        {dispatch}
    }}
}}
    """
    void eqsnn_eval(int k, const double* x, const double* y, const double* z, int64_t n,
                    uint64_t seed, uint64_t stream, const uint64_t* counters, double* out) nogil


def evaluate(int k, size_t x, size_t y, size_t z, int64_t n, uint64_t seed, uint64_t stream,
             size_t counters, size_t out):
    eqsnn_eval(k, <const double*>x, <const double*>y, <const double*>z, n, seed, stream,
               <const uint64_t*>counters, <double*>out)
'''

    def c(self, name: str, points: np.ndarray, seed: int = 0, stream: int = 0,
          counters: np.ndarray | None = None) -> np.ndarray:
        columns = [np.ascontiguousarray(points[:, j], dtype=np.float64) for j in range(3)]
        n = points.shape[0]
        counters = np.ascontiguousarray(np.arange(n) if counters is None else counters,
                                        dtype=np.uint64)
        out = np.empty(n)
        self.module.evaluate(self.index[name], *(c.ctypes.data for c in columns), n, seed,
                             stream, counters.ctypes.data, out.ctypes.data)
        return out

    def numpy(self, name: str, points: np.ndarray, seed: int = 0, stream: int = 0,
              counters: np.ndarray | None = None) -> np.ndarray:
        n = points.shape[0]
        namespace = {
            "np": np, "_x": points[:, 0], "_y": points[:, 1], "_z": points[:, 2],
            "_rng_seed": np.uint64(seed), "_rng_stream": np.uint64(stream),
            "_rng_counter": np.asarray(np.arange(n) if counters is None else counters,
                                       dtype=np.uint64),
            "_stim": STIM_PY.__func__,
            **{k: getattr(numpy_support, k) for k in numpy_support.__all__},
        }
        code = numpy_expression(self.cases[name], NUMPY_NAMES, USER_FUNCTIONS)
        # generated code of our own printer, evaluated in a test (not user input)
        value = eval(compile(code, f"<{name}>", "eval"), namespace)  # noqa: S307
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


@pytest.fixture(scope="session")
def harness() -> Harness:
    return Harness(ALL_CASES)
