"""SymPy expressions and assignments → C and numpy source text.

Two printers, subclasses of SymPy's own code printers, share one set of rules (the
:class:`_EqsnnRules` mixin) so that the compiled module and its numpy twin compute the
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
from sympy.codegen.ast import Assignment, AugmentedAssignment
from sympy.core.function import AppliedUndef
from sympy.logic.boolalg import Boolean, BooleanFalse, BooleanTrue
from sympy.printing.c import C99CodePrinter
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE

from eqsnn.equations import functions as fn
from eqsnn.errors import UnsupportedFunctionError

__all__ = ["CCodePrinter", "NumpyCodePrinter", "c_statements", "c_expression",
           "numpy_statements", "numpy_expression", "temporaries",
           "MAX_EXPANDED_POWER"]

#: x**n with |n| up to this is printed as n-1 multiplications (exact and fast); larger
#: powers call pow.
MAX_EXPANDED_POWER = 4

#: Function subclasses printed by methods of their own (with the table's spellings where
#: it has one), not as a plain call
_HANDLED = (fn.exprel, fn.clip, fn.rand, fn.randn, sympy.Piecewise, sympy.sign, sympy.Mod)
_OWN_METHODS = {cls.__name__ for cls in _HANDLED} | {"Min", "Max"}


def _plain_calls(target: str) -> dict[str, str]:
    """SymPy class name → callee, for the functions printed as a plain call in ``target``."""
    return {k: v for k, v in fn.spellings(target).items() if k not in _OWN_METHODS}


def _is_condition(expr) -> bool:
    return isinstance(expr, Boolean) and not isinstance(expr, sympy.Symbol)


class _EqsnnRules:
    """What the C and numpy printers share; see the module docstring.

    Subclasses set the target (``_TARGET``, the column of the table of functions
    :data:`eqsnn.equations.functions.TABLE` they print with) and its spellings:
    ``_SQRT``, ``_POW`` (``None`` → ``**``), ``_TRUE``/``_FALSE``, ``_AND``/``_OR``/``_NOT``,
    ``_UNIFORM``/``_NORMAL``, and ``_select(cond, a, b)`` / ``_number(cond)``.
    """

    _TARGET = "numpy"

    def _init_rules(self, names, user_functions) -> None:
        self._names = dict(names or {})
        self._user_functions = dict(user_functions or {})
        self._callee = fn.spellings(self._TARGET)
        self.known_functions = _plain_calls(self._TARGET)

    # --- refusal --------------------------------------------------------------------
    def _refuse(self, expr):
        name = getattr(getattr(expr, "func", None), "__name__", type(expr).__name__)
        allowed = sorted(set(fn.FUNCTIONS) | set(fn.RANDOM_FUNCTIONS))
        raise UnsupportedFunctionError(
            f"cannot generate code for the function {name!r} ({self.language})",
            hint=f"use one of {', '.join(allowed)}, or pass a function object for "
                 f"{name!r} in the namespace")

    def _print_not_supported(self, expr):
        self._refuse(expr)

    def _print(self, expr, **kwargs):
        # One gate for every function, before SymPy's per-class dispatch can reach a
        # printer method the other backend lacks (erf, gamma, …).
        if isinstance(expr, sympy.Function) and not isinstance(expr, _HANDLED):
            name = expr.func.__name__
            if isinstance(expr, AppliedUndef):
                if name not in self._user_functions:
                    self._refuse(expr)
                args = ", ".join(self._print_number(a) for a in expr.args)
                return f"{self._user_functions[name]}({args})"
            if name not in self.known_functions:
                self._refuse(expr)
        return super()._print(expr, **kwargs)

    # --- atoms ----------------------------------------------------------------------
    def _print_Symbol(self, expr):
        return self._names.get(expr.name, expr.name)

    _print_Dummy = _print_Symbol

    def _print_Integer(self, expr):
        return f"{int(expr.p)}.0"

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Rational(self, expr):
        # p/q in Python is correctly rounded, the same double C would compute
        return repr(int(expr.p) / int(expr.q))

    def _print_Pi(self, expr):
        return repr(float(sympy.pi))

    def _print_Exp1(self, expr):
        return repr(float(sympy.E))

    def _print_BooleanTrue(self, expr):
        return self._TRUE

    def _print_BooleanFalse(self, expr):
        return self._FALSE

    def _print_number(self, expr) -> str:
        """``expr`` where a number is expected: conditions become 1.0/0.0."""
        if isinstance(expr, (BooleanTrue, BooleanFalse)):
            return "1.0" if expr else "0.0"
        if _is_condition(expr):
            return self._number(self._print(expr))
        return self._print(expr)

    # --- arithmetic -----------------------------------------------------------------
    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.base, expr.exp
        if exponent == sympy.S.Half:
            return f"{self._SQRT}({self._print(base)})"
        if exponent == -sympy.S.Half:
            return f"(1.0/{self._SQRT}({self._print(base)}))"
        if exponent.is_Integer and 0 < abs(int(exponent)) <= MAX_EXPANDED_POWER:
            b = self.parenthesize(base, PRECEDENCE["Mul"], strict=True)
            product = "*".join([b] * abs(int(exponent)))
            # parentheses: the result may sit in a denominator (a/(x*x), not a/x*x)
            return f"({product})" if exponent > 0 else f"(1.0/({product}))"
        if self._POW is not None:
            return f"{self._POW}({self._print(base)}, {self._print(exponent)})"
        prec = PRECEDENCE["Pow"]
        return f"{self.parenthesize(base, prec, strict=True)}**{self.parenthesize(exponent, prec, strict=True)}"

    def _print_Mod(self, expr):
        # floored modulo (Python's %), the same formula on both backends
        x, y = expr.args
        return self._print(x - y * sympy.floor(x / y, evaluate=False))

    def _print_Min(self, expr):
        return self._nest(self._callee["Min"], expr.args)

    def _print_Max(self, expr):
        return self._nest(self._callee["Max"], expr.args)

    def _nest(self, function, args):
        text = self._print_number(args[-1])
        for arg in reversed(args[:-1]):
            text = f"{function}({self._print_number(arg)}, {text})"
        return text

    def _print_sign(self, expr):
        x = self._print(expr.args[0])
        return self._select(f"{x} > 0.0", "1.0", self._select(f"{x} < 0.0", "-1.0", "0.0"))

    # --- eqsnn's functions ----------------------------------------------------------
    def _print_exprel(self, expr):
        return f"{self._callee['exprel']}({self._print_number(expr.args[0])})"

    def _print_clip(self, expr):
        args = ", ".join(self._print_number(a) for a in expr.args)
        return f"{self._callee['clip']}({args})"

    def _random(self, function, expr):
        k = expr.args[0]
        if not k.is_Integer or k < 0:
            raise UnsupportedFunctionError(
                f"{expr.func.__name__}() needs a non-negative integer call-site id, got {k}")
        return f"{function}(_rng_seed, _rng_stream + {self._stream_offset(int(k))}, _rng_counter)"

    def _print_rand(self, expr):
        return self._random(self._UNIFORM, expr)

    def _print_randn(self, expr):
        return self._random(self._NORMAL, expr)

    # --- conditions -----------------------------------------------------------------
    def _print_Relational(self, expr):
        op = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}.get(expr.rel_op)
        if op is None:
            self._refuse(expr)
        return f"{self._print_number(expr.lhs)} {op} {self._print_number(expr.rhs)}"

    def _print_And(self, expr):
        return f" {self._AND} ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr):
        return f" {self._OR} ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Not(self, expr):
        return f"{self._NOT}({self._print(expr.args[0])})"

    def _print_Piecewise(self, expr):
        pieces = expr.args
        if pieces[-1].cond != True:  # noqa: E712 (SymPy's true, not Python's)
            raise UnsupportedFunctionError(
                f"a Piecewise needs a last branch that holds otherwise: {expr}")
        text = self._print_number(pieces[-1].expr)
        for piece in reversed(pieces[:-1]):
            text = self._select(self._print(piece.cond), self._print_number(piece.expr), text)
        return text

    # --- statements -----------------------------------------------------------------
    def statement(self, statement) -> str:
        """One assignment as a line of code (see :func:`c_statements`)."""
        lhs, op, rhs = _split_statement(statement)
        return self._terminate(f"{self._print(lhs)} {op} {self._print_number(rhs)}")

    def expression(self, expr) -> str:
        """An expression, or a condition (a threshold) printed as a condition."""
        return self._print(sympy.sympify(expr))


class CCodePrinter(_EqsnnRules, C99CodePrinter):
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
                 user_functions: Mapping[str, str] | None = None):
        # math_macros={}: print log(10), not M_LN10, which needs _GNU_SOURCE-style defines
        super().__init__({"strict": True, "math_macros": {}})
        self._init_rules(names, user_functions)

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


class NumpyCodePrinter(_EqsnnRules, NumPyPrinter):
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
                 user_functions: Mapping[str, str] | None = None):
        super().__init__({"strict": True, "fully_qualified_modules": True})
        self.language = "numpy"  # NumPyPrinter.__init__ sets its own wording
        self._init_rules(names, user_functions)

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
for _name in _plain_calls("numpy"):
    setattr(NumpyCodePrinter, f"_print_{_name}", NumpyCodePrinter._print_known_func)


def _split_statement(statement):
    """``(lhs, op, rhs)`` of an Assignment, an AugmentedAssignment or an eqsnn Statement."""
    if isinstance(statement, AugmentedAssignment):
        return statement.lhs, statement.op, statement.rhs
    if isinstance(statement, Assignment):
        return statement.lhs, "=", statement.rhs
    target = getattr(statement, "target", None)
    if target is not None:  # eqsnn.equations.Statement(target, op, expr, span)
        lhs = target if isinstance(target, sympy.Basic) else sympy.Symbol(str(target), real=True)
        return lhs, statement.op, statement.expr
    raise TypeError(f"not an assignment: {statement!r}")


def _lhs_name(statement) -> str:
    lhs = _split_statement(statement)[0]
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
                 user_functions: Mapping[str, str] | None = None) -> list[str]:
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

    Returns
    -------
    list of str
        One line per statement. Temporaries are not declared here; the template declares
        :func:`temporaries` as ``double``.
    """
    printer = CCodePrinter(names, user_functions)
    return [printer.statement(s) for s in statements]


def c_expression(expr, names: Mapping[str, str] | None = None,
                 user_functions: Mapping[str, str] | None = None) -> str:
    """One expression as C; a condition (``v > vt``) prints as a C condition."""
    return CCodePrinter(names, user_functions).expression(expr)


def numpy_statements(statements: Sequence, names: Mapping[str, str] | None = None,
                     user_functions: Mapping[str, str] | None = None) -> list[str]:
    """Each assignment as one line of numpy code; see :func:`c_statements`."""
    printer = NumpyCodePrinter(names, user_functions)
    return [printer.statement(s) for s in statements]


def numpy_expression(expr, names: Mapping[str, str] | None = None,
                     user_functions: Mapping[str, str] | None = None) -> str:
    """One expression as numpy code; a condition prints as a boolean array expression."""
    return NumpyCodePrinter(names, user_functions).expression(expr)
