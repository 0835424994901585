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


def statements(backend: str, assignments, names, user_functions=None) -> list[str]:
    """Lines of ``backend``'s code (``"numpy"``, else C) for ``assignments``."""
    if backend == NUMPY:
        return numpy_statements(assignments, names=names, user_functions=user_functions)
    return c_statements(assignments, names=names, user_functions=user_functions)


def expression(backend: str, expr, names, user_functions=None) -> str:
    if backend == NUMPY:
        return numpy_expression(expr, names=names, user_functions=user_functions)
    return c_expression(expr, names=names, user_functions=user_functions)
