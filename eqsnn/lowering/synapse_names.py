"""How a Synapses object's strings name the neurons on either side.

:class:`Side` is a connected group as the build stage sees it (its record's variables);
the checks below refuse ``x_pre``/``x_post`` that name nothing, reads through a linked
variable, and ``N_incoming``/``N_outgoing`` where they do not exist; ``implicit_post``
gives an unsuffixed target variable its ``_post`` name, as Brian2 reads it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eqsnn.equations.symbols import symbol
from eqsnn.errors import InvalidValueError, UnknownNameError
from eqsnn.lowering.names import CONNECTIVITY_COUNTS, SYNAPSE_DIMS
from eqsnn.lowering.namespace import find_span
from eqsnn.lowering.records import Variable

__all__ = ["Side", "check_suffixes", "implicit_post", "neuron_arrays", "neuron_dims",
           "boolean_names", "CONNECTIVITY_COUNTS", "SPECIAL_DIMS"]

SPECIAL_DIMS = SYNAPSE_DIMS


@dataclass(frozen=True)
class Side:
    """The source or target group of a synapse, as its record describes it (a group
    without a model, such as a SpikeGeneratorGroup, has no variables)."""

    name: str
    variables: tuple[Variable, ...] = ()

    @property
    def dims(self) -> dict[str, Any]:
        return {v.name: v.dim for v in self.variables}

    @property
    def arrays(self) -> list[str]:
        return [v.name for v in self.variables if v.is_state]

    @property
    def shared(self) -> set[str]:
        return {v.name for v in self.variables if v.shared}

    @property
    def parameters(self) -> set[str]:
        return {v.name for v in self.variables if v.kind == "parameter"}

    @property
    def unless_refractory(self) -> set[str]:
        """Variables that synaptic code writes only while their neuron is not
        refractory (flagged ``(unless refractory)``, as in Brian2)."""
        return {v.name for v in self.variables if v.unless_refractory}

    @property
    def booleans(self) -> set[str]:
        return {v.name for v in self.variables if v.dtype == "bool"}


def neuron_arrays(side: Side) -> list[str]:
    return side.arrays


def neuron_dims(side: Side) -> dict[str, Any]:
    return side.dims


def boolean_names(dtypes, pre: Side, post: Side) -> set[str]:
    """The names that hold a boolean in synaptic strings: the model's ``: boolean``
    variables (``dtypes``: name -> dtype), the neurons' with their suffix, and the
    target's unsuffixed where no synaptic variable hides them (as Brian2 reads them)."""
    names = {name for name, dtype in dtypes.items() if dtype == "bool"}
    names |= {f"{name}_pre" for name in pre.booleans}
    names |= {f"{name}_post" for name in post.booleans}
    return names | (post.booleans - set(dtypes))


def check_suffixes(used, source: str, pre_group, post_group, subexpressions=()) -> None:
    """``x_pre`` / ``x_post`` must name a variable of the source / target group."""
    for name in sorted(used):
        for suffix, group, role in (("_pre", pre_group, "source"),
                                    ("_post", post_group, "target")):
            base = name[: -len(suffix)]
            if not name.endswith(suffix) or not base or base in neuron_dims(group) \
                    or name in subexpressions or name in SPECIAL_DIMS:  # N_pre, N_post
                continue
            names = sorted(neuron_dims(group))
            raise UnknownNameError(
                f"{name!r} refers to a variable {base!r} of the {role} group "
                f"{group.name!r}, which has no such variable",
                span=find_span(source, name, "synapse model"),
                hint=f"the variables of {group.name!r} are {names}" if names else
                f"{group.name!r} has no variables (it only emits spikes)")


def refuse_linked(used, source: str, pre: Side, post: Side) -> None:
    """A linked variable of a neuron group is another group's; synapses do not read it
    through the link (yet): read the variable it links to instead."""
    for suffix, side in (("_pre", pre), ("_post", post)):
        linked = {v.name for v in side.variables if v.linked}
        for name in sorted(used):
            base = name[:-len(suffix)] if name.endswith(suffix) else \
                (name if suffix == "_post" else None)
            if base in linked:
                raise InvalidValueError(
                    f"{name!r} is the linked variable {base!r} of {side.name!r}; synapses "
                    f"cannot read a variable through its link",
                    span=find_span(source, name, "synapse model"),
                    hint="read the variable it is linked to, from a Synapses object "
                         "connected to that group")




def refuse_connectivity_counts(used, source: str, label: str) -> None:
    """``N_incoming``/``N_outgoing`` exist once the synapses do: not in ``connect()``
    conditions and probabilities, which decide what synapses are made."""
    for name in CONNECTIVITY_COUNTS:
        if name in used:
            raise UnknownNameError(
                f"{name} (the number of synapses sharing this synapse's "
                f"{'target' if name == 'N_incoming' else 'source'}) is not available in "
                f"connect() conditions and probabilities, while the synapses are still "
                f"being made", span=find_span(source, name, label),
                hint=f"set a parameter after connect() and use it: model 'n : 1', then "
                     f"S.n = '{name}'")


def implicit_post(expr, synaptic, post_dims):
    """Rename unsuffixed names of target variables to their ``_post`` form."""
    mapping = {s: symbol(f"{s.name}_post") for s in expr.free_symbols
               if s.name not in synaptic and s.name in post_dims and s.name not in SPECIAL_DIMS}
    return expr.xreplace(mapping) if mapping else expr
