"""Assembling one network module from the operations of a network's objects.

Runtime objects (groups, monitors, inputs, synapses) describe what they need — arrays,
scalars, counters and operations in a schedule slot — to a :class:`ModuleBuilder`. The
builder names everything by position (``_g0_v``, ``_m1_buf``) rather than by the user's
names, so two networks with the same structure produce the same source and share one
compiled module. It renders the source for one backend: a plain C library, or
its numpy twin.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable, Sequence

import numpy as np

from eqsnn import __version__
from eqsnn.codegen.targets import COMPILED
from eqsnn.resources import template_digest

__all__ = ["SLOTS", "ArraySlot", "ModuleBuilder", "ModuleSource"]

#: The schedule of one time step, in order (Brian2's default schedule). Summed synaptic
#: variables are computed in "start" (before the state monitors record them), the
#: clock-driven synaptic equations in "synapse_state", just before the neurons' state
#: updates; spikes reach synapses in "synapses", after the thresholds.
SLOTS = ("start", "synapse_state", "groups", "thresholds", "synapses", "resets", "end")

_CTYPES = {np.dtype(np.float64): "double", np.dtype(np.int32): "int32_t",
           np.dtype(np.int64): "int64_t"}


@dataclass
class ArraySlot:
    """An array the compiled loop reads or writes; ``get`` returns the current array."""

    cname: str
    ctype: str
    get: Callable[[], np.ndarray]


@dataclass
class ModuleSource:
    """The rendered source and what to hand it at run time, in order."""

    backend: str
    source: str
    arrays: list[ArraySlot]
    scalars: list[tuple[str, Callable[[], float]]]
    int_scalars: list[tuple[str, Callable[[], int]]]


@dataclass
class ModuleBuilder:
    """Collects what each object needs and renders the network module."""

    backend: str  # one of eqsnn.codegen.targets.BACKENDS
    arrays: list[ArraySlot] = field(default_factory=list)
    scalars: list[tuple[str, Callable[[], float]]] = field(default_factory=list)
    int_scalars: list[tuple[str, Callable[[], int]]] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    capacity_checks: list[str] = field(default_factory=list)
    blocks: dict[str, list[str]] = field(default_factory=lambda: {slot: [] for slot in SLOTS})
    #: per-build memo for objects declared once however often they are used (timed arrays)
    memo: dict = field(default_factory=dict)
    _n_ops: int = 0
    _names: set = field(default_factory=set)

    # --- naming ---------------------------------------------------------------------
    def array(self, cname: str, get: Callable[[], np.ndarray], dtype=np.float64) -> str:
        self._claim(cname)
        self.arrays.append(ArraySlot(cname, _CTYPES[np.dtype(dtype)], get))
        return cname

    def scalar(self, cname: str, get: Callable[[], float]) -> str:
        self._claim(cname)
        self.scalars.append((cname, get))
        return cname

    def int_scalar(self, cname: str, get: Callable[[], int]) -> str:
        self._claim(cname)
        self.int_scalars.append((cname, get))
        return cname

    def _claim(self, cname: str) -> None:
        """Two objects (or a user variable and an internal array) must never share a
        name in the module: the C compiler would refuse it, numpy would silently alias."""
        if cname in self._names:
            raise RuntimeError(f"eqsnn internal error: the name {cname!r} was declared "
                               f"twice in one network module")
        self._names.add(cname)

    def counter(self, cname: str, get: Callable[[], np.ndarray]) -> str:
        """A persistent int64 counter: a one-element array owned by an object.

        Returns the lvalue to use in templates (the same text in C and Python)."""
        self.array(cname, get, np.int64)
        return f"{cname}[0]"

    def next_op(self) -> int:
        """A new operation id: the random stream of operation k is ``k << 32``."""
        self._n_ops += 1
        return self._n_ops

    # --- code -----------------------------------------------------------------------
    @property
    def is_c(self) -> bool:
        return self.backend == COMPILED

    def index_name(self) -> str:
        """How the per-neuron index ``i`` is written in expressions."""
        return "((double)_i)" if self.is_c else "_i"

    def as_double(self, int_expr: str) -> str:
        return f"((double){int_expr})" if self.is_c else int_expr

    def statements(self, statements: Sequence, names: dict[str, str],
                   user_functions: dict[str, str] | None = None) -> list[str]:
        from eqsnn.codegen import printing
        if self.is_c:
            return printing.c_statements(statements, names=names, user_functions=user_functions)
        return printing.numpy_statements(statements, names=names, user_functions=user_functions)

    def expression(self, expr, names: dict[str, str],
                   user_functions: dict[str, str] | None = None) -> str:
        from eqsnn.codegen import printing
        if self.is_c:
            return printing.c_expression(expr, names=names, user_functions=user_functions)
        return printing.numpy_expression(expr, names=names, user_functions=user_functions)

    def add(self, slot: str, template: str, **context) -> None:
        """Put one operation (a template and its inputs) into a schedule slot; it is
        rendered by :meth:`build`."""
        name = f"{template}.c.j2" if self.is_c else f"numpy/{template}.py.j2"
        self.blocks[slot].append((name, context))

    def add_function(self, c_line: str, numpy_line: str) -> None:
        self.functions.append(c_line if self.is_c else numpy_line)

    def add_capacity_check(self, condition: str) -> None:
        self.capacity_checks.append(condition)

    # --- result ---------------------------------------------------------------------
    def _module_context(self) -> dict:
        return dict(version=__version__, arrays=self.arrays,
                    scalars=[name for name, _ in self.scalars],
                    int_scalars=[name for name, _ in self.int_scalars],
                    functions=self.functions, capacity_checks=self.capacity_checks)

    def _operations(self) -> list[tuple[str, dict]]:
        return [operation for slot in SLOTS for operation in self.blocks[slot]]

    def signature(self) -> list | None:
        """Everything the rendered source depends on, as plain JSON data: the backend,
        the templates' digest and every template's inputs (an array by its C name and
        type; the getter that hands it over at run time is not part of the source).
        ``None`` if an input is something this cannot describe faithfully: then the
        source must be rendered, never looked up."""
        try:
            return [self.backend, template_digest(),
                    _describe(self._module_context()),
                    [[name, _describe(context)] for name, context in self._operations()]]
        except _Indescribable:
            return None

    def build(self, source: str | None = None) -> ModuleSource:
        """Render the network module, or take ``source`` rendered earlier from the same
        :meth:`signature` (a warm run then never imports Jinja2)."""
        if source is None:
            from eqsnn.codegen.templates import render
            slots = [render(name, **context).rstrip("\n")
                     for name, context in self._operations()]
            template = "network.c.j2" if self.is_c else "numpy/network.py.j2"
            source = render(template, **self._module_context(), slots=slots)
        return ModuleSource(self.backend, source, list(self.arrays), list(self.scalars),
                            list(self.int_scalars))


class _Indescribable(Exception):
    pass


def _describe(value):
    """A template input as JSON data that determines what the template renders."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_describe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _describe(item) for key, item in value.items()}
    if isinstance(value, SimpleNamespace):
        return {"__namespace__": _describe(vars(value))}
    if isinstance(value, ArraySlot):
        return {"__array__": [value.cname, value.ctype]}
    raise _Indescribable(type(value).__name__)
