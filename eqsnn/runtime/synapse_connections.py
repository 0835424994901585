"""Making synapses and reading their connectivity: ``S.connect(...)`` (the pairs come
from :mod:`eqsnn.runtime.connect`), the arrays grown for new synapses, ``S.N``,
``S.i``, ``S.j``, ``S[...]`` and the counts per neuron."""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.runtime import connect as connectivity
from eqsnn.runtime.multisynaptic import multisynaptic_numbers

__all__ = ["SynapseConnections"]

_MAX_SYNAPSES = 2**31 - 1  # indices are int32 in the compiled loop


class SynapseConnections:
    """Mixin of :class:`~eqsnn.runtime.synapses.Synapses`: its synapses."""

    # --- connecting ---------------------------------------------------------------------
    def connect(self, condition: str | bool | None = None, *, i: Any = None, j: Any = None,
                p: float | str = 1.0, fixed_in: int | None = None, n: Any = 1,
                skip_if_invalid: bool = False) -> None:
        """Create synapses (may be called several times; synapses accumulate).

        * ``connect()``: all to all; ``connect(j="i")``: one to one;
        * ``connect(i=[...], j=[...])``: explicit pairs (one of them may be a scalar);
        * ``connect(condition="i != j", p=0.1)``: every pair meeting the condition, each
          with probability ``p`` (a number or an expression of ``i``, ``j`` and neuron
          variables with ``_pre``/``_post``);
        * ``connect(fixed_in=K)``: ``K`` distinct random sources for every target
          (with ``condition``: ``K`` among the sources meeting it, or all if fewer);
        * ``connect(j="k for k in range(i-3, i+4) if k != i")``, ``connect(i=...)``:
          Brian2's generator syntax (``range`` or ``sample(..., p=/size=)``); an index
          outside the group is an error unless ``skip_if_invalid=True`` skips it;
        * ``n``: synapses per pair (a number, or a string evaluated per pair).

        Indices are relative to the source and target (sub)groups.
        """
        if self._later(lambda: self.connect(condition, i=i, j=j, p=p, fixed_in=fixed_in, n=n,
                                            skip_if_invalid=skip_if_invalid)):
            return  # (made when the synapses are built, at run(): a name is still missing)
        self._resolve()
        pre, post = connectivity.pairs(self, condition, i=i, j=j, p=p, fixed_in=fixed_in, n=n,
                                       skip_if_invalid=skip_if_invalid)
        if self.N + pre.size > _MAX_SYNAPSES:
            raise InvalidValueError(f"{self.name!r} would hold {self.N + pre.size} synapses; "
                                    f"one Synapses object holds at most {_MAX_SYNAPSES}")
        self._add_synapses(pre, post, self.pre_start, self.post_start)

    def _add_synapses(self, pre: np.ndarray, post: np.ndarray, pre_offset: int = 0,
                      post_offset: int = 0) -> None:
        """Append synapses from ``pre + pre_offset`` to ``post + post_offset`` (indices
        in the whole groups), their variables zero."""
        n_new = pre.size
        first = self.N
        # Each array is allocated once at its new size and written in place: no int64
        # sum, int32 copy and concatenation as temporaries (CUBA 10^5's 8 M synapses:
        # each would be 32-64 MB on top of the result, retained by the allocator after).
        self._pre = _appended(self._pre, pre, pre_offset)
        self._post = _appended(self._post, post, post_offset)
        for name in set(self._arrays) - self._shared:
            self._arrays[name] = _grown(self._arrays[name], n_new, self._dtypes[name])
        if self._uses_lastupdate:
            self._lastupdate = _grown(self._lastupdate, n_new, np.float64)
        for path in self._pathways.values():
            if path._delay is not None:
                path._delay = np.concatenate([path._delay, np.full(n_new, path._default)])
        self._structure_version += 1
        if self.multisynaptic_index is not None:  # (all synapses, as Brian2 counts them)
            self._arrays[self.multisynaptic_index][:] = multisynaptic_numbers(self._pre,
                                                                              self._post)
        for var, value in self._initial.items():  # a built-in model's initial values
            if n_new:
                self._write(var, value, slice(first, None))

    @property
    def _uses_lastupdate(self) -> bool:
        """Whether the loop reads ``lastupdate`` (to advance event-driven variables).
        Otherwise it stays 0 and takes no memory per synapse."""
        return self._record.uses_lastupdate

    def _lastupdate_values(self) -> np.ndarray:
        return self._lastupdate if self._uses_lastupdate else np.zeros(self.N)

    @property
    def N(self) -> int:
        """The number of synapses."""
        return int(self._pre.size)

    def __len__(self) -> int:
        return self.N

    def __getitem__(self, item) -> np.ndarray:
        """``S[0, :]``, ``S["i != j"]``, ``S[2:5]``: the numbers of those synapses, as
        Brian2's indexing of a Synapses object gives them (``StateMonitor(S, "w",
        record=S[0, :])``); see :mod:`eqsnn.runtime.indexing`."""
        from eqsnn.runtime.indexing import synapse_numbers
        numbers = synapse_numbers(self, item)
        # one synapse number, S[3], is 0-d as in Brian2 (so mon[S[3]].w is one trace)
        return numbers.reshape(()) if isinstance(item, (int, np.integer)) else numbers

    @property
    def N_incoming_post(self) -> np.ndarray:
        """Synapses onto each target neuron (0 for one without), as Brian2's."""
        return np.bincount(self.j, minlength=self.post_stop - self.post_start)

    @property
    def N_outgoing_pre(self) -> np.ndarray:
        """Synapses from each source neuron (0 for one without), as Brian2's."""
        return np.bincount(self.i, minlength=self.pre_stop - self.pre_start)

    @property
    def i(self) -> np.ndarray:
        """Source index of each synapse (relative to the source group)."""
        return self._pre.astype(np.int64) - self.pre_start

    @property
    def j(self) -> np.ndarray:
        """Target index of each synapse (relative to the target group)."""
        return self._post.astype(np.int64) - self.post_start


def _appended(old: np.ndarray, new: np.ndarray, offset: int) -> np.ndarray:
    """``old`` followed by ``new + offset``, as int32 (the loop's index type), in one new
    array (the values wrap as ``astype(np.int32)`` would; connect checks the sizes)."""
    out = np.empty(old.size + new.size, dtype=np.int32)
    out[:old.size] = old
    np.add(new, offset, out=out[old.size:], casting="unsafe")
    return out


def _grown(old: np.ndarray, n_new: int, dtype) -> np.ndarray:
    """``old`` followed by ``n_new`` zeros of ``dtype`` (as ``np.concatenate`` of the two
    would type them), in one new array."""
    out = np.zeros(old.size + n_new, dtype=np.result_type(old.dtype, np.dtype(dtype)))
    out[:old.size] = old
    return out
