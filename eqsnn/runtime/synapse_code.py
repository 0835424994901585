"""What a :class:`~eqsnn.runtime.synapses.Synapses` object hands to the module builder:
its arrays, the operations of its equations, summed variables and pathways, and how
threads share them. Each pathway walks a propagation structure
(:mod:`eqsnn.runtime.propagation`).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from eqsnn.codegen.barriers import NOW, PAST, Access, Unit
from eqsnn.codegen.exact_vectors import exact_in_vectors
from eqsnn.codegen.network import Contribution, block_names, thread_inputs
from eqsnn.lowering.names import CONNECTIVITY_COUNTS
from eqsnn.runtime.clocks import NETWORK_CLOCK
from eqsnn.runtime.events import event_space
from eqsnn.runtime.layout import constant_cname, variable_cname
from eqsnn.runtime.propagation import pathway_structure, structure_bytes
from eqsnn.runtime.refractory_flags import NOT_REFRACTORY_NAMES, flags
from eqsnn.runtime.variables import array_binding
from eqsnn.targets import COMPILED

__all__ = ["contribution", "bindings", "names", "pathway_structure", "structure_bytes"]


def names(syn, layout) -> SimpleNamespace:
    """The module's names of a Synapses object's own arrays and sizes (for its
    templates and a StateMonitor's)."""
    p = layout.prefix(syn)
    # Named by slot, never by the user's name: a renamed object must not recompile.
    return SimpleNamespace(
        label=f"Synapses {p}", n=f"{p}_n", pre=f"{p}_pre", post=f"{p}_post",
        lastupdate=f"{p}_lastupdate" if syn._record.uses_lastupdate else None,
        pre_start=f"{p}_pre_start", post_start=f"{p}_post_start", N_pre=f"{p}_N_pre",
        N_post=f"{p}_N_post")


def bindings(syn, layout, backend: str, reads) -> dict:
    """The bindings of the names in ``reads``: synaptic variables and constants,
    variables of the source and target neurons (``v_pre``, ``v_post``), functions."""
    code = syn._record.code[backend]
    p = layout.prefix(syn)
    arrays, scalars, functions = [], [], []
    for name in reads:
        if name in syn._arrays:
            arrays.append(array_binding(code.local(name), variable_cname(p, name),
                                        syn._arrays[name].dtype))
        elif name == "lastupdate":
            arrays.append([name, f"{p}_lastupdate"])
        elif name in CONNECTIVITY_COUNTS:
            arrays.append([name, f"{p}_{name}"])
        elif name in syn._constants:
            scalars.append([code.local(name), constant_cname(p, name)])
        elif name in syn._functions:
            functions.append([code.local(name), layout.function(syn._functions[name])])
        else:
            for suffix, group in (("_pre", syn.pre_group), ("_post", syn.post_group)):
                var = name[:-len(suffix)]
                if name.endswith(suffix) and var in getattr(group, "_arrays", {}):
                    arrays.append(array_binding(code.local(name), layout.variable(group, var),
                                                group._arrays[var].dtype))
                    break
    return {"arrays": arrays, "scalars": scalars, "functions": functions, "linked": [],
            "reads": list(reads)}


def contribution(syn, layout, backend: str, dt: float) -> Contribution:
    """Declare the arrays and operations of ``syn``."""
    for function in syn._functions.values():  # (a Function needs C code for "c")
        getattr(function, "check_backend", lambda *_: None)(backend, repr(syn.name))
    c = Contribution()
    p = layout.prefix(syn)
    code = syn._record.code[backend]
    info = names(syn, layout)
    c.int_scalar(info.n, lambda: syn.N)
    c.array(info.pre, lambda: syn._pre, np.int32)
    c.array(info.post, lambda: syn._post, np.int32)
    if info.lastupdate is not None:
        c.array(info.lastupdate, lambda: syn._lastupdate)
    for var in syn._arrays:
        c.array(variable_cname(p, var), lambda var=var: syn._arrays[var], syn._dtypes[var])
    for name in CONNECTIVITY_COUNTS:
        if _reads_anywhere(code, name):  # only then: one count per neuron, per run
            c.array(f"{p}_{name}", lambda name=name: connectivity_counts(syn, name))
    for const in syn._constants.values():
        c.scalar(constant_cname(p, const.name), lambda const=const: const.value)
    c.int_scalar(info.pre_start, lambda: syn.pre_start)
    c.int_scalar(info.post_start, lambda: syn.post_start)
    c.int_scalar(info.N_pre, lambda: syn.pre_stop - syn.pre_start)
    c.int_scalar(info.N_post, lambda: syn.post_stop - syn.post_start)
    # (Brian2: a sum on its target's clock, the equations on the synapses' own)
    target_clock = getattr(syn.post_group, "clock", NETWORK_CLOCK).every(
        dt, repr(syn.post_group.name))
    for summed in code.summed:
        # In the "groups" slot just before the target's state update (Brian2's
        # place): a StateMonitor in "start" records the previous step's sum.
        unit = _summed_unit(syn, layout, summed.expression.reads)
        syn.summed_updaters[f"{summed.target}_post"].add_to(
            c, "summed", syn=info, target=layout.variable(syn.post_group, summed.target),
            period=target_clock,
            unit=unit, **thread_inputs(backend, unit,
                                       block=block_names(layout.prefix(syn.post_group))),
            zero=layout.zeroes_summed(syn, summed.target),
            # (the user's name last, after '__', as symbols.generated_name does: a
            # target named 'pre' must not become the pathway's _s0_pre_start)
            start=c.int_scalar(f"{p}_summed_start__{summed.target}", lambda: syn.post_start),
            stop=c.int_scalar(f"{p}_summed_stop__{summed.target}", lambda: syn.post_stop),
            expression=summed.expression,
            **bindings(syn, layout, backend, summed.expression.reads))
    if code.update is not None:
        unit = _update_unit(syn, layout, code.update.reads)
        syn.state_updater.add_to(
            c, "synapses_update", numbered=True, syn=info, code=code.update, unit=unit,
            period=syn.clock.every(dt, repr(syn.name)),
            **thread_inputs(backend, unit), **bindings(syn, layout, backend, code.update.reads))
    for path in sorted(syn._pathways, key=lambda name: (syn._pathways[name].order, name)):
        if code.pathway(path) is not None:
            _pathway(c, syn, layout, backend, path, info, dt)
    for k, regular in enumerate(syn._regular):
        regular._contribute(c, layout, backend, dt, k)
    return c


def _pathway(c: Contribution, syn, layout, backend: str, path: str, info, dt: float) -> None:
    # a named pathway's arrays get an infix no other array of the object uses
    q = f"{layout.prefix(syn)}_{path}" if path in ("pre", "post") else \
        f"{layout.prefix(syn)}_pw_{path}"
    code = syn._record.code[backend].pathway(path)
    pathway = syn._pathways[path]
    side = pathway.side
    sender = syn.pre_group if side == "pre" else syn.post_group
    event = pathway.event
    spikes = event_space(layout, sender, event)
    # before its sender's threshold, a pathway finds the sender's step before's spikes
    # (in the ring; the structure is built for it)
    before = pathway.runs_before_threshold(layout.schedule)
    unit = _pathway_unit(syn, layout, side, code, q, None if before else spikes.array)
    parts = (lambda: 1) if unit.serial else layout.threads
    # Dense rows (all-to-all: the loop computes the targets, runtime/propagation.py)
    # only for code that gives the same bits in gcc's vectors as alone (the dense loop
    # vectorises; codegen/exact_vectors.py), and only if the synapses have such rows
    # now: other connectivity compiles the loop it had before dense rows existed (rows
    # made dense between runs are walked through their targets, as before)
    dense = backend == COMPILED and exact_in_vectors(
        code.lines, functions=bool(syn._record.functions)) and pathway_structure(
        syn, path, dt, parts(), before, True).dense
    # re-read at each call (once for all its getters): the connectivity, the delays or
    # the team size may change
    structure = c.per_call(lambda: pathway_structure(syn, path, dt, parts(), before, dense))
    structure()  # build now: errors surface before the compile
    pathway._before = before  # (once it is built: a refused move leaves the old side)
    pathway._dense = dense
    # A sender on a clock k times slower spikes at its own steps only, and its spikes
    # arrive at its steps (its delays are whole steps of its clock): the pathway walks
    # its rows only then, and they are k loop steps of delay apart (Brian2's pathway
    # runs on its sender's clock; its code still sees the loop's t and dt, as
    # Brian2's sees the synapses'). None on the loop's clock: the code is as before.
    slower = getattr(sender, "clock", NETWORK_CLOCK).every(dt, repr(sender.name))[0] > 1
    stride = c.int_scalar(f"{q}_stride", lambda: structure().stride) if slower else None
    way = SimpleNamespace(
        name=path,
        before=before,  # (changes only with the schedule, which rebuilds the module)
        # its steps from a spike to the first step it sees it (one of the sender's clock)
        lag=c.int_scalar(f"{q}_lag", lambda: structure().lag) if before else 0,
        # (the compiled loop is handed an empty order when the synapses are in
        # connect's order, in_order: it reads the targets in sequence instead)
        order=c.array(f"{q}_order", (lambda: structure().loop_order) if backend == COMPILED
                      else (lambda: structure().order), np.int32),
        in_order=c.int_scalar(f"{q}_in_order", lambda: int(structure().in_order)),
        ptr=c.array(f"{q}_ptr", lambda: structure().ptr, np.int64),
        # pieces of rows onto consecutive neurons (all-to-all): the first of them, or -1;
        # dense is 0 when there is none (the table is then empty and never read), and
        # the loop has no dense branch for code that is not exact in vectors
        dense_code=dense,
        dense=c.int_scalar(f"{q}_dense", lambda: int(structure().dense)) if dense else 0,
        dense_first=c.array(f"{q}_dense_first", lambda: structure().dense_first, np.int32)
        if dense else None,
        side=side,  # (the sender's side: the neuron acted on is the other one)
        ring=c.array(f"{q}_ring", lambda: structure().ring["spikes"], np.int32),
        ring_n=c.array(f"{q}_ring_n", lambda: structure().ring["n"], np.int64),
        D=c.int_scalar(f"{q}_D", lambda: structure().D),
        width=c.int_scalar(f"{q}_width", lambda: structure().width),
        first_age=c.int_scalar(f"{q}_first_age", lambda: structure().first_age),
        n_ages=c.int_scalar(f"{q}_n_ages", lambda: structure().n_ages), stride=stride,
        # the sending (sub)group: the neurons of the spike list that have rows
        first_sender=c.int_scalar(f"{q}_first_sender", lambda: structure().first_sender),
        senders=c.int_scalar(f"{q}_senders", lambda: structure().senders))
    # At the slot and order of the sender's threshold of the event, after every
    # operation there (the name sorts last): one thread fills the rings with this step's
    # spikes, while the pathways read this step's from the spike list, earlier steps'
    # from the ring.
    thresholder = sender.thresholder[event]
    c.add(thresholder.when, "synapses_ring", order=thresholder.order,
          name=f"\uffff{syn.name}_{path}", syn=info, path=way, spikes=spikes,
          unit=Unit((Access(spikes.array, False), Access(f"{q}.ring", True, slot=NOW)),
                    serial=True))
    batch = {"post": info.post, "pre": info.pre}.get(code.batch, code.batch)
    bound = [name for name in code.reads if name not in NOT_REFRACTORY_NAMES]
    pathway._slot.add_to(
        c, "synapses_pathway", numbered=True, syn=info, path=way, spikes=spikes,
        batch=batch, code=code, unit=unit, **bindings(syn, layout, backend, bound),
        flags=flags(c, syn, layout, backend, path, code.reads, q, unit.serial),
        **thread_inputs(backend, unit))


def _reads_anywhere(code, name: str) -> bool:
    """Whether any operation of the synapses, or a StateMonitor of them, reads ``name``."""
    codes = [code.update, *code.pathways.values()]
    return any(name in c.reads for c in codes if c is not None) or any(
        name in e.reads for e in [s.expression for s in code.summed]
        + list(code.records.values()))


def connectivity_counts(syn, name: str) -> np.ndarray:
    """``N_incoming``: for every neuron of the target group, how many of the synapses
    end there (``N_outgoing``: start there, in the source group), as the loop reads
    them (``N_incoming[_j]``); counted again when the synapses change."""
    key = (name, syn._structure_version, syn.N)
    cached = syn.__dict__.setdefault("_counts", {}).get(name)
    if cached is not None and cached[0] == key:
        return cached[1]
    index, group = (syn._post, syn.post_group) if name == "N_incoming" else \
        (syn._pre, syn.pre_group)
    counts = np.bincount(index, minlength=group.N).astype(np.float64)
    syn._counts[name] = (key, counts)
    return counts


def _side_reads(syn, side: str, reads) -> bool:
    """Whether code reads (or writes) a neuron variable of the ``side`` group (its
    refractoriness included)."""
    group = syn.pre_group if side == "pre" else syn.post_group
    suffix = f"_{side}"
    return f"not_refractory{suffix}" in reads or any(
        name.endswith(suffix) and name[:-len(suffix)] in getattr(group, "_arrays", {})
        for name in reads)


def _side_shared(syn, side: str, reads) -> bool:
    group = syn.pre_group if side == "pre" else syn.post_group
    return any(f"{var}_{side}" in reads for var in getattr(group, "_shared", ()))


def _pathway_unit(syn, layout, path: str, code, q: str, spikes: str | None) -> Unit:
    """How threads share a pathway: each takes the synapses onto its own neurons of the
    side acted on (the target of ``pre``, the source of ``post``), unless the code
    writes the sending side or a shared variable, or reads a sending neuron's variable
    that another thread writes meanwhile — then one thread runs it all. ``spikes``: the
    spike list it reads this step's spikes from (``None``: it reads only the ring)."""
    other_side = "post" if path == "pre" else "pre"
    sender = syn.pre_group if path == "pre" else syn.post_group
    other = syn.post_group if path == "pre" else syn.pre_group
    s, o = layout.prefix(syn), layout.prefix(other)
    writes_sender = code.batch in (path, "single")
    accesses = (() if spikes is None else (Access(spikes, False),)) + (
        Access(f"{q}.ring", False, slot=PAST),
        Access(s, True, ("synapses", s, other_side)),
        Access(o, code.batch == other_side, ("neurons", o)))
    if _side_reads(syn, path, code.reads):
        accesses += (Access(layout.prefix(sender), writes_sender),)
    if not (writes_sender or _side_shared(syn, other_side, code.reads)
            or _connects_synapses(syn)):
        try:
            return Unit(accesses)
        except ValueError:  # e.g. v_post += v_pre within one group: the order matters
            pass
    return Unit(accesses, serial=True)


def _summed_unit(syn, layout, reads) -> Unit:
    """Threads sum into their own target neurons (each over all synapses, skipping the
    others' targets), unless the sum reads neurons of the target group that another
    thread writes meanwhile."""
    t, s = layout.prefix(syn.post_group), layout.prefix(syn)
    accesses = (Access(t, True, ("neurons", t)), Access(s, False, ("synapses", s, "post")))
    if _side_reads(syn, "pre", reads):
        accesses += (Access(layout.prefix(syn.pre_group), False),)
    if _connects_synapses(syn):
        return Unit(accesses, serial=True)
    try:
        return Unit(accesses)
    except ValueError:
        return Unit(accesses, serial=True)


def _update_unit(syn, layout, reads) -> Unit:
    """Clock-driven synaptic equations: threads take blocks of synapses; neuron
    variables are only read."""
    s = layout.prefix(syn)
    accesses = (Access(s, True, ("synapses", s, "index")),)
    for side, group in (("pre", syn.pre_group), ("post", syn.post_group)):
        if _side_reads(syn, side, reads):
            accesses += (Access(layout.prefix(group), False),)
    return Unit(accesses, serial=_connects_synapses(syn))


def _connects_synapses(syn) -> bool:
    """Whether the source or the target is itself a Synapses object: threads split
    neuron groups into blocks, not synapses by the synapses they act on, so one thread
    runs the operations (the modulating synapses are few)."""
    return any(hasattr(group, "_pathways") for group in (syn.pre_group, syn.post_group))
