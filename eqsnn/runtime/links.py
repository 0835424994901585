"""Linked variables: a parameter of one group that reads a variable of another.

``I : amp (linked)`` in a group's equations, then ``G.I = linked_var(H, "x")``: every
neuron of ``G`` reads ``x`` of ``H`` at the moment its code runs (Brian2's
``linked_var``). Which neuron of ``H`` each neuron of ``G`` reads:

* the same index, when ``H`` has as many neurons as ``G``;
* the one value, when ``H`` has a single neuron or ``x`` is shared;
* ``index[k]`` for neuron ``k``, when an ``index`` array is given.

The generated code loads the value per neuron before the model's code runs (the
templates' ``linked`` bindings), so a link is data, like a parameter: changing it does
not recompile as long as its kind (same, scalar, indexed) stays.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError

__all__ = ["LinkedVariable", "linked_var", "link_values"]


@dataclass(frozen=True)
class LinkedVariable:
    """What ``linked_var`` returns: assign it to a ``(linked)`` parameter."""

    group: Any          # the group or subgroup read from
    name: str           # its variable
    index: np.ndarray | None = None


def linked_var(group, name: str, index: Any = None) -> LinkedVariable:
    """Link to variable ``name`` of ``group`` (a NeuronGroup or a subgroup), e.g.
    ``G.I = linked_var(H, "x")``; ``index`` (optional) says which neuron of ``group``
    each neuron reads."""
    owner = getattr(group, "_owner", None)
    if owner is None or not hasattr(owner, "_dims"):
        raise InvalidValueError(f"linked_var needs a group of neurons, not "
                                f"{type(group).__name__}")
    if name not in owner._arrays:
        what = "a subexpression" if name in owner._dims else "not a variable"
        raise InvalidValueError(
            f"linked_var({owner.name}, {name!r}): {name!r} is {what} of {owner.name!r}",
            hint=f"link to one of its state variables: {sorted(owner._arrays)}")
    if index is not None:
        index = np.asarray(index)
        if index.ndim != 1 or not np.issubdtype(index.dtype, np.integer):
            raise InvalidValueError("the index of linked_var must be a 1-d array of integers")
        if index.size and (index.min() < 0 or index.max() >= group.N):
            raise InvalidValueError(f"the index of linked_var must lie in 0..{group.N - 1} "
                                    f"(the neurons of {group.name!r})")
        index = index.astype(np.int64)
    return LinkedVariable(group, name, index)


def check_link(target, var: str, link: Any) -> None:
    """Whether ``link`` may be the value of ``target``'s linked parameter ``var``."""
    if not isinstance(link, LinkedVariable):
        raise InvalidValueError(
            f"{var!r} of {target.name!r} is a linked variable: it reads another group's "
            f"variable and cannot be given values",
            hint=f"link it: {target.name}.{var} = linked_var(other_group, 'x')")
    source = link.group._owner
    want, got = target._dims[var], source._dims[link.name]
    if want != got:
        raise DimensionMismatchError(
            f"{var} of {target.name!r} has unit {units.format_dimension(want)}, but "
            f"{link.name} of {source.name!r} has unit {units.format_dimension(got)}")
    if link.index is not None:
        if link.index.size != target.N:
            raise InvalidValueError(f"the index of linked_var has {link.index.size} entries, "
                                    f"but {target.name!r} has {target.N} neurons")
    elif mode(link) == "same" and link.group.N != target.N:
        raise InvalidValueError(
            f"{target.name!r} has {target.N} neurons but {link.group.name!r} has "
            f"{link.group.N}: which neuron should each one read?",
            hint="give linked_var(..., index=array) with one source index per neuron")


def mode(link: LinkedVariable) -> str:
    """``"scalar"`` (one value for all), ``"indexed"`` (an index per neuron) or
    ``"same"`` (neuron k reads neuron k)."""
    source = link.group._owner
    if link.name in source._shared or link.group.N == 1:
        return "scalar"
    return "indexed" if link.index is not None else "same"


def start(link: LinkedVariable) -> int:
    """Where the values start in the linked variable's array: the first neuron of the
    linked (sub)group (0 for a shared variable, which has one value)."""
    if link.name in link.group._owner._shared:
        return 0
    return getattr(link.group, "start", 0)


def absolute_index(link: LinkedVariable) -> np.ndarray:
    return link.index + start(link)


def link_values(link: LinkedVariable, part: slice, size: int) -> np.ndarray:
    """The values the linked neurons ``part`` of a group of ``size`` read now."""
    array = link.group._owner._arrays[link.name]
    kind = mode(link)
    if kind == "scalar":
        return np.full(np.arange(size)[part].size, array[start(link)])
    if kind == "indexed":
        return array[absolute_index(link)[part]]
    return array[start(link):start(link) + size][part]
