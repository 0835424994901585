"""What a :class:`~eqsnn.runtime.groups.NeuronGroup` hands to the network module.

The group's record holds its operations printed with the model's own names (``v[_i]``,
``tau``, ``stim(t)``). Its contribution declares the arrays and scalars behind those
names, named by the group's prefix in the network's layout (``_g0_v_v``, ``_g0_c_tau``),
and gives each operation's template the bindings from one to the other; the template
writes them (``double* const restrict v = _g0_v_v;``).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from eqsnn.codegen.barriers import NOW, PRIVATE, Access, Unit
from eqsnn.codegen.network import Contribution, block_names, thread_inputs
from eqsnn.errors import InvalidValueError
from eqsnn.runtime.memory import aligned_zeros
from eqsnn.runtime.layout import constant_cname, variable_cname
from eqsnn.runtime.variables import array_binding
from eqsnn.targets import COMPILED

__all__ = ["contribution", "bindings", "names", "refractory_inputs"]


def names(group, layout) -> SimpleNamespace:
    """The module's names of a group's own arrays and sizes (for its templates and a
    StateMonitor's)."""
    p = layout.prefix(group)
    # The label names the type and slot, never the user's name: a comment that
    # changed with the name would change the source and force a recompile.
    return SimpleNamespace(label=f"{type(group).__name__} {p}", N=f"{p}_N",
                           lastspike=f"{p}_lastspike", refsteps=f"{p}_refsteps")


def bindings(group, layout, backend: str, reads) -> dict:
    """The bindings of the names in ``reads`` that belong to ``group``: its arrays,
    constants and functions (template inputs ``arrays``, ``scalars``, ``functions``;
    ``reads`` itself tells the template which built-in names to define)."""
    code = group._record.code[backend]
    p = layout.prefix(group)
    return {
        "arrays": [array_binding(code.local(n), variable_cname(p, n), group._arrays[n].dtype)
                   for n in reads if n in group._arrays],
        "linked": [_linked(group, layout, n, code.local(n)) for n in reads
                   if n in group._linked],
        "scalars": [[code.local(n), constant_cname(p, n)] for n in reads
                    if n in group._constants],
        "functions": [[code.local(n), layout.function(group._functions[n])] for n in reads
                      if n in group._functions],
        "reads": list(reads)}


def _linked(group, layout, var: str, local: str) -> list:
    """``[local, source array, mode, index]`` of a linked variable: the template loads
    ``array[index]`` (scalar), ``array[_i + index]`` (same) or ``array[index[_i]]``
    (indexed) into ``local`` for each neuron (see :mod:`eqsnn.runtime.links`)."""
    from eqsnn.runtime.links import mode
    link = group._link(var)
    p = layout.prefix(group)
    return [local, layout.variable(link.group._owner, link.name), mode(link),
            f"{p}_li_{var}"]


def _declare_links(c: Contribution, group, layout) -> None:
    """The offset (an integer) or the index array (int64) of each linked variable, read
    again at every run (a new link of the same kind needs no new code)."""
    if not group._linked:
        return  # (links.py is imported for groups that have linked variables only)
    from eqsnn.runtime.links import absolute_index, mode, start
    p = layout.prefix(group)

    def current(var: str, kind: str):
        link = group._link(var)
        if mode(link) != kind:
            raise InvalidValueError(
                f"{var!r} of {group.name!r} was linked anew in another way (one value, "
                f"the same index, an index array) after its network was built",
                hint="create the Network again after changing the link")
        return link

    for var in sorted(group._linked):
        kind = mode(group._link(var))
        if kind == "indexed":
            c.array(f"{p}_li_{var}", lambda var=var: absolute_index(current(var, "indexed")),
                    np.int64)
        else:
            c.int_scalar(f"{p}_li_{var}", lambda var=var, kind=kind: start(current(var, kind)))


def contribution(group, layout, backend: str, dt: float) -> Contribution:
    """Declare the arrays and operations of ``group``."""
    period = group.clock.every(dt, repr(group.name))  # (k, dt): every k-th step
    _check_held_functions(group, period[1])
    for function in group._functions.values():  # (a Function needs C code for "c")
        getattr(function, "check_backend", lambda *_: None)(backend, repr(group.name))
    c = Contribution()
    p = layout.prefix(group)
    for var, array in group._arrays.items():
        c.array(variable_cname(p, var), lambda var=var: group._arrays[var], array.dtype)
    for const in group._constants.values():
        c.scalar(constant_cname(p, const.name), lambda const=const: const.value)
    _declare_links(c, group, layout)
    spikes = layout.spikes(group)
    c.array(spikes.array, lambda: group._spikes, np.int32)
    c.counter(spikes.count, lambda: group._nspikes)
    info = names(group, layout)
    c.int_scalar(info.N, lambda: group.N)
    c.array(info.lastspike, lambda: group._lastspike, np.int64)
    c.int_scalar(info.refsteps, lambda: group._refractory_steps())
    code = group._record.code[backend]
    refractory = refractory_inputs(group, backend)
    # Threads each own a block of the neurons (and only write those): the state
    # update, the threshold (into the thread's block of scratch) and the reset.
    block = block_names(p)
    own = (Access(p, True, ("neurons", p)),)
    scratch = f"{p}_scratch"
    thresholded = code.threshold is not None and backend == COMPILED
    thresholder = group.thresholder["spike"]  # (collect_spikes runs right after it)
    c.partition(p, info.N, collected=SimpleNamespace(array=spikes.array, count=spikes.count,
                                                     scratch=scratch) if thresholded else None)
    if code.stateupdate is not None:
        unit = _unit(group, layout, code, code.stateupdate, own, chunkable=True)
        group.state_updater.add_to(
            c, "stateupdate", numbered=True, group=info, code=code.stateupdate,
            unit=unit, period=period, **refractory,
            **bindings(group, layout, backend, code.stateupdate.reads),
            **thread_inputs(backend, unit, block=block))
    if code.threshold is not None:
        thresholder.add_to(
            c, "threshold", numbered=True, group=info, condition=code.threshold,
            spikes=spikes, period=period, **refractory,
            idle=() if thresholded else (spikes.count,),  # (numpy: no spikes between)
            unit=_unit(group, layout, code, code.threshold,
                       own + (Access(scratch, True, ("neurons", p), NOW),), chunkable=True),
            **bindings(group, layout, backend, code.threshold.reads),
            **thread_inputs(backend, scratch=scratch, block=block))
    if thresholded:
        c.array(scratch, lambda: _scratch(group, layout.threads(), layout.batch()), np.int32)
        # every thread collects the spikes into its own copy of the list (network.c.j2
        # binds the spike list's names to it), which it alone reads: one barrier a step
        thresholder.add_to(
            c, "collect_spikes", group=info, spikes=spikes, scratch=scratch, block=block,
            local=False,  # (network.py renders it with True for steps in batches)
            period=period, idle=(spikes.count,),  # (no spikes between its steps)
            unit=Unit((Access(scratch, False, None, NOW), Access(spikes.array, True, PRIVATE)),
                      # (in batches of steps, each thread keeps its own spikes only)
                      local=(Access(scratch, False, ("neurons", p), NOW),
                             Access(spikes.array, True, ("neurons", p)))))
    if code.reset is not None:
        # (a partitioned reset finds its own block's spikes in the list)
        unit = _unit(group, layout, code, code.reset,
                     own + (Access(spikes.array, False, ("neurons", p)),))
        group.resetter["spike"].add_to(
            c, "reset", numbered=True, group=info, code=code.reset, spikes=spikes, unit=unit,
            period=period, **refractory,
            **bindings(group, layout, backend, code.reset.reads),
            **thread_inputs(backend, unit, block=block))
    for k, regular in enumerate(group._regular):
        regular._contribute(c, layout, backend, dt, k)
    group._events.contribute(c, layout, backend, info, period)  # custom events, if any
    return c


def refractory_inputs(group, backend: str) -> dict:
    """What the templates need to know of refractoriness: ``refractory`` (a period in
    steps, tested from ``lastspike``), ``since_spike`` (define the steps since the last
    spike: a string time), ``refractory_array`` (a string refractoriness keeps
    ``not_refractory`` per neuron; a spike clears it). See eqsnn.lowering.refractory."""
    kind, code = group._record.refractory, group._record.code[backend]
    return {"refractory": isinstance(group.refractory, float),
            "since_spike": kind == "time",
            "refractory_array": code.local("not_refractory") if kind else ""}


def _unit(group, layout, group_code, code, accesses, chunkable: bool = False) -> Unit:
    """An operation on the thread's own neurons, plus any neuron of the groups its
    linked variables read; one thread runs it all when it writes a shared variable or
    reads, through a link, its own group's neurons of other threads. ``chunkable``: its
    template writes only neurons in [lo, hi) (barriers.chunked_run)."""
    accesses += tuple(Access(layout.prefix(group._link(var).group._owner), False)
                      for var in code.reads if var in group._linked)
    serial = _writes_shared(group, group_code, code)
    try:
        return Unit(accesses, serial=serial, chunkable=chunkable)
    except ValueError:
        return Unit(accesses, serial=True)


def _scratch(group, threads: int, batch: int) -> np.ndarray:
    """The compiled loop's room for spikes (not state): each thread's spikes of the
    last two steps (halves by step parity), or of each of the ``batch`` slots of a loop
    in batches (the ring's sets of slots: eqsnn/codegen/network.py), then the copies
    of the spike list of threads 1 … threads - 1 (thread 0's is the group's)."""
    size = (max(2, batch) + threads - 1) * group.N
    array = group.__dict__.get("_scratch_spikes")
    if array is None or array.size != size:
        array = group.__dict__["_scratch_spikes"] = aligned_zeros(size, np.int32)
    return array


def _writes_shared(group, group_code, code) -> bool:
    """Whether code assigns a shared variable (one value for the whole group): every
    neuron's iteration writes it, so one thread must run it all."""
    shared = {f"{group_code.local(var)}[0]" for var in group._shared}
    lines = getattr(code, "lines", ())  # a threshold is an expression: it writes nothing
    written = {line.split("=", 1)[0].strip().rstrip("+-*/ ") for line in lines if "=" in line}
    return bool(shared & written)


def _check_held_functions(group, dt: float) -> None:
    """A method that took a TimedArray as constant over each step (``exact``) is only
    right if the array changes on the step grid."""
    method = group._record.method
    for name in method.held_functions if method is not None else ():
        function = group._functions[name]
        if not function.holds_over_step(dt):
            raise InvalidValueError(
                f"{group.name!r} is integrated with method {method.name!r}, which takes "
                f"{name}(t) as constant over each step, but {name} changes every "
                f"{function.dt * 1e3:g} ms, which is not a multiple of dt = "
                f"{dt * 1e3:g} ms",
                hint=f"give {name} a dt that is a multiple of the simulation's dt, or "
                     f"use method='rk4'")
