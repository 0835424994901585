"""SymPy expressions and assignments → C and numpy source text.

Two printers, subclasses of SymPy's own code printers, share one set of rules (the
:class:`~eqsnn.printers.rules.EqsnnRules` mixin) so that the compiled module and its numpy twin compute the
same thing:

* **names**: a symbol prints through the caller's mapping (``"v" → "_g0_v[_i]"``);
  unmapped names print as themselves (temporaries, ``t``, ``dt``).
* **float64 everywhere**: integers print as ``2.0``; rationals keep their integer parts
  as floating-point numbers (``x/2.0``), so C never divides integers. Floats print with
  ``repr`` (the shortest text that reads back as the same double).
* **powers**: small integer powers are multiplications (``x**2 → (x*x)``, ``x**-1 →
  1.0/x``), ``x**0.5 → sqrt(x)``; the rest is ``pow``/``**``.
* **functions**: a fixed table of math functions both backends have, eqsnn's own
  (``exprel``, ``clip``, ``rand(k)``, ``randn(k)``), and user functions named through
  ``user_functions``. Anything else is refused with :class:`~eqsnn.errors.UnsupportedFunctionError`
  naming the function — never printed as a call the compiler then fails on.
* **conditions**: relationals and ``And``/``Or``/``Not`` print as conditions
  (``&&``/``||``/``!`` in C, ``&``/``|``/``~`` in numpy); where a condition is used as
  a number (an argument, a branch of a ``Piecewise``, the right-hand side of an
  assignment) it becomes 1.0/0.0 explicitly.
* **random numbers**: ``rand(k)`` → ``eqsnn_uniform(_rng_seed, _rng_stream + k,
  _rng_counter)``; the template defines the three uint64 variables (see
  ``templates/eqsnn_support.h``).

Entry points: :func:`c_statements`, :func:`c_expression`, :func:`numpy_statements`,
:func:`numpy_expression`, :func:`temporaries`.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import sympy
from sympy.printing.c import C99CodePrinter
from sympy.printing.numpy import NumPyPrinter

from eqsnn.printers.rules import MAX_EXPANDED_POWER, EqsnnRules, plain_calls, split_statement

__all__ = ["CCodePrinter", "NumpyCodePrinter", "c_statements", "c_expression",
           "numpy_statements", "numpy_expression", "temporaries",
           "MAX_EXPANDED_POWER"]


class CCodePrinter(EqsnnRules, C99CodePrinter):
    """SymPy → C99 expressions for the generated Cython module (float64 throughout).

    Parameters
    ----------
    names
        Symbol name → C expression (``"v" → "_g0_v[_i]"``); other names print as is.
    user_functions
        Name of a user function (``sympy.Function("stim")``) → C function to call.
    """

    language = "C"
    _TARGET = "c"
    _SQRT, _POW, _TRUE, _FALSE = "sqrt", "pow", "1", "0"
    _AND, _OR, _NOT = "&&", "||", "!"
    _UNIFORM, _NORMAL = "eqsnn_uniform", "eqsnn_normal"

    def __init__(self, names: Mapping[str, str] | None = None,
                 user_functions: Mapping[str, str] | None = None, hoisted=None, used=None):
        # math_macros={}: print log(10), not M_LN10, which needs _GNU_SOURCE-style defines
        super().__init__({"strict": True, "math_macros": {}})
        self._init_rules(names, user_functions, hoisted, used)

    def _print_math_func(self, expr, nest=False, known=None):
        if known is None and expr.func.__name__ not in self.known_functions:
            self._refuse(expr)
        return super()._print_math_func(expr, nest=nest, known=known)

    def _select(self, cond: str, a: str, b: str) -> str:
        return f"(({cond}) ? ({a}) : ({b}))"

    def _number(self, cond: str) -> str:
        return f"(({cond}) ? 1.0 : 0.0)"

    def _stream_offset(self, k: int) -> str:
        return str(k)

    def _terminate(self, line: str) -> str:
        return line + ";"


class NumpyCodePrinter(EqsnnRules, NumPyPrinter):
    """SymPy → vectorised numpy expressions, the twin of :class:`CCodePrinter`.

    The generated module imports numpy as ``np`` and the support functions of
    :mod:`eqsnn.codegen.numpy_support`. Same parameters as :class:`CCodePrinter`; user
    functions map to Python callables in the generated module.
    """

    language = "numpy"
    _TARGET = "numpy"
    _SQRT, _POW, _TRUE, _FALSE = "np.sqrt", None, "True", "False"
    _AND, _OR, _NOT = "&", "|", "~"
    _UNIFORM, _NORMAL = "_eqsnn_uniform", "_eqsnn_normal"

    def __init__(self, names: Mapping[str, str] | None = None,
                 user_functions: Mapping[str, str] | None = None, hoisted=None, used=None):
        super().__init__({"strict": True, "fully_qualified_modules": True})
        self.language = "numpy"  # NumPyPrinter.__init__ sets its own wording
        self._init_rules(names, user_functions, hoisted, used)

    def _module_format(self, fqn, register=True):
        # the generated numpy module imports numpy once, as np
        if fqn.startswith("numpy."):
            fqn = "np." + fqn[len("numpy."):]
        return fqn

    def _print_known_func(self, expr):
        return f"{self.known_functions[expr.func.__name__]}({', '.join(self._print_number(a) for a in expr.args)})"

    def _print_Function(self, expr):
        if expr.func.__name__ in self.known_functions:
            return self._print_known_func(expr)
        return super()._print_Function(expr)

    def _select(self, cond: str, a: str, b: str) -> str:
        return f"np.where({cond}, {a}, {b})"

    def _number(self, cond: str) -> str:
        return f"np.where({cond}, 1.0, 0.0)"

    def _stream_offset(self, k: int) -> str:
        # uint64 + uint64 stays uint64 (a Python int would be fine under NEP 50, but
        # this does not depend on numpy's promotion rules)
        return f"np.uint64({k})"

    def _terminate(self, line: str) -> str:
        return line


# numpy's printer registers _print_<name> per known function at import; route every
# function of the table through the one method that honours it
for _name in plain_calls("numpy"):
    setattr(NumpyCodePrinter, f"_print_{_name}", NumpyCodePrinter._print_known_func)


def _lhs_name(statement) -> str:
    lhs = split_statement(statement)[0]
    return lhs.name if isinstance(lhs, sympy.Symbol) else str(lhs)


def temporaries(statements: Iterable, names: Mapping[str, str] | None = None) -> list[str]:
    """Temporaries the template must declare: assigned names starting with ``_`` that
    the mapping does not cover, in order of first assignment."""
    names = names or {}
    seen: list[str] = []
    for statement in statements:
        name = _lhs_name(statement)
        if name.startswith("_") and name not in names and name not in seen:
            seen.append(name)
    return seen


def c_statements(statements: Sequence, names: Mapping[str, str] | None = None,
                 user_functions: Mapping[str, str] | None = None, *, hoisted=None,
                 used=None) -> list[str]:
    """Each assignment as one line of C, ``lhs = rhs;`` (or ``lhs += rhs;``).

    Parameters
    ----------
    statements
        ``sympy.codegen.ast.Assignment`` / ``AugmentedAssignment`` objects (or eqsnn
        ``Statement``s), in execution order.
    names
        Symbol name → C expression; see :class:`CCodePrinter`.
    user_functions
        User function name → C function name.
    hoisted, used
        Loop invariants computed before the loop (:mod:`eqsnn.lowering.invariants`):
        subexpression → the name it is printed as; each name printed is added to the
        set ``used``.

    Returns
    -------
    list of str
        One line per statement. Temporaries are not declared here; the template declares
        :func:`temporaries` as ``double``.
    """
    printer = CCodePrinter(names, user_functions, hoisted, used)
    return [printer.statement(s) for s in statements]


def c_expression(expr, names: Mapping[str, str] | None = None,
                 user_functions: Mapping[str, str] | None = None, *, hoisted=None,
                 used=None) -> str:
    """One expression as C; a condition (``v > vt``) prints as a C condition."""
    return CCodePrinter(names, user_functions, hoisted, used).expression(expr)


def numpy_statements(statements: Sequence, names: Mapping[str, str] | None = None,
                     user_functions: Mapping[str, str] | None = None, *, hoisted=None,
                     used=None) -> list[str]:
    """Each assignment as one line of numpy code; see :func:`c_statements`."""
    printer = NumpyCodePrinter(names, user_functions, hoisted, used)
    return [printer.statement(s) for s in statements]


def numpy_expression(expr, names: Mapping[str, str] | None = None,
                     user_functions: Mapping[str, str] | None = None, *, hoisted=None,
                     used=None) -> str:
    """One expression as numpy code; a condition prints as a boolean array expression."""
    return NumpyCodePrinter(names, user_functions, hoisted, used).expression(expr)
