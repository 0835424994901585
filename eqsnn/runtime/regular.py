"""``G.run_regularly(code, dt=, when=, order=)``: statements run for every neuron of a
group at regular intervals, inside the compiled loop (Brian2's ``run_regularly``).

The code is lowered like a reset (``eqsnn/lowering/regular.py``; the same names, units
and errors) and runs in the ``regular`` template over the neurons of the group or subgroup, in its
own slot
(default ``start``, order 0) and on its own clock (it runs where a Brian2 clock of that
``dt`` ticks, see runtime/clocks.py); without ``dt`` it runs with the group's clock.
"""
from __future__ import annotations

import time
from typing import Any

from eqsnn.codegen.barriers import Access
from eqsnn.codegen.network import Contribution, block_names, thread_inputs
from eqsnn.errors import InvalidValueError
from eqsnn.lowering import cache
from eqsnn.lowering.namespace import Constant, resolve_names
from eqsnn.lowering.records import GroupRecord, Inputs
from eqsnn.runtime.clocks import clock_of
from eqsnn.runtime.layout import constant_cname, variable_cname
from eqsnn.runtime.schedule import Scheduled, Slot

__all__ = ["RegularOperation", "RunsRegularly"]


class RunsRegularly:
    """``run_regularly`` of NeuronGroup and Subgroup."""

    def run_regularly(self, code: str, dt: Any = None, *, clock: Any = None,
                      when: str = "start", order: int = 0, name: str | None = None):
        """Run ``code`` (statements, as in a reset) for every neuron of this group or
        subgroup every ``dt`` (default: the group's clock), in slot ``when`` at
        ``order`` (default ``start``, 0); returns the block (see docs/running.md).
        ``dt`` must be a multiple of the network's."""
        block = RegularOperation(self, code, dt=dt, clock=clock, when=when, order=order,
                                 name=name)
        self._owner._regular.append(block)
        return block


class RegularOperation(Scheduled):
    """One ``run_regularly`` block of a NeuronGroup (returned by ``G.run_regularly``):
    ``when``, ``order`` and ``clock`` can be read and set; ``code`` is the text."""

    def __init__(self, neurons, code: str, *, dt: Any = None, clock: Any = None,
                 when: str = "start", order: int = 0, name: str | None = None):
        started = time.perf_counter()
        if not isinstance(code, str):
            raise InvalidValueError(
                f"run_regularly takes its code as a string of statements, not "
                f"{type(code).__name__}", hint='e.g. G.run_regularly("v = v_rest", dt=10*ms)')
        # a group or a subgroup: the code runs for its neurons (i counts from its first)
        group = neurons._owner
        self.start, self.stop, _ = neurons._slice.indices(group.N)
        self.group = group
        self.code = code
        taken = {op.name for op in group._regular}
        self.name = name or free_name(f"{group.name}_run_regularly", taken)
        self._slot = Slot(self, None, when, order)
        self.clock = clock_of(self, dt, clock, default=lambda: group.clock)
        model, _, _, _, namespace = group._sources
        self._record = record = _lowered(group, code)  # (errors point into the whole code)
        #: the parts run in order, each ``(record, once)``: code that only assigns
        #: (shared) variables runs once per call (Brian2's scalar code); code mixing both
        #: runs its leading shared statements once, then the rest for every neuron, as
        #: Brian2 splits it (its scalar statements must come first)
        scalar, vector = _scalar_part(group, code)
        if scalar and vector:
            once = _lowered(group, scalar)
            _scalar_only(group, once, scalar)
            self._parts = [(once, True), (_lowered(group, vector), False)]
        else:
            self._parts = [(record, _scalar_only(group, record, code))]
        resolved = resolve_names(record.constants, namespace, source=code,
                                 label="run_regularly", known=list(group._dims))
        resolved.update({name: namespace[name] for name in record.functions})
        self._constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self._functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}
        group.timing["build_seconds"] = group.timing.get("build_seconds", 0.0) + (
            time.perf_counter() - started)

    def _contribute(self, c: Contribution, layout, backend: str, dt: float, k: int) -> None:
        """Add this block's operations to its group's contribution (``k``: its number
        among the group's blocks, for the names of its own constants): one per part,
        in order (same slot, order and name: they keep the order they are added in)."""
        for n, (record, once) in enumerate(self._parts):
            prefix = f"{layout.prefix(self.group)}_rr{k}" + (f"_{n}" if n else "")
            self._contribute_part(c, layout, backend, dt, record, once, prefix)

    def _contribute_part(self, c: Contribution, layout, backend: str, dt: float, record,
                         once: bool, q: str) -> None:
        from eqsnn.runtime.group_code import _linked, _unit, names
        group = self.group
        code = record.code[backend]
        statements = code.reset
        p = layout.prefix(group)
        reads = statements.reads
        scalars = []
        for name in reads:
            if name not in self._constants:
                continue
            if name in group._constants:  # the group's own value, declared by the group
                scalars.append([code.local(name), constant_cname(p, name)])
                continue
            cname = constant_cname(q, name)
            c.scalar(cname, lambda const=self._constants[name]: const.value)
            scalars.append([code.local(name), cname])
        own = (Access(p, True, ("neurons", p)),)
        unit = _unit(group, layout, code, statements, own)
        start = c.int_scalar(f"{q}_start", lambda: self.start)
        stop = c.int_scalar(f"{q}_stop", lambda: self.start + 1 if once else self.stop)
        self._slot.add_to(
            c, "regular", numbered=True, group=names(group, layout), code=statements,
            refractory=_refractoriness(c, group, layout, self._slot, q),
            unit=unit, start=start, stop=stop,
            size=c.int_scalar(f"{q}_n", lambda: self.stop - self.start),
            period=self.clock.every(dt, repr(self.name)),
            arrays=[[code.local(n), variable_cname(p, n)] for n in reads
                    if n in group._arrays and n != "not_refractory"],
            linked=[_linked(group, layout, n, code.local(n)) for n in reads
                    if n in group._linked],
            scalars=scalars,
            functions=[[code.local(n), layout.function(self._functions[n])] for n in reads
                       if n in self._functions],
            reads=list(reads), **thread_inputs(backend, unit, block=block_names(p)))

    def __repr__(self) -> str:
        return (f"<run_regularly {self.name!r} of {self.group.name!r}: when={self.when!r}, "
                f"order={self.order}, dt={self.clock.dt}>")


def _refractoriness(c: Contribution, group, layout, slot, prefix: str) -> list:
    """How the template defines ``not_refractory`` (Brian2's flag, which guards the
    block's writes of ``(unless refractory)`` variables): ``["array", name]`` (a string
    refractoriness keeps it per neuron), ``["steps", scalar]`` (a period: the steps
    since the last spike from which it is 1 at this block's slot) or ``[]`` (none)."""
    from eqsnn.runtime.refractory_flags import flag_steps
    if isinstance(group.refractory, str):
        return ["array", variable_cname(layout.prefix(group), "not_refractory")]
    if group.refractory is None:
        return []
    return ["steps", c.int_scalar(f"{prefix}_nrsteps", lambda: flag_steps(slot, group))]


def _lowered(group, code: str):
    """The record of ``code`` run for ``group``'s neurons (lowered once per model, code
    and namespace, then read from the build cache)."""
    model, _, _, _, namespace = group._sources
    key = None if not isinstance(model, str) else cache.key(
        "run_regularly", [model, code, cache.namespace_signature(namespace)])
    record = cache.load_record(key, GroupRecord) if key is not None else None
    if record is None:
        from eqsnn.lowering.regular import RegularLowering
        record = RegularLowering(group.name, model, code, namespace).record(
            Inputs(model if isinstance(model, str) else None, {"run_regularly": code},
                   None))
        if key is not None:
            cache.store_record(key, record)
    return record


def _scalar_part(group, code: str) -> tuple[str, str]:
    """``code`` as its leading statements that assign ``(shared)`` variables and the
    rest, as Brian2 splits a block into scalar and vector code; a shared assignment
    after a per-neuron one is refused, as in Brian2 (it would run before it)."""
    from eqsnn.equations.lines import split_definitions, split_semicolons
    from eqsnn.equations.statements import parse_statements
    parts = [part for definition in split_definitions(code, label="run_regularly")
             for part in split_semicolons(definition)]
    scalar, vector = [], []
    for part in parts:
        target = parse_statements(part.text, label="run_regularly")[0].target
        if target not in group._shared:
            vector.append(part.text.strip())
        elif vector:
            raise InvalidValueError(
                f"the run_regularly code {code!r} of {group.name!r} assigns the (shared) "
                f"variable {target!r} after a per-neuron statement; Brian2 runs shared "
                f"statements first, once per call, then the per-neuron ones",
                hint="put the statements that assign shared variables first")
        else:
            scalar.append(part.text.strip())
    return "\n".join(scalar), "\n".join(vector)


def _scalar_only(group, record, code: str) -> bool:
    """Whether the code assigns only ``(shared)`` variables from shared values (Brian2's
    scalar statements, run once per call). Code that assigns a shared variable from
    per-neuron values is refused (Brian2 refuses it too: one value for all neurons)."""
    from eqsnn.runtime.group_code import _writes_shared
    group_code = next(iter(record.code.values()))
    statements = group_code.reset
    if not _writes_shared(group, group_code, statements):
        return False
    per_neuron = sorted(n for n in statements.reads if n == "i" or n in group._linked or (
        n in group._dims and n not in group._shared))
    if per_neuron:
        raise InvalidValueError(
            f"the run_regularly code {code!r} of {group.name!r} assigns a (shared) "
            f"variable from per-neuron ones ({', '.join(per_neuron)}): a shared statement "
            f"runs once per call, for all neurons at once (Brian2 refuses it too)",
            hint="assign a per-neuron variable instead, or compute the shared value in a "
                 "network_operation (e.g. from G.x[:].mean())")
    return True


def free_name(base: str, taken: set) -> str:
    """Brian2's naming: ``base``, then ``base_1``, ``base_2``, …"""
    name, n = base, 0
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name
