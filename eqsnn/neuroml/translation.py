"""What a LEMS → eqsnn translation builds and reads: :class:`Translated` (the result),
:class:`Context` (the library, the component, how names outside it are written) and
:func:`eqsnn_name` (a LEMS name as eqsnn may use it)."""
from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Callable

from eqsnn.neuroml.dimensions import pint_dimension
from eqsnn.neuroml.errors import UnsupportedNeuroMLError
from eqsnn.neuroml.expressions import ExpressionError, translate
from eqsnn.neuroml.lems import Component, Library, ResolvedType, local_name

__all__ = ["Context", "Translated", "eqsnn_name"]

# Names eqsnn gives a meaning of its own (LEMS's time ``t`` means the same, so stays).
_RESERVED = {"i", "j", "N", "dt", "lastspike", "not_refractory", "lastupdate", "N_pre",
             "N_post", "N_incoming", "N_outgoing", "rand", "randn", "exprel", "clip",
             "exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "abs",
             "sign", "floor", "ceil", "log10", "arcsin", "arccos", "arctan", "int", "True",
             "False"}


def eqsnn_name(name: str, taken: set[str] = frozenset()) -> str:
    """A LEMS name as eqsnn may use it: reserved names, Python keywords and names that
    eqsnn reads as ``x_pre``/``x_post`` or as noise (``xi``) get a trailing ``_lems``."""
    if (name in _RESERVED or keyword.iskeyword(name) or name.startswith("_")
            or "__" in name or re.match(r"xi(_|$)", name)
            or name.endswith(("_pre", "_post"))):
        candidate = f"{name.strip('_')}_lems"
        while candidate in taken:
            candidate += "_"
        return candidate
    return name


@dataclass
class Translated:
    """A component's dynamics in eqsnn's terms (names already eqsnn names)."""

    lines: list[str] = field(default_factory=list)       # equations, one per line
    namespace: dict = field(default_factory=dict)        # constants as quantities
    threshold: str | None = None
    reset: list[str] = field(default_factory=list)
    refractory: float | None = None                      # seconds, as LEMS says
    initial: list[tuple[str, str]] = field(default_factory=list)   # OnStart
    on_event: dict[str, list[str]] = field(default_factory=dict)   # port -> statements
    per_step: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # LEMS name -> eqsnn name
    dims: dict[str, object] = field(default_factory=dict)  # eqsnn name -> dimension
    properties: dict[str, float] = field(default_factory=dict)  # per-item, defaults
    states: list[str] = field(default_factory=list)      # eqsnn names of variables
    # delta synapses (the idiom of eqsnn.neuroml.export_deltas): the synapses'
    # exposure whose increments are increments of a cell variable -> its eqsnn name
    deltas: dict[str, str] = field(default_factory=dict)

    @property
    def equations(self) -> str:
        return "\n".join(self.lines)


class Context:
    """What a translation needs: the library (for messages and units), the component,
    and how names outside the component are written."""

    def __init__(self, lib: Library, rtype: ResolvedType, component: Component,
                 requirements: dict[str, str], sums: Callable, per_item_properties: bool,
                 prefix: str, each_step: str):
        self.lib, self.rtype, self.component = lib, rtype, component
        self.prefix, self.each_step = prefix, each_step
        self.time_shift = False
        self.post_lag = 1   # steps from on_post to jNeuroML's post-event condition
        self.requirements = requirements
        self.sums = sums
        self.per_item_properties = per_item_properties
        self.out = Translated()
        self.values: dict[str, float] = {}     # eqsnn name -> SI value of constants

    def dimension(self, name: str, where):
        if name == "none" or name is None:
            return pint_dimension({})
        if name not in self.lib.dimensions:
            raise self.lib.error(where, f"unknown dimension {name!r}")
        return pint_dimension(self.lib.dimensions[name])

    def expression(self, text: str | None, where, *, end_of_step: bool = False,
                   time: str | None = None) -> str:
        """``text`` in eqsnn syntax. ``end_of_step``: the expression is evaluated on the
        state at the end of a step (conditions, their assignments), whose time is
        ``t + dt`` in eqsnn, which checks thresholds before it advances ``t``; ``time``:
        what LEMS's ``t`` is here, in eqsnn's terms, if neither."""
        if text is None:
            raise self.lib.error(where, f"{local_name(where.tag)} has no value")
        if time is None:
            time = "(t + dt)" if end_of_step or self.time_shift else "t"
        try:
            return translate(text, lambda name: time if name == "t" else self.rename(name))
        except ExpressionError as exc:
            raise self.lib.error(where, str(exc)) from None

    def rename(self, name: str) -> str | None:
        if name == "t":
            return "t"
        if name in self.requirements:
            return self.requirements[name]
        return self.out.names.get(name)

    def unsupported(self, where, what: str, hint: str | None = None):
        return self.lib.error(
            where, f"{what} in the ComponentType {self.rtype.name!r} (used by "
                   f"{self.component.type} {self.component.id!r}) has no eqsnn translation",
            hint=hint, cls=UnsupportedNeuroMLError)
