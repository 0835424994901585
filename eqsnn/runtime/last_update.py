"""``S.lastupdate``: the time of each synapse's last event, as in Brian2.

A Synapses object keeps it when its code needs it: to advance ``(event-driven)``
variables (Brian2 keeps it exactly then) or because a statement reads ``lastupdate``.
Every pathway of the object sets it to ``t`` when it runs for the synapse (a spike
arriving after its delay); it starts at 0 s, as in Brian2.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.errors import UnknownNameError
from eqsnn.runtime.variables import convert_value

__all__ = ["LastUpdate"]

_SECOND = (1 * units.ureg.second).dimensionality


class LastUpdate:
    """Mixin of :class:`~eqsnn.runtime.synapses.Synapses`: ``lastupdate``,
    ``lastupdate_`` (in seconds, a plain array), both readable and settable."""

    @property
    def lastupdate(self):
        """The time of each synapse's last event (a copy, in synapse order)."""
        return self._kept_lastupdate().copy() * units.ureg.second

    @lastupdate.setter
    def lastupdate(self, value: Any) -> None:
        self._set_lastupdate(value, raw=False)

    @property
    def lastupdate_(self) -> np.ndarray:
        """:attr:`lastupdate` in seconds, without its unit."""
        return self._kept_lastupdate().copy()

    @lastupdate_.setter
    def lastupdate_(self, value: Any) -> None:
        self._set_lastupdate(value, raw=True)

    def _kept_lastupdate(self) -> np.ndarray:
        if not self._uses_lastupdate:
            raise UnknownNameError(
                f"Synapses {self.name!r} keeps no lastupdate: its model has no "
                f"(event-driven) equations and its statements do not read lastupdate",
                hint="as in Brian2, lastupdate exists for synapses with event-driven "
                     "equations (e.g. 'dapre/dt = -apre/taupre : 1 (event-driven)')")
        return self._lastupdate

    def _set_lastupdate(self, value: Any, *, raw: bool) -> None:
        kept = self._kept_lastupdate()
        if isinstance(value, str):
            values = self._evaluate_string(value, "lastupdate", _SECOND)
        else:
            values = convert_value("lastupdate", value, _SECOND, kept.shape, raw=raw)
        kept[:] = values
