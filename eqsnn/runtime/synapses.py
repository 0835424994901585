"""Synapses: connectivity, per-synapse variables, delays, event code and summed inputs,
all run inside the network's one compiled loop.

Synapses are stored in the order they were created (so ``S.w = array`` after
``connect(i=..., j=...)`` lines up with the pairs given). Each pathway (``pre``: source
spikes run ``on_pre``; ``post``: target spikes run ``on_post``; or one per entry of
``on_pre={...}`` / ``on_post={...}``, triggered by the sender's spikes or by a custom
event, ``on_event=``) keeps its own index, sorted by sending neuron and then by delay
(see :mod:`eqsnn.runtime.synapse_code`), so the loop visits exactly the synapses whose
event arrives at this step. The source or target may itself be a Synapses object (its
synapses are then that side's "neurons").

Names in synaptic strings: synaptic variables (``w``), ``x_pre`` / ``x_post`` for
variables of the source / target neurons (an unsuffixed name that is not synaptic means
the target's variable, as in Brian2), ``i`` / ``j`` for the source / target index,
``N_pre`` / ``N_post``, ``N_incoming`` / ``N_outgoing``, ``t``, ``dt``, ``lastupdate``
(time of the synapse's last event), and constants from the namespace.
"""
from __future__ import annotations

import time
from typing import Any, Mapping

import numpy as np

from eqsnn.display import Displayed
from eqsnn.errors import InvalidValueError
from eqsnn.lowering import cache
from eqsnn.lowering.namespace import check_namespace
from eqsnn.runtime.namespaces import BuiltOnUse, own_namespace, read_names
from eqsnn.lowering.records import Inputs, SynapsesRecord
from eqsnn.runtime.groups import StateUpdateView, _default_name, source_range
from eqsnn.lowering.pathway_texts import old_pathway_names, pathway_texts, statements_by_label
from eqsnn.runtime.pathways import Pathway, check_senders, make_pathways
from eqsnn.runtime.clocks import clock_of
from eqsnn.runtime.constant_over_dt import subexpression_slot
from eqsnn.runtime.multisynaptic import with_multisynaptic_index
from eqsnn.runtime.schedule import synapse_slots
from eqsnn.runtime.synapse_connections import SynapseConnections
from eqsnn.runtime.synapse_regular import SynapsesRunRegularly
from eqsnn.runtime.synapse_values import SynapseValues
from eqsnn.runtime.last_update import LastUpdate
from eqsnn.runtime.synapse_setup import (build_key, group_range, side, source_text,
                                         unpack_synapse_model)
from eqsnn.runtime.states import HasStates
from eqsnn.runtime.variables import VariableAccess

__all__ = ["Synapses", "Pathway"]

class Synapses(BuiltOnUse, SynapseConnections, SynapsesRunRegularly, SynapseValues, HasStates,
               LastUpdate, VariableAccess, Displayed):
    """Connections from ``source`` to ``target`` with their own model.

    Parameters
    ----------
    source, target
        Groups or subgroups (``target`` defaults to ``source``).
    model
        Equation string of synaptic variables: parameters (``w : volt``), clock-driven
        ODEs, ``(event-driven)`` ODEs (advanced exactly at the synapse's own events, as
        STDP traces need) and ``(summed)`` subexpressions that set a target parameter
        every step (``I_syn_post = g*(E - v_post) : amp (summed)``); or a built-in
        synapse model from :mod:`eqsnn.models.synapses` / :mod:`eqsnn.models.stdp`.
    on_pre, on_post
        Statements run when a source spike arrives (after the delay) / when a target
        spike arrives, e.g. ``"v_post += w"``; or a dictionary of named pathways,
        ``on_pre={"up": "I += w", "down": "I -= w"}``, each with its own delay
        (``S.up.delay``). Pathways run in Brian2's order: ``on_pre`` ones by name, then
        ``on_post`` ones by name. (``pre=``/``post=``, Brian2's old names, are taken
        with a DeprecationWarning, as Brian2 does.)
    delay
        Delay of the ``on_pre`` pathway for all synapses, or ``{pathway: delay}``
        (``{"pre": ..., "post": ...}``, ``{"up": 0*ms, "down": 5*ms}``). Per-synapse
        delays are set after connecting: ``S.delay = "2*ms*rand()"`` (the ``pre``
        pathway) or ``S.post.delay = ...``. Delays are rounded to the time step.
    on_event
        The event of the sending group that triggers each pathway: one name for all
        (``"spike"`` by default) or ``{pathway: event}`` (see ``NeuronGroup(events=)``).
    method
        Integration method for clock-driven synaptic equations.
    namespace
        Constants used in the strings; kept as ``S.namespace`` and read when each run
        starts and at each ``connect()`` (see :class:`~eqsnn.NeuronGroup`).
    name, seed
        A name for messages; the seed of ``connect`` and string initialisers.
    order
        Position of the clock-driven equations (``S.state_updater``) in the ``groups``
        slot; the pathways' slots are ``S.pre`` and ``S.post`` (``when``, ``order``),
        the summed variables' ``S.summed_updaters[name]`` (see docs/running.md).
    dt, clock
        A clock of its own for the clock-driven equations (see docs/running.md,
        several clocks); sums follow the target's clock, pathways the sender's.
    multisynaptic_index
        The name of an ``: integer`` variable to create that numbers the synapses of
        each pair (0, 1, ... in creation order; ``S.w[i, j, k]`` selects by it).
    """

    _kind = "synapses"

    def __init__(self, source: Any, target: Any = None, model: Any = "", *,
                 on_pre: Any = None, on_post: Any = None, delay: Any = None,
                 on_event: Any = None, method: str | None = None, namespace: Mapping[str, Any] | None = None,
                 name: str | None = None, seed: int | None = None, order: int = 0,
                 dt: Any = None, clock: Any = None, pre: Any = None, post: Any = None,
                 multisynaptic_index: str | None = None):
        started = time.perf_counter()
        on_pre, on_post = old_pathway_names(on_pre, on_post, pre, post)  # Brian2's old names
        object.__setattr__(self, "_owner", self)
        object.__setattr__(self, "_slice", slice(None))
        target = source if target is None else target
        self.source, self.target = source, target
        self.pre_group, self.pre_start, self._pre_stop = group_range(source, "source")
        self.post_group, self.post_start, self._post_stop = group_range(target, "target")
        self.name = name or _default_name("synapses")
        model, on_pre, on_post, namespace, method, initial = unpack_synapse_model(
            model, on_pre, on_post, namespace, method)
        self.multisynaptic_index = multisynaptic_index
        self.model = model = with_multisynaptic_index(model, multisynaptic_index)
        self.method_requested = method
        # the user's mapping itself: read again when each run starts (runtime/namespaces)
        self.namespace = own_namespace(namespace)
        self.clock = clock_of(self, dt, clock)
        self._rng = np.random.default_rng(seed)
        self.timing = {}
        self._accept_variables()
        # built now, or, if a name is still missing from the namespace, when first used
        self._build_or_wait(lambda: self._build(on_pre, on_post, method, delay, on_event,
                                                initial, order))
        self.timing["build_seconds"] = time.perf_counter() - started

    # --- construction -------------------------------------------------------------------
    def _build(self, on_pre, on_post, method, delay, on_event, initial, order) -> None:
        """Derive the model (or load its record), make the arrays and the pathways."""
        model = self.model
        paths = pathway_texts(on_pre, on_post)
        self._sources = (model, on_pre, on_post, method, check_namespace(self._namespace_seen()))
        self._build_key = build_key(self._sources, self.pre_group, self.post_group)
        record = cache.load_record(self._build_key, SynapsesRecord)
        self._derivation = None
        if record is None:  # the cold path: SymPy, and every error the strings can cause
            self._derivation = self._derive()
            record = self._derivation.record(Inputs(
                model if isinstance(model, str) else None,
                statements_by_label(paths), method))
            cache.store_record(self._build_key, record)
        self._record: SynapsesRecord = record
        synapse_slots(self, order)
        object.__setattr__(self, "subexpression_updater", subexpression_slot(self, order))
        self._structure_version = 0
        self._init_storage()
        self._resolve()
        #: the pathways by name, in the order they run (also attributes: ``S.pre``)
        self._pathways = make_pathways(self, paths, on_pre, on_post, delay, on_event)
        for name, pathway in self._pathways.items():
            object.__setattr__(self, name, pathway)  # (not a variable)
        check_senders(self)
        self._initial = dict(initial)

    def _derive(self):
        from eqsnn.lowering.synapses import SynapseLowering
        model, on_pre, on_post, method, namespace = self._sources
        return SynapseLowering(self.name, model, on_pre, on_post, method, namespace,
                               side(self.pre_group), side(self.post_group))

    def _symbolic(self):
        """The SymPy side of the synapses, derived again on demand after a warm start."""
        if self._derivation is None:
            self._derivation = self._derive()
        return self._derivation

    @property
    def equations(self):
        """The parsed :class:`~eqsnn.equations.Equations` of the model."""
        return self._symbolic().equations

    @property
    def state_update(self):
        """The discretised clock-driven equations (``.method``, ``.statements``) or
        ``None``; method, reason and notes come from the record, without SymPy."""
        if self._record.method is None:
            return None
        return StateUpdateView(self._record.method, lambda: self._symbolic().state_update)

    @property
    def summed(self) -> list:
        """``(target variable, SymPy expression)`` of each summed variable."""
        return self._symbolic().summed

    def _init_storage(self) -> None:
        self._dims: dict[str, Any] = {v.name: v.dim for v in self._record.variables}
        # a (shared) parameter: one value for all synapses, never grown by connect()
        self._shared = {v.name for v in self._record.variables if v.shared}
        # (': integer' / ': boolean': int32 / bool arrays, as in neuron groups)
        self._dtypes = {v.name: np.dtype(v.dtype) for v in self._record.variables}
        self._arrays: dict[str, np.ndarray] = {
            v.name: np.zeros(1 if v.shared else 0, dtype=v.dtype) for v in self._record.state}
        self._pre = np.zeros(0, dtype=np.int32)
        self._post = np.zeros(0, dtype=np.int32)
        self._lastupdate = np.zeros(0)

    def _resolve(self) -> None:
        """Read the namespace entries the strings use; again when each run starts and
        before each connect()."""
        read_names(self, self._record.constants + self._record.functions,
                   source=source_text(self._sources), label="synapse model")

    _read_namespace = _resolve  # (called by the network when run() starts)

    @property
    def pre_stop(self) -> int:
        """End of the source range; a Synapses source grows as it connects."""
        return self.pre_group.N if isinstance(self.pre_group, Synapses) else self._pre_stop

    @property
    def post_stop(self) -> int:
        """End of the target range; a Synapses target grows as it connects."""
        return self.post_group.N if isinstance(self.post_group, Synapses) else self._post_stop

    @property
    def resolved_namespace(self) -> dict:
        """The namespace entries the strings use, as read at the last run (or creation):
        each constant (with ``value`` in SI and ``dim``) and each user function
        (TimedArray). A new dict: changing it changes nothing (change ``namespace``)."""
        return dict(self._resolved)

    @property
    def pathways(self) -> dict:
        """The pathways by name (``pre``, ``post``, or the names of ``on_pre={...}``),
        in the order they run; a new dict (each pathway is also ``S.<name>``)."""
        return dict(self._pathways)

    @property
    def delay(self):
        """The delay of each synapse's ``on_pre`` pathway (same as ``S.pre.delay``)."""
        return self._pre_pathway().delay

    @delay.setter
    def delay(self, value: Any) -> None:
        self._pre_pathway().delay = value

    @property
    def delay_(self) -> np.ndarray:
        """The ``on_pre`` delays in seconds, without units."""
        return self._pre_pathway().delay_

    def _pre_pathway(self):
        if "pre" not in self._pathways:
            raise InvalidValueError(
                f"{self.name!r} has no pathway 'pre' (its pathways are "
                f"{list(self._pathways)}), so S.delay means nothing",
                hint=f"set the delay of one pathway: S.{next(iter(self._pathways))}.delay")
        return self._pathways["pre"]

    def memory_bytes(self) -> int:
        """Bytes held for these synapses: indices, variables, delays and the
        propagation structures of the loop (built for the network's dt, 0.1 ms before
        the first run)."""
        from eqsnn.runtime.synapse_code import structure_bytes
        total = self._pre.nbytes + self._post.nbytes + self._lastupdate.nbytes
        total += sum(p._delay.nbytes for p in self._pathways.values() if p._delay is not None)
        total += sum(array.nbytes for array in self._arrays.values())
        return total + structure_bytes(self, getattr(self, "_dt", 1e-4))

    # --- state for store()/restore() ---------------------------------------------------
    def _state(self) -> dict[str, np.ndarray]:
        from eqsnn.runtime import synapse_state  # (only for networks that store)
        return synapse_state.state(self)

    def _set_state(self, state: Mapping[str, np.ndarray]) -> None:
        from eqsnn.runtime import synapse_state
        synapse_state.set_state(self, state)

    def _dependencies(self):
        return [self.pre_group, self.post_group]

    def _loop_writes(self) -> set[str] | None:
        """The synaptic variables the loop's statements may assign, for the NaN check
        (runtime/finite.py): the pathways', the ``run_regularly`` blocks' and the
        constant-over-dt subexpressions' (``None``: not known, a record from an older
        build cache)."""
        written = self._written()
        return None if written is None else {n for n in written if n in self._arrays}

    def _writes_into(self) -> list[tuple[Any, set[str] | None]]:
        """The source's and target's variables the loop may assign (the pathways'
        ``v_post += w``, ``x_pre = 0``, the summed variables), for the NaN check."""
        pre, post = source_range(self.pre_group)[0], source_range(self.post_group)[0]
        written = self._written()
        if written is None:
            return [(pre, None), (post, None)]
        other = {name for name in written if name not in self._arrays}
        return [(pre, {name[:-4] for name in other if name.endswith("_pre")}),
                (post, {name[:-5] for name in other if name.endswith("_post")}
                 | set(self._record.summed_targets))]

    def _written(self) -> set[str] | None:
        """Every name the records of the loop's statements list as assigned."""
        records = [self._record] + [op._record for op in self._regular]
        if any(r.written is None for r in records):
            return None
        return set().union(*(r.written for r in records))

    # --- running ----------------------------------------------------------------------
    def _contribution(self, layout, backend: str, dt: float):
        from eqsnn.runtime import constant_over_dt
        from eqsnn.runtime.synapse_code import contribution
        c = contribution(self, layout, backend, dt)
        constant_over_dt.contribute(self, c, layout, backend, dt)
        return c

    def _bindings(self, layout, backend: str, reads) -> dict:
        from eqsnn.runtime.synapse_code import bindings
        return bindings(self, layout, backend, reads)

    def _names(self, layout):
        from eqsnn.runtime.synapse_code import names
        return names(self, layout)

    def _prepare(self, start_step: int, n_steps: int, dt: float) -> None:
        self._dt = dt  # the clock of the coming run (memory_bytes reports for it)
