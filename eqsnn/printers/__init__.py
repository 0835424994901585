"""SymPy → target code text: the C and numpy printers (:mod:`eqsnn.printers.code`).

A library below the stages that print: the integrators (the "generated code" step of a
derivation) and the build stage (:mod:`eqsnn.lowering`, the code of every record). The
code generator (:mod:`eqsnn.codegen`) never prints SymPy; it renders records.
"""
from eqsnn.printers.code import (CCodePrinter, NumpyCodePrinter, c_expression,
                                 c_statements, numpy_expression, numpy_statements,
                                 temporaries)
from eqsnn.targets import BACKENDS, NUMPY  # every record holds code for each of them

__all__ = ["BACKENDS", "CCodePrinter", "NumpyCodePrinter", "c_expression", "c_statements",
           "numpy_expression", "numpy_statements", "temporaries", "statements", "expression"]


def statements(backend: str, assignments, names, user_functions=None, *, hoisted=None,
               used=None) -> list[str]:
    """Lines of ``backend``'s code (``"numpy"``, else C) for ``assignments``
    (``hoisted``, ``used``: see :func:`c_statements`)."""
    printer = numpy_statements if backend == NUMPY else c_statements
    return printer(assignments, names=names, user_functions=user_functions,
                   hoisted=hoisted, used=used)


def expression(backend: str, expr, names, user_functions=None, *, hoisted=None,
               used=None) -> str:
    printer = numpy_expression if backend == NUMPY else c_expression
    return printer(expr, names=names, user_functions=user_functions, hoisted=hoisted,
                   used=used)
