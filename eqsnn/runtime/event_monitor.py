"""Brian2's ``EventMonitor(source, event)``: the index and time of each custom event of
a group (a :class:`~eqsnn.runtime.spike_monitors.SpikeMonitor` of that event; see
:mod:`eqsnn.runtime.events`)."""
from __future__ import annotations

from typing import Any

from eqsnn.errors import InvalidValueError
from eqsnn.runtime.spike_monitors import SpikeMonitor

__all__ = ["EventMonitor"]


class EventMonitor(SpikeMonitor):
    """Records the neurons that had ``event`` and when: ``mon.i``, ``mon.t``,
    ``mon.count``, ``mon.num_events`` (as ``SpikeMonitor(source, event=event)``)."""

    def __init__(self, source: Any, event: str, variables: Any = None, *,
                 name: str | None = None):
        if variables:
            raise InvalidValueError(
                "EventMonitor(..., variables) records only which neurons had the event "
                "and when, not the values of variables at it",
                hint="record the variables with a StateMonitor and read them at mon.t")
        super().__init__(source, name=name, event=event)

    @property
    def num_events(self) -> int:
        return self.num_spikes
