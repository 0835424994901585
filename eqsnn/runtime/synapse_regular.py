"""``S.run_regularly(code, dt=, when=, order=)``: statements for every synapse at regular
intervals, inside the compiled loop (Brian2's ``Synapses.run_regularly``).

The code is lowered as an ``on_pre`` pathway's statements are (names, units, errors),
without the event-driven prelude, and runs in the ``synapses_update`` template over all
synapses, in its slot (default ``start``, 0) on its clock (a multiple of the loop's
``dt``). It may read neuron variables (``v_post``) but writes synaptic variables only:
a write to a neuron would hit one neuron from several synapses at once.
"""
from __future__ import annotations

import time
from typing import Any

from eqsnn.codegen.network import Contribution, thread_inputs
from eqsnn.errors import InvalidValueError
from eqsnn.lowering import cache
from eqsnn.lowering.names import NOT_REFRACTORY
from eqsnn.lowering.namespace import Constant, resolve_names
from eqsnn.lowering.records import Inputs, SynapsesRecord
from eqsnn.runtime.clocks import clock_of
from eqsnn.runtime.layout import constant_cname
from eqsnn.runtime.schedule import Scheduled, Slot

__all__ = ["SynapseRegularOperation", "SynapsesRunRegularly"]


class SynapsesRunRegularly:
    """``run_regularly`` of Synapses."""

    def run_regularly(self, code: str, dt: Any = None, *, clock: Any = None,
                      when: str = "start", order: int = 0, name: str | None = None):
        """Run ``code`` (statements on synaptic variables) for every synapse every ``dt``
        (default: every step), in slot ``when`` at ``order`` (default ``start``, 0);
        returns the block (see docs/running.md)."""
        block = SynapseRegularOperation(self, code, dt=dt, clock=clock, when=when,
                                        order=order, name=name)
        self._regular.append(block)
        return block


class SynapseRegularOperation(Scheduled):
    """One ``run_regularly`` block of a Synapses object (``S.run_regularly``)."""

    def __init__(self, syn, code: str, *, dt: Any = None, clock: Any = None,
                 when: str = "start", order: int = 0, name: str | None = None):
        from eqsnn.runtime.regular import free_name
        from eqsnn.runtime.synapse_setup import build_key, side
        started = time.perf_counter()
        if not isinstance(code, str):
            raise InvalidValueError(
                f"run_regularly takes its code as a string of statements, not "
                f"{type(code).__name__}", hint='e.g. S.run_regularly("w = clip(w, 0, 1)")')
        self.group, self.code = syn, code
        self.name = name or free_name(f"{syn.name}_run_regularly",
                                      {op.name for op in syn._regular})
        self._slot = Slot(self, None, when, order)
        self.clock = clock_of(self, dt, clock, default=lambda: syn.clock)
        model, _, _, _, namespace = syn._sources
        base = build_key((model, code, None, None, namespace), syn.pre_group, syn.post_group)
        key = None if base is None else cache.key("Synapses.run_regularly", [base])
        record = cache.load_record(key, SynapsesRecord) if key is not None else None
        if record is None:
            from eqsnn.lowering.regular import synapse_lowering
            record = synapse_lowering(syn.name, model, code, namespace, side(syn.pre_group),
                                      side(syn.post_group)).record(
                Inputs(model if isinstance(model, str) else None, {"run_regularly": code},
                       None))
            if key is not None:
                cache.store_record(key, record)
        statements = next(iter(record.code.values())).pathway("pre")
        if statements is not None and statements.batch:
            raise InvalidValueError(
                f"the run_regularly code {code!r} of {syn.name!r} writes a neuron "
                f"variable; a Synapses block may write synaptic variables only",
                hint="write the neurons' variable from the group's own run_regularly, or "
                     "sum it with a (summed) variable")
        read = sorted(set(statements.reads if statements is not None else ()) & set(
            NOT_REFRACTORY.values()))
        if read:
            raise InvalidValueError(
                f"the run_regularly code {code!r} of {syn.name!r} reads {read[0]}, which "
                f"only on_pre/on_post statements can read",
                hint="read it in a pathway's statements, or test the group's "
                     "not_refractory in the group's own run_regularly")
        self._record = record
        resolved = resolve_names(record.constants, namespace, source=code,
                                 label="run_regularly", known=list(syn._dims))
        self._constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self._functions = {name: namespace[name] for name in record.functions}
        syn.timing["build_seconds"] = syn.timing.get("build_seconds", 0.0) + (
            time.perf_counter() - started)

    def _contribute(self, c: Contribution, layout, backend: str, dt: float, k: int) -> None:
        from eqsnn.runtime.synapse_code import _update_unit, bindings, names
        syn = self.group
        code = self._record.code[backend].pathway("pre")
        if code is None:  # (statements that assign nothing)
            return
        p = layout.prefix(syn)
        inputs = bindings(syn, layout, backend, code.reads)
        for name in code.reads:
            if name in self._constants and name not in syn._constants:
                cname = constant_cname(f"{p}_rr{k}", name)
                c.scalar(cname, lambda const=self._constants[name]: const.value)
                inputs["scalars"].append([self._record.code[backend].local(name), cname])
            if name in self._functions and name not in syn._functions:
                inputs["functions"].append([self._record.code[backend].local(name),
                                            layout.function(self._functions[name])])
        unit = _update_unit(syn, layout, code.reads)
        self._slot.add_to(c, "synapses_update", numbered=True, syn=names(syn, layout),
                          code=code, unit=unit, period=self.clock.every(dt, repr(self.name)),
                          **thread_inputs(backend, unit), **inputs)

    def __repr__(self) -> str:
        return (f"<run_regularly {self.name!r} of {self.group.name!r}: when={self.when!r}, "
                f"order={self.order}>")
