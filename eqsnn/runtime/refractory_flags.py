"""``not_refractory_pre`` / ``not_refractory_post`` in a Synapses pathway: how its
template defines them, from the neuron's refractoriness (Brian2's ``not_refractory``);
:func:`flag_steps` also serves a group's ``run_regularly`` blocks.

The build stage guards every statement that writes an ``(unless refractory)`` neuron
variable with them (Brian2's conditional write, see :mod:`eqsnn.lowering.synapses`),
and users may read them. Each is 1.0 or 0.0, per synapse, for that synapse's source
(``_ipre``) or target (``_j``) neuron, with the value Brian2's ``not_refractory`` array
holds when the pathway runs:

* a string refractoriness keeps ``not_refractory`` per neuron (computed in the state
  update, cleared by a spike): the pathway reads that array;
* a refractory period (data, in steps) is tested from the step of the last spike.
  Brian2 computes the flag in the group's state update and clears it when the neuron
  spikes, so after the state update of step ``n`` it is ``n - lastspike >=
  max(steps, 1)`` (``refractory=0*ms`` too: a neuron is refractory in the step it
  spikes), and one step later before it (a pathway moved to ``start`` or
  ``before_groups`` sees the flag of the previous step);
* a group without refractoriness (or a SpikeGeneratorGroup, a Synapses): 1.0.
"""
from __future__ import annotations

from eqsnn.lowering.names import NOT_REFRACTORY
from eqsnn.runtime.group_code import names as group_names
from eqsnn.runtime.groups import _NEVER

__all__ = ["NOT_REFRACTORY_NAMES", "flags", "flag_steps"]

NOT_REFRACTORY_NAMES = frozenset(NOT_REFRACTORY.values())
_INDEX = {"pre": "_ipre", "post": "_j"}


def flags(c, syn, layout, path: str, reads, prefix: str) -> list:
    """The template input ``flags`` of a pathway: ``[name, kind, array, steps, index]``
    per flag its code reads; ``kind`` is ``"array"`` (``array[index]``), ``"steps"``
    (``_step - array[index] >= steps``, ``array`` the last spikes) or ``"none"`` (1)."""
    entries = []
    for side, name in NOT_REFRACTORY.items():
        if name not in reads:
            continue
        group = syn.pre_group if side == "pre" else syn.post_group
        refractory = getattr(group, "refractory", None)
        if isinstance(refractory, str):
            entries.append([name, "array", layout.variable(group, "not_refractory"), "",
                            _INDEX[side]])
        elif isinstance(refractory, float):
            slot = syn._pathways[path]._slot
            steps = c.int_scalar(f"{prefix}_nrsteps_{side}",
                                 lambda group=group: flag_steps(slot, group))
            entries.append([name, "steps", group_names(group, layout).lastspike, steps,
                            _INDEX[side]])
        else:
            entries.append([name, "none", "", "", _INDEX[side]])
    return entries


def flag_steps(slot, group) -> int:
    """Steps since the last spike from which Brian2's ``not_refractory`` of a neuron
    of ``group`` is 1 again, as an operation at ``slot`` sees it (read at every run:
    the period and the slots may change)."""
    steps = max(group._refractory_steps(), 1)
    if slot.key() < group.state_updater.key():
        steps += 1
    # ("refractory forever" is -_NEVER steps: a neuron that never spiked stays writable)
    return min(steps, -_NEVER)
