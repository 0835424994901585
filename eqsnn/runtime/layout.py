"""Where each object of a network sits in its module: names by position, decided once.

The network numbers its objects per kind (groups ``_g0, _g1 …``, synapses ``_s0 …``,
monitors ``_m0 …``) and its user functions (``_ta0 …``) before any object contributes.
Every array's name follows from its owner's prefix (``_g0_v_v`` is variable ``v`` of
group 0), so a monitor or a synapse can name another object's arrays without that
object having contributed first: each contribution depends on the object and the
layout only.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable, Sequence

from eqsnn.errors import InvalidValueError
from eqsnn.runtime.schedule import SLOTS

__all__ = ["Layout", "variable_cname", "constant_cname"]


# User names get an infix (v_ for variables, c_ for constants) that no internal array
# uses, so a variable called 'n' or 'spikes' cannot clash with one.
def variable_cname(prefix: str, var: str) -> str:
    return f"{prefix}_v_{var}"


def constant_cname(prefix: str, name: str) -> str:
    return f"{prefix}_c_{name}"


class Layout:
    """The prefixes of a network's objects and the names of its user functions."""

    def __init__(self, groups: Sequence, synapses: Sequence, monitors: Sequence, *,
                 threads: Callable[[], int] = lambda: 1,
                 schedule: tuple[str, ...] = SLOTS):
        #: how many threads the loop starts, asked at every call (synaptic rows are cut
        #: into one piece per thread)
        self.threads = threads
        #: the slots of a step, in order (the network's; Brian2's by default): whether a
        #: pathway runs before its sender's threshold decides which spikes it reads
        self.schedule = schedule
        #: how many steps the loop runs before its recorders record them, asked at
        #: every call (1 unless its steps run in batches: the network sets it once the
        #: module is assembled, see ModuleBuilder.batch_steps)
        self.batch: Callable[[], int] = lambda: 1
        self._prefix: dict[int, str] = {}
        for letter, objects in (("g", groups), ("s", synapses), ("m", monitors)):
            for k, obj in enumerate(objects):
                self._prefix[id(obj)] = f"_{letter}{k}"
        self._functions: dict[int, tuple[str, Any]] = {}
        # (a group's run_regularly blocks may use functions of their own)
        users = list(groups) + list(synapses)
        users += [block for obj in users for block in getattr(obj, "_regular", ())]
        for obj in users:
            for function in getattr(obj, "_functions", {}).values():
                if id(function) not in self._functions:
                    self._functions[id(function)] = (f"_ta{len(self._functions)}", function)
        self._summed = _summed_ranges(synapses)

    def prefix(self, obj) -> str:
        return self._prefix[id(obj)]

    def function(self, function) -> str:
        """The module's name of a user function (declared once however often used)."""
        return self._functions[id(function)][0]

    @property
    def functions(self) -> list[tuple[str, Any]]:
        return list(self._functions.values())

    def spikes(self, group) -> SimpleNamespace:
        """The spikes of a group in this step: ``array[:count[0]]`` (neuron indices)."""
        p = self.prefix(group)
        return SimpleNamespace(array=f"{p}_spikes", count=f"{p}_nspikes")

    def variable(self, group, var: str) -> str:
        return variable_cname(self.prefix(group), var)

    def zeroes_summed(self, syn, target: str) -> bool:
        """Whether ``syn`` is the first of the synapses that sum into ``target`` of its
        target group over the same neurons (only the first sets them to zero)."""
        return self._summed[(id(syn.post_group), target, syn.post_start, syn.post_stop)] is syn


def _summed_ranges(synapses: Sequence) -> dict:
    """The first synapses summing into each (group, variable, range); ranges that
    overlap without being equal are refused (their sum would depend on the order of
    the objects)."""
    first: dict = {}
    for syn in synapses:
        for summed in syn._record.summed_targets:
            span = (syn.post_start, syn.post_stop)
            for (group, target, start, stop) in first:
                if group == id(syn.post_group) and target == summed \
                        and start < span[1] and span[0] < stop and (start, stop) != span:
                    raise InvalidValueError(
                        f"{syn.name!r} sums into {summed} of {syn.post_group.name!r} over "
                        f"neurons {span[0]}..{span[1] - 1}, which overlaps another summed "
                        f"range of the same variable without being equal",
                        hint="sum over the same (sub)group, or into two variables added in "
                             "the neuron equations")
            first.setdefault((id(syn.post_group), summed) + span, syn)
    return first
