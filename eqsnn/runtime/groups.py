"""Neuron groups: a model's equations, threshold, reset and refractoriness for N neurons.

A group hands its strings to the build stage once, at creation
(:class:`eqsnn.lowering.neurons.NeuronLowering`: parse, resolve names, check units,
discretise, print), so every mistake is reported where the user wrote it. What comes
back is a :class:`~eqsnn.lowering.records.GroupRecord`, stored in the build cache: the
next process that builds the same model loads the record and never imports SymPy (it is
imported on demand if the SymPy objects — ``group.equations``, ``group.threshold`` … —
are asked for). At run time a group describes its arrays and operations to the network
(:mod:`eqsnn.runtime.group_code`).
"""
from __future__ import annotations

import time
from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.display import Displayed
from eqsnn.lowering import cache
from eqsnn.lowering.names import BUILTIN_DIMS
from eqsnn.lowering.namespace import check_namespace
from eqsnn.lowering.records import GroupRecord, Inputs
from eqsnn.runtime.clocks import clock_of
from eqsnn.runtime.events import GroupEvents
from eqsnn.runtime.group_values import GroupValues
from eqsnn.runtime.memory import aligned_full, aligned_zeros
from eqsnn.runtime.group_setup import (StateUpdateView, _build_key, _check_refractory,
                                       _check_size, _default_name, _unpack_model)
from eqsnn.runtime.namespaces import BuiltOnUse, own_namespace, read_names
from eqsnn.runtime.regular import RunsRegularly
from eqsnn.runtime.schedule import group_slots
from eqsnn.runtime.states import HasStates
from eqsnn.runtime.subgroup_items import subgroup_bounds
from eqsnn.runtime.timeline import last_spike_times
from eqsnn.runtime.variables import VariableAccess

__all__ = ["NeuronGroup", "Subgroup", "StateUpdateView"]

_NEVER = -(2**62)  # "last spike" of a neuron that never spiked, in steps
_SECOND = BUILTIN_DIMS["t"]


class NeuronGroup(BuiltOnUse, RunsRegularly, GroupValues, HasStates, VariableAccess,
                  Displayed):
    """A group of ``N`` neurons sharing one model.

    Parameters
    ----------
    N
        Number of neurons.
    model
        Equation string, :class:`~eqsnn.equations.Equations`, or a built-in model
        (an object with ``equations`` and optionally ``threshold``, ``reset``,
        ``refractory``, ``namespace``, ``method``). A built-in model also sets the
        neurons' initial values (its resting state unless it says otherwise).
    threshold
        Spike condition, e.g. ``"v > -50*mV"``.
    reset
        Statements run for each neuron that spiked, e.g. ``"v = El; w += b"``.
    refractory
        Dead time after a spike: a quantity of time, a string expression of a time
        (``"ref"``, evaluated at every step) or a condition to stay refractory while it
        holds (``"v > -40*mV"``), as in Brian2. Variables flagged ``(unless refractory)``
        are clamped during it and the threshold is not tested.
    method
        Integration method (``"exact"``, ``"euler"``, ``"rk4"``, …) or ``None`` to choose
        by capability; the choice and its reason are in ``group.state_update.reason``.
    namespace
        Values of the external constants used in the strings (units allowed). The
        mapping itself is kept as ``group.namespace`` and read when each run starts: a
        value changed between runs is used by the next one, and a name may be added
        after the group was created (it is built when first used), as in Brian2.
    name
        A name for messages and plots.
    seed
        Seed for ``rand()``/``randn()`` in string initialisers of this group.
    order
        Position of the group's operations within their scheduling slots (Brian2's
        ``order``); each one's slot is ``group.state_updater``,
        ``group.thresholder["spike"]`` and ``group.resetter["spike"]`` (``when``,
        ``order``; see docs/running.md).
    dt, clock
        A time step of the group's own (any that shares a simple grid with the
        network's, as 0.3 ms beside 0.2 ms; or a shared :class:`~eqsnn.Clock`): the group is updated, tested and reset only at its own
        steps, with its own ``dt`` (default: the network's clock).
    events
        Custom events besides the spike, ``{"burst": "v > 1*mV and n > 3"}`` (see
        :mod:`eqsnn.runtime.events` and :meth:`run_on_event`).
    """

    _kind = "group"  # (a class attribute: asking never builds a group waiting for names)

    def __init__(self, N: int, model: Any, *, threshold: str | None = None,
                 reset: str | None = None, refractory: Any = None, method: str | None = None,
                 namespace: Mapping[str, Any] | None = None, name: str | None = None,
                 seed: int | None = None, order: int = 0, dt: Any = None,
                 clock: Any = None, events: Mapping[str, str] | None = None):
        started = time.perf_counter()
        object.__setattr__(self, "_owner", self)
        object.__setattr__(self, "_slice", slice(None))
        self.N = _check_size(N)
        self.name = name or _default_name("neurongroup")
        group_slots(self, order)
        self.clock = clock_of(self, dt, clock)
        built_in = model if hasattr(model, "initialise") else None
        model, threshold, reset, refractory, method, namespace = _unpack_model(
            model, threshold, reset, refractory, method, namespace)
        self.model = model
        self.method_requested = method
        # the user's mapping itself: read again when each run starts (runtime/namespaces)
        self.namespace = own_namespace(namespace)
        self._rng = np.random.default_rng(seed)
        self.timing = {}
        self._accept_variables()
        # built now, or, if a name is still missing from the namespace, when first used
        self._build_or_wait(lambda: self._build(threshold, reset, refractory, method,
                                                built_in, events))
        self.timing["build_seconds"] = time.perf_counter() - started

    # --- construction ---------------------------------------------------------------
    def _build(self, threshold, reset, refractory, method, built_in, events) -> None:
        """Derive the model (or load its record) and make the group's arrays."""
        model = self.model
        self._sources = (model, threshold, reset, method, check_namespace(self._namespace_seen()))
        self._refractory_text = refractory if isinstance(refractory, str) else None
        self._build_key = _build_key(*self._sources, self._refractory_text)
        record = cache.load_record(self._build_key, GroupRecord)
        self._derivation = None
        if record is None:  # the cold path: SymPy, and every error the strings can cause
            self._derivation = self._derive(lambda: _check_refractory(refractory))
            record = self._derivation.record(Inputs(
                model if isinstance(model, str) else None,
                {"threshold": threshold, "reset": reset, "refractory": self._refractory_text},
                method))
            cache.store_record(self._build_key, record)
        self._record: GroupRecord = record
        self._init_storage()
        self._resolve()
        object.__setattr__(self, "refractory", _check_refractory(refractory))
        self._events = GroupEvents(self, events)
        if built_in is not None:
            # A built-in model knows where its neurons start (its resting state, or the
            # values its paper uses); a group of it starts there, not at v = 0.
            built_in.initialise(self)

    def run_on_event(self, event: str, code: str, when: str = "after_resets",
                     order: Any = None) -> None:
        """Run ``code`` (statements, as a reset) for the neurons that had ``event``
        this step, by default after the resets (Brian2's ``run_on_event``); its slot
        is ``group.resetter[event]``."""
        self._events.run_on_event(event, code, when, order)

    def set_event_schedule(self, event: str, when: str = "after_thresholds",
                           order: Any = None) -> None:
        """Move the test of a custom event's condition to another slot (Brian2's)."""
        self._events.set_event_schedule(event, when, order)

    def _derive(self, check_refractory=lambda: None):
        from eqsnn.lowering.neurons import NeuronLowering
        model, threshold, reset, method, namespace = self._sources
        return NeuronLowering(self.name, model, threshold, reset, method, namespace,
                              check_refractory, self._refractory_text)

    def _symbolic(self):
        """The SymPy side of the group, derived again on demand after a warm start."""
        if self._derivation is None:
            self._derivation = self._derive()
        return self._derivation

    @property
    def equations(self):
        """The parsed :class:`~eqsnn.equations.Equations`."""
        return self._symbolic().equations

    @property
    def threshold(self):
        """The threshold condition as a SymPy expression (``None`` if none)."""
        return self._symbolic().threshold

    @property
    def reset(self):
        """The reset as SymPy assignments (empty if none)."""
        return self._symbolic().reset

    @property
    def state_update(self):
        """The discretised update (``.method``, ``.reason``, ``.statements``), or ``None``;
        method, reason and notes come from the record, without SymPy."""
        if self._record.method is None:
            return None
        return StateUpdateView(self._record.method, lambda: self._symbolic().state_update)

    def _init_storage(self) -> None:
        self._dims: dict[str, Any] = {v.name: v.dim for v in self._record.variables}
        self._shared = {v.name for v in self._record.variables if v.shared}
        self._linked = {v.name for v in self._record.variables if v.linked}
        self._links: dict[str, Any] = {}   # linked variable → LinkedVariable
        self._dtypes = {v.name: np.dtype(v.dtype) for v in self._record.variables}
        # on cache lines: the loop's threads write neighbouring blocks of them each step
        self._arrays: dict[str, np.ndarray] = {
            v.name: aligned_zeros(1 if v.shared else self.N, v.dtype)
            for v in self._record.state}
        if "not_refractory" in self._arrays:  # (a string refractoriness) as in Brian2
            self._arrays["not_refractory"][:] = 1.0
        self._lastspike = aligned_full(self.N, _NEVER, np.int64)
        self._spikes = aligned_zeros(self.N, np.int32)
        self._nspikes = np.zeros(1, dtype=np.int64)

    def _resolve(self) -> None:
        """Read the namespace entries the model uses; again when each run starts."""
        model, threshold, reset, _, _ = self._sources
        source = "\n".join(filter(None, [model if isinstance(model, str) else "",
                                         threshold, reset]))
        read_names(self, self._record.constants + self._record.functions, source=source,
                   label="model")
        dims = {name: c.dim for name, c in self._constants.items()}
        dims.update(BUILTIN_DIMS)
        self._all_dims = {**dims, **self._dims}

    _read_namespace = _resolve  # (called by the network when run() starts)

    @property
    def resolved_namespace(self) -> dict:
        """The namespace entries the model uses, as read at the last run (or creation):
        each constant (with ``value`` in SI and ``dim``) and each user function
        (TimedArray). A new dict: changing it changes nothing (change ``namespace``)."""
        return dict(self._resolved)

    def __getitem__(self, item: slice) -> "Subgroup":
        start, stop = _slice_of(self, item)
        return Subgroup(self, start, stop)

    def __len__(self) -> int:
        return self.N

    @property
    def method(self) -> str | None:
        method = self._record.method
        return None if method is None else method.name

    @property
    def lastspike(self):
        """Time of each neuron's last spike (-inf if none); valid after a run."""
        steps = self._lastspike.astype(np.float64)
        steps[self._lastspike == _NEVER] = -np.inf
        return units.from_si(last_spike_times(steps, getattr(self, "_dt", np.nan)), _SECOND)

    # --- state for store()/restore() -----------------------------------------------
    def _state(self) -> dict[str, np.ndarray]:
        state = {f"var:{k}": v for k, v in self._arrays.items()}
        state.update(lastspike=self._lastspike, spikes=self._spikes, nspikes=self._nspikes)
        return state

    def _set_state(self, state: Mapping[str, np.ndarray]) -> None:
        for key, value in state.items():
            if key.startswith("var:"):
                self._arrays[key[4:]][:] = value
        self._lastspike[:] = state["lastspike"]
        self._spikes[:] = state["spikes"]
        self._nspikes[:] = state["nspikes"]

    # --- running ----------------------------------------------------------------------
    def _contribution(self, layout, backend: str, dt: float):
        from eqsnn.runtime.group_code import contribution
        return contribution(self, layout, backend, dt)

    def _bindings(self, layout, backend: str, reads) -> dict:
        from eqsnn.runtime.group_code import bindings
        return bindings(self, layout, backend, reads)

    def _names(self, layout):
        from eqsnn.runtime.group_code import names
        return names(self, layout)

    def _prepare(self, start_step: int, n_steps: int, dt: float) -> None:
        self._dt = dt  # the clock of the coming run, for lastspike and refractoriness

    def _refractory_steps(self) -> int:
        """The refractory period in steps (a string refractoriness: 0, see
        :mod:`eqsnn.lowering.refractory`)."""
        if not isinstance(self.refractory, float):
            return 0
        # A period longer than any run (1e300*second, inf) is "refractory forever after
        # the first spike": capped where the loop's int64 step arithmetic stays exact
        # (a neuron that never spiked has lastspike = _NEVER, so it is not refractory).
        # (in the group's steps, counted in the network's: k of them per group step)
        k, dt = self.clock.every(self._dt, repr(self.name))
        # Brian2's timestep(refractory, dt) = int((refractory + 1e-3*dt)/dt): 1.3 ms at
        # dt = 0.2 ms is 6 steps (not the nearest, 7), 2 ms at 0.1 ms is 20
        steps = self.refractory / dt + 1e-3
        return -_NEVER if steps >= -_NEVER / k else k * int(np.floor(steps))

    def _loop_writes(self) -> set[str] | None:
        """The variables the group's own statements in the loop may assign, for the NaN
        check (runtime/finite.py): the state update's, the reset's, ``run_on_event``
        code's and the ``run_regularly`` blocks' targets (``None``: not known, a record
        from an older build cache). Synapses and inputs say what they write into it."""
        records = [self._record, *self._events._records.values(),
                   *(op._record for op in self._regular)]
        if any(r.written is None for r in records):
            return None
        return set().union(*(r.written for r in records))


class Subgroup(RunsRegularly, HasStates, VariableAccess):
    """Neurons ``start`` to ``stop - 1`` of a group: a view, for setting values,
    monitoring and connecting (``G[:800]``)."""

    def __init__(self, parent: NeuronGroup, start: int, stop: int):
        object.__setattr__(self, "_owner", parent)
        object.__setattr__(self, "_slice", slice(start, stop))
        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "stop", stop)
        object.__setattr__(self, "N", stop - start)
        object.__setattr__(self, "name", f"{parent.name}[{start}:{stop}]")
        self._accept_variables()

    def __getitem__(self, item: slice) -> "Subgroup":
        """A subgroup of this subgroup: a subgroup of the group (as in Brian2)."""
        start, stop = _slice_of(self, item)
        return Subgroup(self.parent, self.start + start, self.start + stop)

    def __len__(self) -> int:
        return self.N

    def __repr__(self) -> str:
        return f"Subgroup({self.name})"


def _slice_of(group, item) -> tuple[int, int]:
    """(start, stop) of ``group[item]`` among the neurons ``group`` sees: a slice, one
    index or consecutive indices, as Brian2's (see runtime/subgroup_items.py)."""
    return subgroup_bounds(item, group.N, group.name)


def source_range(group) -> tuple[NeuronGroup, int, int]:
    """``(group, start, stop)`` for a group or a subgroup."""
    if isinstance(group, Subgroup):
        return group.parent, group.start, group.stop
    return group, 0, group.N
