"""Synapses whose own state changes at events (STDP: ``on_pre`` and ``on_post``
updating traces and the weight) as LEMS dynamics of the synapse.

* **Postsynaptic events.** A NeuroML synapse receives its source's events only. The
  target cell counts its spikes (``spike_count``, exposed) and each synapse requires
  that count and runs ``on_post`` when it has grown (``spike_count .gt.
  post_spikes_seen``), then records it. jNeuroML runs that condition :func:`post_lag`
  steps after eqsnn runs ``on_post``, so the statements read ``t - post_lag``. The
  importer reads this back as ``on_post`` (and LEMS's ``t`` there as ``t + post_lag``).
* **Event-driven variables** (``(event-driven)`` traces) are state without a time
  derivative: the statements eqsnn runs at an event advance them exactly from the
  synapse's last event (``lastupdate``, a state variable set to ``t`` after each
  event), so the LEMS synapse computes what eqsnn computes.
* **Plastic parameters** (the weight ``w`` assigned by the statements) are state,
  starting from NeuroML's per-connection ``weight`` (or one value).
"""
from __future__ import annotations

__all__ = ["SPIKE_COUNT", "plastic_names", "uses_lastupdate", "count_spikes",
           "post_events", "post_lag"]

#: the target cell's count of its spikes, which synapses with ``on_post`` require
SPIKE_COUNT = "spike_count"
_SEEN = "post_spikes_seen"


def post_lag(regimes: bool) -> int:
    """How many steps later than at its last presynaptic event a synapse's ``t`` is at
    a postsynaptic spike in jNeuroML, beyond eqsnn's (measured,
    tests/neuroml/test_export_plasticity.py): the target reports its spike at the end
    of the step and the synapse sees the count in the step after, one step more than
    an event takes to reach it; a cell with regimes reports a step later still."""
    return 2 if regimes else 1


def plastic_names(syn) -> set[str]:
    """The synapse's parameters that its event statements assign (a plastic weight)."""
    parameters = {e.name for e in syn.equations.entries if e.kind == "parameter"}
    assigned = set()
    for pathway in (syn.pre, syn.post):
        if pathway.has_code:
            assigned |= {str(s.lhs) for s in pathway.statements}
    return parameters & assigned


def uses_lastupdate(syn) -> bool:
    return any(symbol.name == "lastupdate" for pathway in (syn.pre, syn.post)
               if pathway.has_code for s in pathway.statements
               for symbol in s.rhs.free_symbols)


def count_spikes(etree, ctype, dynamics, start, spike_actions) -> None:
    """The cell's spike counter: exposed, 0 at the start, +1 in each of
    ``spike_actions`` (the elements run at a spike)."""
    etree.SubElement(ctype, "Exposure", name=SPIKE_COUNT, dimension="none")
    etree.SubElement(dynamics, "StateVariable", name=SPIKE_COUNT, dimension="none",
                     exposure=SPIKE_COUNT)
    etree.SubElement(start, "StateAssignment", variable=SPIKE_COUNT, value="0")
    for actions in spike_actions:
        etree.SubElement(actions, "StateAssignment", variable=SPIKE_COUNT,
                         value=f"{SPIKE_COUNT} + 1")


def post_events(etree, ctype, dynamics, start, write_statements) -> None:
    """``on_post`` as a condition on the target's spike count; ``write_statements(parent)``
    writes the statements (and ``lastupdate = t``) into an element."""
    etree.SubElement(ctype, "Requirement", name=SPIKE_COUNT, dimension="none")
    etree.SubElement(dynamics, "StateVariable", name=_SEEN, dimension="none")
    etree.SubElement(start, "StateAssignment", variable=_SEEN, value="0")
    condition = etree.SubElement(dynamics, "OnCondition",
                                 test=f"{SPIKE_COUNT} .gt. {_SEEN}")
    write_statements(condition)
    etree.SubElement(condition, "StateAssignment", variable=_SEEN, value=SPIKE_COUNT)
