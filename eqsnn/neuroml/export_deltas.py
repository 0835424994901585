"""A synapse that increments a variable of its target which does not simply decay
(``on_pre="v_post += w"``, a delta synapse) as LEMS.

A NeuroML synapse changes only its own state, and a cell can only sum what its
synapses expose. So each synapse counts what it has delivered, ``v_jumps`` (incremented
by ``w`` at each event), the cell sums them, and a condition of the cell adds what
arrived since it last looked: ``v += v_jumps - v_jumps_seen`` whenever the two differ.
At a spike, the jumps that arrived are added before the reset runs, as eqsnn runs
``on_pre`` before ``reset``. The importer reads this idiom back as ``v_post += w``.
"""
from __future__ import annotations

__all__ = ["jumps", "seen", "delta_variables", "catch_up", "jump_condition"]


def jumps(name: str) -> str:
    """The synapses' exposure (and the cell's sum) of what they delivered to ``name``."""
    return f"{name}_jumps"


def seen(name: str) -> str:
    """The cell's record of the jumps of ``name`` already added."""
    return f"{name}_jumps_seen"


def delta_variables(writer, etree, dynamics, start, deltas: dict) -> None:
    """The sum of the synapses' jumps and the record of what was added, per variable of
    ``deltas`` (name -> equation entry)."""
    for name, entry in deltas.items():
        dimension = writer.dimension(entry.dim)
        etree.SubElement(dynamics, "DerivedVariable", name=jumps(name), dimension=dimension,
                         select=f"synapses[*]/{jumps(name)}", reduce="add")
        etree.SubElement(dynamics, "StateVariable", name=seen(name), dimension=dimension)
        etree.SubElement(start, "StateAssignment", variable=seen(name), value="0")


def catch_up(etree, parent, deltas: dict) -> None:
    """Add the jumps that arrived since the last look (in ``parent``, an event's
    actions)."""
    for name in deltas:
        etree.SubElement(parent, "StateAssignment", variable=name,
                         value=f"{name} + ({jumps(name)} - {seen(name)})")
        etree.SubElement(parent, "StateAssignment", variable=seen(name), value=jumps(name))


def jump_condition(etree, parent, deltas: dict) -> None:
    """The condition that adds new jumps, in ``parent`` (the dynamics or a regime)."""
    if not deltas:
        return
    test = " .or. ".join(f"({jumps(name)} .neq. {seen(name)})" for name in deltas)
    catch_up(etree, etree.SubElement(parent, "OnCondition", test=test), deltas)
