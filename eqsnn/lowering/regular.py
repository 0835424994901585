"""``group.run_regularly(code)``: a block of statements → a record, lowered like a reset.

The statements may read and assign every state variable of the group, use its
subexpressions, ``t``, ``dt``, ``i``, ``N``, ``rand()``, and the namespace's constants
and functions, exactly as a reset does; they run for every neuron, not only for those
that spiked. The group's equations are parsed (for names and units) but not
discretised: the record holds only the code.
"""
from __future__ import annotations

import sympy
from sympy.codegen.ast import Assignment

from eqsnn.equations.symbols import NOT_REFRACTORY
from eqsnn.lowering.neurons import NeuronLowering

__all__ = ["RegularLowering"]


class RegularLowering(NeuronLowering):
    """A NeuronLowering of ``model`` whose "reset" is the run_regularly code and which
    integrates nothing (``record().code[backend].reset`` is the operation)."""

    statements_label = "run_regularly"

    def __init__(self, name: str, model, code: str, namespace):
        super().__init__(name, model, None, code, None, namespace, lambda: None)

    def _integrate(self, method):
        self.held = ()
        return None

    def _parse_reset(self, reset):
        """The statements, each writing an ``(unless refractory)`` variable guarded
        (Brian2's conditional write: run_regularly code leaves it alone while the neuron
        is refractory; the template defines ``not_refractory`` as Brian2's flag)."""
        flagged = {name for name, entry in self.equations.differential.items()
                   if "unless refractory" in entry.flags}
        return tuple(
            Assignment(a.lhs, sympy.Piecewise((a.rhs, sympy.Ne(NOT_REFRACTORY, 0)),
                                              (a.lhs, True)))
            if a.lhs.name in flagged else a for a in super()._parse_reset(reset))


def synapse_lowering(name: str, model, code: str, namespace, pre_side, post_side):
    """The lowering of ``S.run_regularly(code)``: the code as an ``on_pre`` pathway's,
    without advancing event-driven variables first (run_regularly does not), and with
    nothing integrated or summed (``record().code[backend].pathway("pre")``)."""
    from eqsnn.lowering.synapses import SynapseLowering

    class _SynapseRegularLowering(SynapseLowering):
        def _advance_event_driven(self):
            return ()

        def _integrate_clock_driven(self, method):
            return None

        def _summed_variables(self):
            return []

    return _SynapseRegularLowering(name, model, code, None, None, namespace, pre_side,
                                   post_side)
