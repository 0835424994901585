"""Brian2's ``EventMonitor(source, event)``: the index and time of each custom event of
a group (a :class:`~eqsnn.runtime.spike_monitors.SpikeMonitor` of that event; see
:mod:`eqsnn.runtime.events`)."""
from __future__ import annotations

from typing import Any, Sequence

from eqsnn.runtime.spike_monitors import SpikeMonitor

__all__ = ["EventMonitor"]


class EventMonitor(SpikeMonitor):
    """Records the neurons that had ``event`` and when: ``mon.i``, ``mon.t``,
    ``mon.count``, ``mon.num_events``, ``mon.event_trains()`` (as
    ``SpikeMonitor(source, event=event)``); with ``variables=``, their values at each
    event (``mon.v``, ``mon.values("v")``, ``mon.all_values()``), taken where the event
    is detected, before any ``run_on_event`` code runs, as in Brian2; ``record=False``
    keeps only the counts."""

    _what = "event"

    def __init__(self, source: Any, event: str, variables: str | Sequence[str] | None = None,
                 record: bool = True, *, name: str | None = None, when: str | None = None,
                 order: int | None = None):
        super().__init__(source, variables, record, name=name, when=when, order=order,
                         event=event)
