"""User functions in equations, as Brian2's ``Function``, ``implementation`` and
``check_units``: a Python (numpy) implementation, an optional C one, and units.

```python
@es.implementation("c", '''
double soft_clip(double x, double limit) { return limit * tanh(x / limit); }
''')
@es.check_units(x=mV, limit=mV, result=mV)
def soft_clip(x, limit):
    return limit * np.tanh(x / limit)

G = es.NeuronGroup(10, "dv/dt = (soft_clip(I*R, 20*mV) - v)/tau : volt",
                   namespace={"soft_clip": soft_clip, ...})
```

The Python implementation runs on the numpy backend and in string initialisers; it is
called with quantities when units are declared (as Brian2 calls it), with SI floats
otherwise, on whole arrays. The C implementation (SI doubles in, a double out) is pasted
into the compiled module; without one, the compiled backend refuses the network with
the fix. Calls are checked for their number of arguments and units when a group is
created (:mod:`eqsnn.lowering.calls`).
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

import numpy as np

from eqsnn import units
from eqsnn.codegen.contribution import Contribution, UserFunction
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnsupportedFunctionError
from eqsnn.targets import COMPILED

__all__ = ["Function", "implementation", "check_units"]

#: The names of the compiled backend's language in ``implementation(target, ...)``
#: (Brian2's C++ targets: C code is valid there, and most C++ function bodies are C).
_C_TARGETS = ("c", "cpp", "cython")


def _dimension(unit: Any, what: str):
    if unit is None:
        return None
    try:
        return units.to_si(1 * unit if not units.is_quantity(unit) else unit)[1]
    except Exception:
        raise InvalidValueError(f"{what} must be a unit (mV, 1, siemens/meter**2), not "
                                f"{unit!r}") from None


class Function:
    """A user function for equations: ``pyfunc`` (numpy) plus an optional C code.

    Parameters
    ----------
    pyfunc
        The Python implementation, called on whole arrays.
    arg_units
        The unit of each argument (``[mV, 1]``), or ``None`` to accept any (then calls
        are not unit-checked and ``pyfunc`` gets SI floats).
    return_unit
        The unit of the result (``1`` if dimensionless; ``None``: as the arguments say
        nothing, any).
    c_code, c_name
        A C implementation (a function definition in C99, using ``math.h``) and the
        name of the C function it defines (default: ``pyfunc``'s name).
    """

    _eqsnn_function = True

    def __init__(self, pyfunc: Callable, arg_units: Sequence[Any] | None = None,
                 return_unit: Any = None, *, c_code: str | None = None,
                 c_name: str | None = None):
        if not callable(pyfunc):
            raise InvalidValueError(f"Function needs a Python function, not "
                                    f"{type(pyfunc).__name__}")
        self.pyfunc = pyfunc
        self.name = getattr(pyfunc, "__name__", "function")
        declared = getattr(pyfunc, "_eqsnn_units", None)  # from @check_units
        if arg_units is None and declared is not None:
            arg_units, return_unit = declared
        self.nargs = len(arg_units) if arg_units is not None else _arity(pyfunc)
        self.arg_dims = None if arg_units is None else tuple(
            _dimension(u, f"the unit of argument {k + 1} of {self.name}")
            for k, u in enumerate(arg_units))
        self.dim = _dimension(return_unit, f"the result unit of {self.name}")
        self.call_example = f"{self.name}({', '.join(_parameters(pyfunc, self.nargs))})"
        self.c_code, self.c_name = None, None
        if c_code is not None:
            self.add_c(c_code, c_name)

    def add_c(self, code: str, name: str | None = None) -> None:
        """Give the function its C implementation (what ``@implementation("c", code)``
        does)."""
        if not isinstance(code, str) or not code.strip():
            raise InvalidValueError(f"the C implementation of {self.name} must be C code "
                                    f"(a function definition), not {code!r}")
        self.c_code, self.c_name = code, name or self.name
        if not self.c_name.isidentifier():
            raise InvalidValueError(f"{self.c_name!r} is not a C function name",
                                    hint="give the name the C code defines: c_name=... "
                                         "(implementation(..., name=...))")

    # --- evaluation (numpy backend, initialisers) ---------------------------------------
    def evaluate(self, *args):
        """The Python implementation on SI values, returning SI values."""
        if self.arg_dims is not None:
            args = [units.from_si(np.asarray(a, dtype=np.float64), d) if d is not None else a
                    for a, d in zip(args, self.arg_dims)]
        result = self.pyfunc(*args)
        magnitude, dim = units.to_si(result, what=f"the result of {self.name}")
        if self.arg_dims is not None and self.dim is not None and dim != self.dim:
            raise DimensionMismatchError(
                f"{self.name} returned a value with unit {units.format_dimension(dim)}, "
                f"but its result unit is {units.format_dimension(self.dim)}")
        return np.asarray(magnitude, dtype=np.float64)

    def __call__(self, *args):
        return self.pyfunc(*args)

    # --- code generation ----------------------------------------------------------------
    def check_backend(self, backend: str, where: str) -> None:
        """The compiled backend needs the C implementation."""
        if backend == COMPILED and self.c_code is None:
            raise UnsupportedFunctionError(
                f"the function {self.name!r} used by {where} has no C implementation, so "
                f"the compiled backend cannot call it",
                hint=f"add one with @es.implementation('c', 'double {self.name}(double x) "
                     f"{{ ... }}') (or Function(..., c_code=...)), or run the network "
                     f"with backend='numpy'")

    def _contribution(self, name: str) -> Contribution:
        c = Contribution()
        callable_array = c.array(f"{name}_py", lambda: np.array(self.evaluate, dtype=object),
                                 object)
        c.add_function(UserFunction(name, self.c_code or "", self.c_name or "",
                                    callable_array))
        return c

    def __repr__(self) -> str:
        return f"Function({self.name}, C: {'yes' if self.c_code else 'no'})"


def implementation(target: str, code: str | None = None, *, name: str | None = None,
                   **ignored) -> Callable:
    """Decorator: an implementation for ``target`` (``"c"``; Brian2's ``"cpp"`` and
    ``"cython"`` names are read as C), as Brian2's ``@implementation``. The decorated
    function (or :class:`Function`) becomes a :class:`Function`."""
    if ignored:
        raise InvalidValueError(f"implementation() does not take {sorted(ignored)}",
                                hint="give the code and optionally name=")

    def decorate(function):
        function = function if isinstance(function, Function) else Function(function)
        if target == "numpy":
            return function  # the Python function is the numpy implementation
        if target not in _C_TARGETS:
            raise InvalidValueError(f"unknown target {target!r} for an implementation",
                                    hint="use 'c' (C99 code) or 'numpy'")
        function.add_c(code, name)
        return function
    return decorate


def check_units(**declared) -> Callable:
    """Decorator: the units of a function's arguments (by name) and of its ``result``,
    as Brian2's ``@check_units``; :class:`Function` reads them."""
    def decorate(pyfunc):
        names = _parameters(pyfunc, None)
        missing = [n for n in names if n not in declared]
        if missing or "result" not in declared:
            raise InvalidValueError(
                f"check_units for {pyfunc.__name__} needs the unit of every argument and "
                f"of result; missing {', '.join(missing + (['result'] if 'result' not in declared else []))}")
        pyfunc._eqsnn_units = ([declared[n] for n in names], declared["result"])
        return pyfunc
    return decorate


def _parameters(pyfunc, count: int | None) -> list[str]:
    try:
        names = [p.name for p in inspect.signature(pyfunc).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    if count is not None and len(names) != count:
        names = [f"x{k}" for k in range(count)]
    return names


def _arity(pyfunc) -> int | None:
    names = _parameters(pyfunc, None)
    return len(names) or None
