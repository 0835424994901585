"""The operation that stores a Synapses object's ``(constant over dt)`` subexpressions
(see :mod:`eqsnn.lowering.constant_over_dt`): every synapse, on the synapses' clock,
in ``before_start`` at the synapses' order, as Brian2's ``subexpression_updater``."""
from __future__ import annotations

from eqsnn.codegen.network import thread_inputs
from eqsnn.runtime.schedule import Slot
from eqsnn.runtime.synapse_code import _update_unit, bindings, names

__all__ = ["subexpression_slot", "contribute"]


def subexpression_slot(syn, order: int) -> Slot | None:
    """``S.subexpression_updater`` (``when``, ``order``), or ``None`` (as in Brian2)
    when the model has no ``(constant over dt)`` subexpression."""
    code = next(iter(syn._record.code.values()))
    if code.constant_over_dt is None:
        return None
    return Slot(syn, "subexpression_updater", "before_start", order)


def contribute(syn, c, layout, backend: str, dt: float) -> None:
    """Add the operation to the contribution ``c`` of ``syn`` (nothing without one)."""
    code = syn._record.code[backend].constant_over_dt
    if code is None:
        return
    unit = _update_unit(syn, layout, code.reads)  # blocks of synapses, as the equations
    syn.subexpression_updater.add_to(
        c, "synapses_update", numbered=True, syn=names(syn, layout), code=code, unit=unit,
        period=syn.clock.every(dt, repr(syn.name)),
        **thread_inputs(backend, unit), **bindings(syn, layout, backend, code.reads))
