"""``not_refractory_pre`` / ``not_refractory_post`` in a Synapses pathway: how its
template defines them, from the neuron's refractoriness (Brian2's ``not_refractory``);
:func:`flag_steps` also serves a group's ``run_regularly`` blocks and ``PoissonInput``.

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

In the compiled loop the pathway fills a table of the flags of the neurons it acts on
once per step with spikes and reads the table per synapse (see :func:`flags`).
"""
from __future__ import annotations

import numpy as np

from eqsnn.lowering.names import NOT_REFRACTORY
from eqsnn.runtime.group_code import names as group_names
from eqsnn.runtime.groups import _NEVER
from eqsnn.targets import COMPILED

__all__ = ["NOT_REFRACTORY_NAMES", "flags", "flag_steps"]

NOT_REFRACTORY_NAMES = frozenset(NOT_REFRACTORY.values())
_INDEX = {"pre": "_ipre", "post": "_j"}


def flags(c, syn, layout, backend: str, path: str, reads, prefix: str, serial: bool) -> list:
    """The template input ``flags`` of a pathway: one entry per flag its code reads,
    ``{name, kind, array, steps, index, lastspike, lo, hi}``. ``kind``:

    * ``"array"``: ``array[index]`` (a string refractoriness' own array);
    * ``"table"``: ``array[index]`` too, a table the pathway fills for neurons ``lo``
      to ``hi`` (the thread's block) once per step with spikes, from ``lastspike`` and
      ``steps``: a loaded flag keeps the guarded increment ``x + e*flag`` free of
      branches (gcc turns a flag it computes into a branch, which mispredicts when
      refractory and writable targets mix);
    * ``"steps"``: ``_step - lastspike[index] >= steps``, computed per synapse (the
      numpy twin; or a sending neuron's flag read by threads that split the targets);
    * ``"none"``: 1 (no refractoriness)."""
    entries = []
    sender = syn._pathways[path].side
    for side, name in NOT_REFRACTORY.items():
        if name not in reads:
            continue
        group = syn.pre_group if side == "pre" else syn.post_group
        refractory = getattr(group, "refractory", None)
        entry = dict(name=name, kind="none", array="", steps="", index=_INDEX[side],
                     lastspike="", lo="", hi="")
        if isinstance(refractory, str):
            entry.update(kind="array", array=layout.variable(group, "not_refractory"))
        elif isinstance(refractory, float):
            slot = syn._pathways[path]._slot
            entry.update(kind="steps", lastspike=group_names(group, layout).lastspike,
                         steps=c.int_scalar(f"{prefix}_nrsteps_{side}",
                                            lambda group=group: flag_steps(slot, group)))
            # a thread fills the flags of the neurons it acts on, i.e. its block
            # (of the side the pathway does not send from), or all of them
            if backend == COMPILED and (serial or side != sender):
                p = layout.prefix(group)
                table = syn.__dict__.setdefault("_flag_tables", {})
                key = (path, side)
                if key not in table or table[key].size != group.N:
                    table[key] = np.ones(group.N, dtype=np.uint8)  # (8 times less cache)
                entry.update(kind="table", array=c.array(f"{prefix}_nrtable_{side}",
                                                         lambda key=key: table[key],
                                                         np.uint8),
                             lo="0" if serial else f"{p}_lo",
                             hi=group_names(group, layout).N if serial else f"{p}_hi")
        entries.append(entry)
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
