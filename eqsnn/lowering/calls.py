"""Calls of user functions (a TimedArray, an :class:`eqsnn.Function`) checked against
the function: the number of arguments and, where the function declares them, their
units — before any code is printed, with the error pointing at the text."""
from __future__ import annotations

from typing import Any, Mapping

from sympy.core.function import AppliedUndef

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError, SourceSpan

__all__ = ["check_calls"]


def check_calls(expr, functions: Mapping[str, Any], dims: Mapping[str, Any],
                span: SourceSpan | None) -> None:
    """Every call in ``expr`` of a function in ``functions`` has as many arguments as
    it takes (``nargs``), each with the unit it declares (``arg_dims``, ``None`` for
    any)."""
    from eqsnn.equations import dimension_as_written

    if expr is None or not hasattr(expr, "atoms"):
        return
    for call in sorted(expr.atoms(AppliedUndef), key=str):
        name = call.func.__name__
        function = functions.get(name)
        if function is None:
            continue
        if _drawing(call) != bool(getattr(function, "draws", False)):
            example = getattr(function, "call_example", f"{name}(...)")
            raise InvalidValueError(
                f"{name} is called without arguments, which only a function that draws "
                f"random numbers (a BinomialFunction) is" if _drawing(call)
                else f"{name} draws random numbers and takes no arguments",
                span=span, hint=f"call it as {example}")
        if _drawing(call):
            continue
        wanted = getattr(function, "nargs", None)
        if wanted is not None and len(call.args) != wanted:
            example = getattr(function, "call_example", f"{name}(...)")
            raise InvalidValueError(
                f"{name} takes {wanted} argument{'s' if wanted != 1 else ''}, but is called "
                f"with {len(call.args)}", span=span, hint=f"call it as {example}")
        for position, (arg, dim) in enumerate(zip(call.args, getattr(function, "arg_dims",
                                                                      ()) or ())):
            if dim is None:
                continue
            given = dimension_as_written(arg, dims, span=span)
            if given is not None and given != dim:
                raise DimensionMismatchError(
                    f"argument {position + 1} of {name} must have unit "
                    f"{units.format_dimension(dim)}, but {arg} has unit "
                    f"{units.format_dimension(given)}", span=span)


def _drawing(call) -> bool:
    """Whether ``call`` was written ``f()``: the parser gives it ``(rand(k), randn(k))``
    with one id (see ExpressionConverter._drawing_call)."""
    from eqsnn.equations.functions import rand, randn
    args = call.args
    return len(args) == 2 and isinstance(args[0], rand) and isinstance(args[1], randn) \
        and args[0].args == args[1].args
