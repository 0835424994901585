"""The rules the C and numpy printers share (:class:`EqsnnRules`); see
:mod:`eqsnn.printers.code` for what they are and the two printers built on them."""
from __future__ import annotations

import sympy
from sympy.codegen.ast import Assignment, AugmentedAssignment
from sympy.core.function import AppliedUndef
from sympy.logic.boolalg import Boolean, BooleanFalse, BooleanTrue
from sympy.printing.precedence import PRECEDENCE

from eqsnn.equations import functions as fn
from eqsnn.errors import UnsupportedFunctionError
from eqsnn.printers.quotients import QUOTIENT_CALLEES, as_quotient

__all__ = ["EqsnnRules", "MAX_EXPANDED_POWER", "plain_calls", "split_statement"]

#: x**n with |n| up to this is printed as n-1 multiplications (exact and fast); larger
#: powers call pow.
MAX_EXPANDED_POWER = 4

#: Function subclasses printed by methods of their own (with the table's spellings where
#: it has one), not as a plain call
_HANDLED = (fn.exprel, fn.clip, fn.rand, fn.randn, sympy.Piecewise, sympy.sign, sympy.Mod,
            sympy.floor, sympy.ceiling, fn.trunc)
_OWN_METHODS = {cls.__name__ for cls in _HANDLED} | {"Min", "Max"}


def plain_calls(target: str) -> dict[str, str]:
    """SymPy class name → callee, for the functions printed as a plain call in ``target``."""
    return {k: v for k, v in fn.spellings(target).items() if k not in _OWN_METHODS}


def _is_condition(expr) -> bool:
    return isinstance(expr, Boolean) and not isinstance(expr, sympy.Symbol)


class EqsnnRules:
    """What the C and numpy printers share; see :mod:`eqsnn.printers.code`.

    Subclasses set the target (``_TARGET``, the column of the table of functions
    :data:`eqsnn.equations.functions.TABLE` they print with) and its spellings:
    ``_SQRT``, ``_POW`` (``None`` → ``**``), ``_TRUE``/``_FALSE``, ``_AND``/``_OR``/``_NOT``,
    ``_UNIFORM``/``_NORMAL``, and ``_select(cond, a, b)`` / ``_number(cond)``.
    """

    _TARGET = "numpy"

    def _init_rules(self, names, user_functions, hoisted=None, used=None) -> None:
        self._names = dict(names or {})
        self._user_functions = dict(user_functions or {})
        # loop invariants computed before the loop (eqsnn/lowering/invariants.py): a
        # node printed as its name; each name printed is added to ``used``
        self._hoisted = dict(hoisted or {})
        self._used = used if used is not None else set()
        self._callee = fn.spellings(self._TARGET)
        self.known_functions = plain_calls(self._TARGET)

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
        if self._hoisted and isinstance(expr, sympy.Basic) and expr in self._hoisted:
            self._used.add(self._hoisted[expr])
            return self._hoisted[expr]
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

    def _print_floor(self, expr):
        return self._rounding(expr)

    _print_ceiling = _print_trunc = _print_floor

    def _rounding(self, expr):
        """floor, ceil or int(): of a quotient n/q (see :func:`as_quotient`) with the
        support function that rounds it exactly; else the plain call. A C compiler told
        -ffast-math turns n/3.0 into n*(1/3.0), so printing ``floor(n/3.0)`` would not
        be enough."""
        name = expr.func.__name__
        quotient = as_quotient(expr.args[0])
        if quotient is None:
            return f"{self._callee[name]}({self._print_number(expr.args[0])})"
        numerator, q = quotient
        return f"{QUOTIENT_CALLEES[name]}({self._print(numerator)}, {q}.0)"

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
        lhs, op, rhs = split_statement(statement)
        return self._terminate(f"{self._print(lhs)} {op} {self._print_number(rhs)}")

    def expression(self, expr) -> str:
        """An expression, or a condition (a threshold) printed as a condition."""
        return self._print(sympy.sympify(expr))


def split_statement(statement):
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
