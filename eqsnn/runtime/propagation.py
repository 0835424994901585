"""The propagation structure of a Synapses object's pathways (what the loop walks when
spikes arrive), derived from the synapses and dt and rebuilt only when the
connectivity or the delays change:

* ``order``: synapse indices sorted by sending neuron, then by delay in steps, then by
  the neuron acted on. Synapses made by ``connect`` are in that order already
  (``in_order``): then ``order`` is the identity, made when asked (the numpy backend,
  tests) and not held, and the compiled loop, which reads the targets in sequence
  instead, is handed an empty array (``loop_order``): 4 bytes a synapse less;
* ``ptr``: CSR pointers into ``order`` for every (sender, delay) pair, so the synapses
  of sender ``s`` whose delay is ``first_age + a*stride`` steps are
  ``order[ptr[r*n_ages + a] : ptr[r*n_ages + a + 1]]`` with ``r = s - first_sender``
  (a row per neuron of the sending (sub)group only: ``senders`` of them, from
  ``first_sender`` on in the group's spike list) — with ``T`` threads, for every
  (sender, delay, thread) triple: ``ptr[(r*n_ages + a)*T + t]`` starts thread ``t``'s
  piece, the synapses onto its block of neurons; ``stride`` is 1, or ``k`` for a
  sender on a clock k times slower than the loop's (its delays are whole steps of its
  clock, and the pathway runs only at its steps);
* ``dense_first``: for every piece, the first neuron it acts on if its synapses act on
  consecutive neurons, each once (all-to-all, a band: :func:`_dense_pieces`), else -1;
  the loop then computes each synapse's neuron instead of reading it. Empty (and
  ``dense`` false) when no piece is dense, the synapses are not in connect's order, or
  the pathway's code is not one that gives the same bits in a vector as alone
  (``Pathway._dense``, set by runtime/synapse_code.py);
* a ring of the sender's spikes of the last ``D`` steps (``D`` = longest delay + 1 +
  ``lag``).

At every step, right after the sender's threshold, the loop stores this step's spikes
in the ring. The pathway, for each delay ``first_age + a*stride``, walks the rows of the
senders that spiked ``lag`` steps before that: a spike at step ``n`` reaches a synapse of
delay ``d`` at step ``n + lag + d``. ``lag`` is 0 for a pathway after its sender's threshold in a step
(the default: ``synapses``); for one before it (``S.pre.when = "before_thresholds"``,
:meth:`~eqsnn.runtime.pathways.Pathway.runs_before_threshold`), which finds the spikes
of the sender's step before, it is one step of the sender's clock: Brian2's pathway
queues the spikes it finds in its own slot, with their delays. A pathway with lag 0
reads this step's spikes from the group's spike list; every other age from the ring,
whose slot of this step it never reads (the threshold fills it). With one delay for
all synapses, ``n_ages`` is 1 and ``ptr`` is an ordinary CSR row pointer.
"""
from __future__ import annotations

import os
from types import SimpleNamespace

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.runtime.clocks import NETWORK_CLOCK, delay_steps
from eqsnn.runtime.dt_change import align_to_ticks, carried_ring

__all__ = ["Structure", "pathway_structure", "structure_bytes"]


#: the order the compiled loop is handed for synapses in connect's order: never read
#: (one array for all, so that a call hands over the same address each time)
_NO_ORDER = np.empty(0, np.int32)
_NO_ORDER.flags.writeable = False


class Structure(SimpleNamespace):
    """A pathway's propagation structure (see the module's docstring); ``_order`` holds
    the permutation, or ``None`` for synapses in connect's order (``in_order``)."""

    @property
    def order(self) -> np.ndarray:
        """Synapse indices in the order the loop walks them (the identity, made now,
        when the synapses are in connect's order)."""
        if self._order is None:
            return np.arange(self.ptr[-1], dtype=np.int32)
        return self._order

    @property
    def loop_order(self) -> np.ndarray:
        """What the compiled loop is handed as ``order``: the permutation, or an empty
        array when the synapses are in order (the loop then never reads it)."""
        return _NO_ORDER if self._order is None else self._order


def pathway_structure(syn, path: str, dt: float, parts: int = 1,
                      before: bool | None = None, dense: bool | None = None) -> SimpleNamespace:
    """The propagation structure of the pathway named ``path`` (``"pre"``, ``"post"``
    or a name of ``on_pre={...}``) for a loop on ``parts`` threads; ``before``: the
    pathway runs before its sender's threshold, ``dense``: its loop walks dense pieces
    (both by default as in the network that built it last).

    Within a row, synapses are sorted by the neuron they act on (the target of ``pre``,
    the source of ``post``), then by index, and each row is cut into ``parts`` pieces:
    piece ``t`` holds the synapses onto thread ``t``'s block of neurons (the blocks of
    ``eqsnn_block`` in the C loop), and ``ptr`` has one entry per (row, piece). A
    neuron's synapses keep their order, so every sum comes out the same on any number
    of threads; with one part it is the plain CSR structure."""
    pathway = syn._pathways[path]
    side = pathway.side
    group = syn.pre_group if side == "pre" else syn.post_group
    # (delays count the sender clock's steps, whose dt may change between runs)
    before = pathway._before if before is None else before
    dense = pathway._dense if dense is None else dense
    key = (syn._structure_version, dt, syn.N, parts, getattr(group.clock, "dt_", None),
           before, dense)
    cache = syn.__dict__.setdefault("_propagation", {})
    cached = cache.get(path)
    # (one built for dense rows that found none is the structure without them)
    if cached is not None and (cached.key == key or (
            cached.key[:-1] == key[:-1] and not dense and not cached.dense)):
        return cached
    sender = syn._pre if side == "pre" else syn._post
    width = group.N
    # Rows only for the sending subgroup's neurons (CUBA's excitatory and inhibitory
    # synapses each start at a part of one group): the loop skips the group's other
    # spikes without reading a row pointer, and the pointers take less memory.
    first_sender, stop = (syn.pre_start, syn.pre_stop) if side == "pre" else \
        (syn.post_start, syn.post_stop)
    senders = stop - first_sender
    # A sender on a slower clock spikes every k loop steps, and every delay is a whole
    # number of its steps: the pathway runs at those steps only, and its ages (rows)
    # go in strides of k. Before its threshold, it is one step of that clock late.
    stride = getattr(group, "clock", NETWORK_CLOCK).every(dt, repr(group.name))[0]
    lag = stride if before else 0
    _check_ring_fits(syn, path, pathway, dt, width, senders, parts, lag, stride)
    if pathway._delay is None:  # one delay for every synapse: the senders are the keys
        first_age = last_age = int(delay_steps(pathway._default, group, dt))
        n_ages, keys = 1, sender - first_sender
    else:
        steps = delay_steps(pathway._delay, group, dt)  # (Brian2's rounding, clock)
        first_age = int(steps.min()) if steps.size else 0
        last_age = int(steps.max()) if steps.size else 0
        n_ages = (last_age - first_age) // stride + 1
        keys = (sender.astype(np.int64) - first_sender) * n_ages + (steps - first_age) // stride
    other = syn._post if side == "pre" else syn._pre
    in_order = _sorted_rows(keys, other)
    if in_order:  # the common case, connect's order: no permutation to hold
        order, sorted_keys, sorted_other = None, keys, other
    else:
        order = np.lexsort((other, keys)).astype(np.int32)  # stable
        sorted_keys, sorted_other = keys[order], other[order]
    if parts > 1:
        receiver = syn.post_group if side == "pre" else syn.pre_group
        owner = _owner(sorted_other, receiver.N, parts)
        sorted_keys = sorted_keys.astype(np.int64) * parts + owner
    rows = np.arange(senders * n_ages * parts + 1, dtype=np.int64)
    ptr = np.searchsorted(sorted_keys, rows).astype(np.int64)
    # (synapses in connect's order only: a dense piece reads no order either)
    first = _dense_pieces(other, ptr, parts) if dense and in_order else None
    D = last_age + 1 + lag
    ring = _ring(syn, path, D, width, dt, before, stride)
    structure = Structure(key=key, _order=order, in_order=in_order, ptr=ptr,
                                dense=first is not None,
                                dense_first=np.empty(0, np.int32) if first is None else first,
                                lag=lag,
                                D=D, width=width, first_age=first_age, n_ages=n_ages,
                                stride=stride, first_sender=first_sender, senders=senders,
                                ring=ring)
    cache[path] = structure
    return structure


#: the fewest synapses of a dense row (a cache line of doubles): shorter runs of
#: consecutive neurons gain nothing from it
DENSE_MIN = 8


def _dense_pieces(other: np.ndarray, ptr: np.ndarray, parts: int) -> np.ndarray | None:
    """For every piece of a row (synapses in connect's order, ``other`` the neuron each
    acts on, ``parts`` pieces a row), the first neuron it acts on if its row is dense:
    its synapses act on consecutive neurons, each once, and there are at least
    :data:`DENSE_MIN` of them (all-to-all, a band, a run of indices); -1 for the pieces
    of other rows (and the empty pieces). The loop then computes each synapse's neuron
    instead of reading it (``_j = first + p - ptr[k]``), and the additions onto every
    neuron come in the same order as before. Whether a row is dense does not depend on
    ``parts``: a synapse is walked by the same loop on any number of threads. ``None``
    when no row is dense: the loop reads nothing more (CUBA's random rows)."""
    start, end = ptr[:-1:parts], ptr[parts::parts]  # (whole rows)
    row = np.flatnonzero(end - start >= DENSE_MIN)
    if row.size == 0:
        return None
    s, e = start[row], end[row] - 1
    # sorted by neuron within a row (in connect's order): consecutive iff the row
    # spans as many neurons as it has synapses and no neuron comes twice
    row = row[other[e].astype(np.int64) - other[s] == e - s]
    repeated = np.flatnonzero(other[1:] == other[:-1])  # (multapses: rarely any)
    if repeated.size and row.size:
        # the row holding the pair (p, p + 1): not dense if both are in it
        holder = np.searchsorted(start, repeated, side="right") - 1
        row = np.setdiff1d(row, holder[repeated + 1 < end[holder]])
    if row.size == 0:
        return None
    first = np.full(ptr.size - 1, -1, dtype=np.int32)
    pieces = (row[:, None] * parts + np.arange(parts)).ravel()
    pieces = pieces[ptr[pieces + 1] > ptr[pieces]]  # (an empty piece walks nothing)
    first[pieces] = other[ptr[pieces]]
    return first


def _check_ring_fits(syn, path: str, pathway, dt: float, width: int, senders: int,
                     parts: int, lag: int, stride: int) -> None:
    """Refuse delays whose ring (one slot of ``width`` neurons per step of the longest
    delay) and row pointers (one per sender, delay and thread) need more memory than
    the machine has: ``1e30*second`` would otherwise overflow the step count or fail
    in numpy's allocation with a raw error."""
    delays = np.array([pathway._default]) if pathway._delay is None else pathway._delay
    if delays.size == 0:
        return
    longest, shortest = float(delays.max()) / dt, float(delays.min()) / dt
    rows = (longest - shortest) / stride + 1
    needed = (longest + 1 + lag) * width * 4 + rows * senders * parts * 8
    memory = _physical_memory()
    if needed <= memory:
        return
    raise InvalidValueError(
        f"the longest delay of the {path} pathway of {syn.name!r}, {delays.max():g} s, is "
        f"{longest:.3g} steps of dt = {dt:g} s: the spikes in flight would need "
        f"{needed / 2**30:.3g} GiB, more than this machine has",
        hint="use delays of a sensible length for the simulated time (or a larger dt)")


def _physical_memory() -> float:
    try:
        return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):  # not a POSIX system: assume 1 TiB
        return float(2**40)


#: ``EQSNN_BLOCK`` of templates/eqsnn_support.h: the loop's threads own the neurons in
#: whole blocks of this many (tests/runtime/test_propagation_owner.py compiles the C cut
#: and checks that :func:`block_first` and :func:`_owner` give the same)
BLOCK = 64


def block_first(n: int, t, nt: int, unit: int = BLOCK):
    """The first element of part ``t`` (an int or an array of them) of ``n`` elements
    cut into ``nt`` parts of whole ``unit``-blocks: the C loop's ``eqsnn_block(n, t, nt,
    unit)``, written again because the rows must be cut before the library is loaded."""
    units = (n + unit - 1) // unit
    return np.minimum(n, unit * ((units * np.asarray(t, dtype=np.int64)) // nt))


def _owner(neurons: np.ndarray, n: int, parts: int) -> np.ndarray:
    """The thread whose block holds each neuron (its synapses go in that thread's row
    piece): the part of ``block_first`` each neuron falls in."""
    firsts = block_first(n, np.arange(parts), parts)
    return np.searchsorted(firsts, neurons, side="right") - 1


def _sorted_rows(keys: np.ndarray, other: np.ndarray) -> bool:
    """Whether synapses are already sorted by row key, then by the other side."""
    if keys.size < 2:
        return True
    step = np.diff(keys)
    if np.any(step < 0):
        return False
    return not np.any((step == 0) & (other[1:] < other[:-1]))


def _ring(syn, path: str, D: int, width: int, dt: float, before: bool, stride: int) -> dict:
    """The ring of recent spikes; kept across runs (spikes in flight stay in flight),
    and carried into a new one when its shape or dt changes (runtime/dt_change.py).
    It remembers whether it was filled for a pathway before its sender's threshold,
    and the stride of the sender's clock it was filled at."""
    rings = syn.__dict__.setdefault("_rings", {})
    ring = rings.get(path)
    if ring is not None:
        _refuse_moved_across_threshold(syn, path, ring, before, dt)
    if ring is None or ring["n"].size != D or ring["spikes"].size != D * width \
            or ring.get("dt", float(dt)) != float(dt):
        ring = rings[path] = carried_ring(ring, D, width, dt)
    if ring.get("stride", 1) != stride:
        align_to_ticks(ring, stride, dt)
    ring["before"], ring["stride"] = bool(before), stride
    return ring


def _refuse_moved_across_threshold(syn, path: str, ring: dict, before: bool, dt) -> None:
    """A pathway moved to the other side of its sender's threshold between runs while
    spikes are in flight. The ring holds when each spike was emitted, not when it is due,
    so they would arrive one step of the sender's clock later (moved before the
    threshold) or earlier, and the last step's spikes reach their synapses twice or
    never, depending on the delay. Brian2, whose queue holds due steps, does the latter
    too: it delivers the last step's spikes twice (moved before) or loses them (moved
    after). Neither is a simulation anyone wants, so eqsnn refuses."""
    was = ring.get("before")
    if was is None or bool(was) == bool(before) or not _in_flight(ring, dt):
        return
    pathway = syn._pathways[path]
    sender = syn.pre_group if pathway.side == "pre" else syn.post_group
    side = lambda b: "before" if b else "after"  # noqa: E731
    raise InvalidValueError(
        f"the {path!r} pathway of {syn.name!r} now runs {side(before)} the threshold of "
        f"{sender.name!r} (when={pathway.when!r}, order={pathway.order}), but it ran "
        f"{side(was)} it in the last run and spikes of {sender.name!r} are still in flight: "
        f"they would arrive a step of its clock {'late' if before else 'early'}, and the "
        f"last step's spikes twice or never",
        hint=f"choose {syn.name}.{path}.when before the first run, or move it only to a "
             f"slot on the same side of the threshold (from 'before_start' to "
             f"'before_thresholds' is before it, from 'after_thresholds' to 'after_end' "
             f"after it), or restore() a state stored when no spikes were in flight")


def _in_flight(ring: dict, dt) -> bool:
    """Whether the ring holds spikes that a pathway may still deliver: any but the slot
    the coming step overwrites."""
    n = ring["n"]
    timeline = getattr(dt, "timeline", None)
    if timeline is None:
        return bool(n.any())
    return bool(np.delete(n, timeline.step % n.size).any())


def structure_bytes(syn, dt: float) -> int:
    """Memory of the propagation structures of the pathways that have statements."""
    total = 0
    for path, pathway in syn._pathways.items():
        if pathway.has_code:
            s = pathway_structure(syn, path, dt)
            total += s.loop_order.nbytes + s.ptr.nbytes + s.dense_first.nbytes \
                + s.ring["spikes"].nbytes + s.ring["n"].nbytes
    return total
