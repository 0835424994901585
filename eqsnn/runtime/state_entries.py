"""The named states of each kind of object, for :mod:`eqsnn.runtime.states`: which
names Brian2's ``get_states()`` lists, how each is read and (if it can be) written.

Brian2's keys, for the same script (checked in ``tests/runtime/test_states.py``):

* a group: its model's variables (subexpressions on request), ``N``, ``i``, ``t``,
  ``dt``, ``t_in_timesteps``, and with a refractoriness ``lastspike`` and
  ``not_refractory``;
* synapses: their own variables, ``i``, ``j``, ``N``, ``N_pre``, ``N_post``,
  ``N_incoming``, ``N_outgoing`` (per synapse), the clock's, ``lastupdate`` where it is
  kept (event-driven variables), and every state of the
  source as ``x_pre`` and of the target as ``x_post`` and (where the name is free) ``x``;
  a pathway's (``syn_pre`` in the network's states) add ``delay``;
* a SpikeGeneratorGroup: its spikes (``neuron_index``, ``spike_time``, ``period``);
* monitors: ``N`` (spikes or samples), ``t``, what they record (``i``, ``count``;
  ``rate``; a StateMonitor's variables as rows of times, as Brian2 stores them).

Differences (docs/brian2.md): the source's and target's states, ``lastspike`` and
``not_refractory`` are read-only here (set them on the group; ``not_refractory`` follows
from ``lastspike``), and a neuron that never spiked has ``lastspike = -inf``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from eqsnn import units
from eqsnn.runtime.states import PathwayStates

__all__ = ["entries", "Entry"]

_SECOND = (1 * units.ureg.second).dimensionality
_DEFAULT_DT = 1e-4  # Network(dt=)'s default, for an object that has not run yet


@dataclass(frozen=True)
class Entry:
    """One named state: ``read(units)`` gives a copy of its values; ``write(value,
    units)`` sets them (``None``: read-only); ``subexpression`` is listed only when
    asked for (``subexpressions=True`` or by name)."""

    read: Callable[[bool], Any]
    write: Callable[[Any, bool], None] | None = None
    subexpression: bool = False


def with_unit(si: Callable[[], np.ndarray], dim) -> Callable[[bool], Any]:
    """A reader of SI values ``si`` (computed when read) with or without their unit."""
    return lambda use_units: units.from_si(si(), dim) if use_units else si()


def clock_entries(obj, t: Callable[[], float]) -> dict[str, Entry]:
    """``t`` (the time of the object's network, ``t()``), ``dt`` and
    ``t_in_timesteps`` of an object's clock, read-only."""
    def dt() -> float:
        clock = getattr(obj, "clock", None)
        network_dt = getattr(obj, "_dt", None)
        if getattr(clock, "dt_", None) is not None:
            return clock.dt_
        return network_dt if network_dt is not None else _DEFAULT_DT
    return {"t": Entry(with_unit(lambda: np.array(t()), _SECOND)),
            "dt": Entry(with_unit(lambda: np.array(dt()), _SECOND)),
            "t_in_timesteps": Entry(lambda _: np.array(int(round(t() / dt()))))}


def entries(obj) -> dict[str, Entry]:
    """The named states of ``obj`` (group, subgroup, synapses, pathway, monitor)."""
    from eqsnn.runtime.inputs import SpikeGeneratorGroup
    from eqsnn.runtime.spike_monitors import PopulationRateMonitor, SpikeMonitor
    from eqsnn.runtime.state_monitor import StateMonitor
    if isinstance(obj, PathwayStates):
        return _pathway(obj)
    if isinstance(obj, SpikeGeneratorGroup):
        return _spike_generator(obj)
    if getattr(obj, "_kind", None) == "synapses":
        return _synapses(obj)
    if isinstance(obj, SpikeMonitor):
        return _spike_monitor(obj)
    if isinstance(obj, StateMonitor):
        return _state_monitor(obj)
    if isinstance(obj, PopulationRateMonitor):
        return _rate_monitor(obj)
    return _group(obj)


def _constant(value) -> Entry:
    return Entry(lambda _: np.array(value))


def _variables(obj, owner, part) -> dict[str, Entry]:
    """The model's variables of ``owner`` seen through ``obj`` (``part`` of them)."""
    result = {}
    for var, dim in owner._dims.items():
        shared = var in owner._shared

        def si(var=var, shared=shared):
            values = np.array(owner._read(var, part), copy=True)
            return values.reshape(()) if shared else values

        def write(value, use_units, var=var):
            setattr(obj, var if use_units else f"{var}_", value)

        stored = var in owner._arrays
        result[var] = Entry(with_unit(si, dim), write if stored else None,
                            subexpression=not stored and var not in owner._linked)
    return result


def _group(view) -> dict[str, Entry]:
    """A NeuronGroup's or a Subgroup's (``view``: the neurons it sees)."""
    owner, part = view._owner, view._slice
    result = _variables(view, owner, part)
    result["N"] = _constant(view.N)
    result["i"] = Entry(lambda _: np.arange(view.N, dtype=np.int32))
    result.update(clock_entries(owner, lambda: getattr(owner, "_t", 0.0)))
    if getattr(owner, "refractory", None) is not None:
        result["lastspike"] = Entry(with_unit(lambda: _lastspike(owner)[part], _SECOND))
        if "not_refractory" in result:  # (stored, as 1.0/0.0, for a string refractoriness)
            stored = result["not_refractory"]
            result["not_refractory"] = Entry(lambda u: stored.read(u).astype(bool),
                                             stored.write)
        else:
            result["not_refractory"] = Entry(lambda _: _not_refractory(owner)[part])
    return result


def _lastspike(group) -> np.ndarray:
    """Each neuron's last spike in seconds (``G.lastspike``: -inf if it never spiked,
    where Brian2 starts at -1e4 s)."""
    if getattr(group, "_dt", None) is None:  # (not run yet: no neuron has spiked)
        return np.full(group.N, -np.inf)
    return np.asarray(units.to_si(group.lastspike)[0], dtype=np.float64)


def _not_refractory(group) -> np.ndarray:
    """Whether each neuron was out of its refractory period at the last step, as
    Brian2's stored ``not_refractory`` (True before the first run)."""
    dt = getattr(group, "_dt", None)
    if dt is None:
        return np.ones(group.N, dtype=bool)
    last = int(round(getattr(group, "_t", 0.0) / dt)) - 1
    lastspike = group._lastspike
    return (last - lastspike >= group._refractory_steps()) & (lastspike != last)


def _synapses(syn) -> dict[str, Entry]:
    result = _variables(syn, syn, slice(None))
    pre_size, post_size = syn.pre_stop - syn.pre_start, syn.post_stop - syn.post_start
    result.update(
        i=Entry(lambda _: syn.i.astype(np.int32)),
        j=Entry(lambda _: syn.j.astype(np.int32)),
        N=Entry(lambda _: np.array(syn.N, dtype=np.int32)),
        N_pre=_constant(pre_size), N_post=_constant(post_size),
        N_incoming=Entry(lambda _: syn.N_incoming_post[syn.j].astype(np.int32)),
        N_outgoing=Entry(lambda _: syn.N_outgoing_pre[syn.i].astype(np.int32)))
    result.update(clock_entries(syn, lambda: getattr(syn, "_t", 0.0)))
    if syn._uses_lastupdate:  # (kept for event-driven variables, as in Brian2)
        result["lastupdate"] = Entry(
            with_unit(lambda: syn.lastupdate_, _SECOND),
            lambda value, use_units: setattr(syn, "lastupdate" if use_units
                                             else "lastupdate_", value))
    own = set(result)
    for side, index, suffixes in ((syn.source, lambda: syn.i, ("_pre",)),
                                  (syn.target, lambda: syn.j, ("_post", ""))):
        if not hasattr(side, "_owner") or not hasattr(side._owner, "_dims"):
            continue  # (a SpikeGeneratorGroup has no states of its own)
        for name, entry in entries(side).items():
            if name == "N":
                continue  # (N_pre and N_post are the synapses' own)
            for suffix in suffixes:
                if name + suffix not in own:
                    result[name + suffix] = Entry(_per_synapse(entry, index),
                                                  subexpression=entry.subexpression)
    return result


def _per_synapse(entry: Entry, index):
    """A source's or target's state read for each synapse (read-only)."""
    def read(use_units):
        values = entry.read(use_units)
        return values if np.ndim(values) == 0 else values[index()]
    return read


def _pathway(states: PathwayStates) -> dict[str, Entry]:
    syn, pathway = states.syn, states.pathway
    result = _synapses(syn)

    def write(value, use_units):
        if use_units:
            pathway.delay = value
        else:
            pathway._set_delays(np.arange(syn.N), value, raw=True)

    result["delay"] = Entry(with_unit(lambda: pathway.delay_.view(np.ndarray).copy(),
                                      _SECOND), write)
    return result


def _spike_generator(gen) -> dict[str, Entry]:
    """Brian2's: the spikes sorted by time (then neuron), all read-only (set_spikes())."""
    def order():
        return np.lexsort((gen.indices, gen.times_))
    result = {"N": _constant(gen.N),
              "i": Entry(lambda _: np.arange(gen.N, dtype=np.int32)),
              "neuron_index": Entry(lambda _: gen.indices[order()].astype(np.int32)),
              "spike_number": Entry(lambda _: np.arange(gen.indices.size, dtype=np.int32)),
              "spike_time": Entry(with_unit(lambda: gen.times_[order()], _SECOND)),
              "period": Entry(with_unit(lambda: np.array(gen.period_), _SECOND))}
    result.update(clock_entries(gen, lambda: getattr(gen, "_t", 0.0)))
    return result


def _recorded(mon, var: str, transpose: bool = False) -> Entry:
    from eqsnn.runtime.monitor_values import dimension

    def si():
        values = np.asarray(getattr(mon, f"{var}_"))
        return values.T.copy() if transpose else values.copy()
    return Entry(with_unit(si, dimension(mon.group, var)))


def _spike_monitor(mon) -> dict[str, Entry]:
    result = {"N": Entry(lambda _: np.array(mon.num_spikes, dtype=np.int32)),
              "count": Entry(lambda _: mon.count.astype(np.int32))}
    if mon.record:  # (record=False keeps no i and t, as in Brian2)
        result.update(i=Entry(lambda _: mon.i.astype(np.int32)),
                      t=Entry(with_unit(lambda: np.array(mon.t_, copy=True), _SECOND)))
    result.update({var: _recorded(mon, var) for var in mon.variables})
    return result


def _state_monitor(mon) -> dict[str, Entry]:
    result = {"N": Entry(lambda _: np.array(mon.t_.size, dtype=np.int32)),
              "t": Entry(with_unit(lambda: np.array(mon.t_, copy=True), _SECOND))}
    # Brian2 stores a recording as (times, indices): get_states gives it so (mon.v is
    # the transpose)
    result.update({var: _recorded(mon, var, transpose=True) for var in mon.variables})
    return result


def _rate_monitor(mon) -> dict[str, Entry]:
    from eqsnn.runtime.monitor_base import HERTZ
    return {"N": Entry(lambda _: np.array(mon.t_.size, dtype=np.int32)),
            "rate": Entry(with_unit(lambda: np.asarray(mon.rate_).copy(), HERTZ)),
            "t": Entry(with_unit(lambda: np.array(mon.t_, copy=True), _SECOND))}
