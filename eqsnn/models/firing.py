"""Firing rate against constant input, simulated: one network, one compile, one neuron
per current."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError
from eqsnn.models.analysis import _short

__all__ = ["FICurve", "fi_curve"]


@dataclass(frozen=True)
class FICurve:
    """Firing rate against constant input.

    ``rates``: spikes after ``transient`` divided by the time after it;
    ``isi_rates``: 1/(mean inter-spike interval) after ``transient`` (0 with fewer than
    two spikes) — the steady rate, free of the counting error of a finite window.
    """

    currents: Any
    rates: Any
    isi_rates: Any
    counts: np.ndarray
    spike_trains: dict[int, np.ndarray]


def fi_curve(model, currents: Any, duration: Any = None, *, transient: Any = None,
             dt: Any = None, backend: str | None = None, method: str | None = None) -> FICurve:
    """Firing rate against constant input: one neuron per current, one network.

    All currents are simulated together, as one group in one network run (one compile),
    so a fine sweep costs little more than a single neuron on the Cython backend.

    Parameters
    ----------
    model
        A model with an input parameter (``model.input``, usually ``I``).
    currents
        The input values (a quantity array in the unit of the input).
    duration
        Simulated time (default 1 s).
    transient
        Time at the start not counted (default 0): for adapting models pass a few
        hundred ms to measure the steady rate.
    dt, backend, method
        Passed to the network and the group (default dt: 0.1 ms).

    Returns
    -------
    FICurve
        ``rates`` and ``isi_rates`` in Hz, one per current, with the spike counts and
        the spike times (seconds) of each neuron.

    Raises
    ------
    InvalidValueError
        If the model declares no input parameter ``model.input``, or the transient is
        not shorter than the duration.
    """
    from eqsnn.runtime import Network, SpikeMonitor
    ms, second = units.ureg.ms, units.ureg.second
    if model.input not in model.parameter_names:
        raise InvalidValueError(
            f"fi_curve needs an input parameter, but {model.name!r} declares no "
            f"{model.input!r}", hint=f"declare it in the equations ('{model.input} : amp') "
                                    f"and use it in the membrane equation")
    duration = 1 * second if duration is None else duration
    transient = 0 * ms if transient is None else transient
    dt = 0.1 * ms if dt is None else dt
    start, stop = float(units.to_si(transient)[0]), float(units.to_si(duration)[0])
    if not 0 <= start < stop:
        raise InvalidValueError(
            f"the transient ({_short(transient)}) must be shorter than the duration "
            f"({_short(duration)})", hint="lengthen the run or shorten the transient")
    count = int(np.size(units.to_si(currents)[0]))
    kwargs = {"method": method} if method is not None else {}
    group = model.group(count, name="fi_curve", **kwargs)
    setattr(group, model.input, currents)
    spikes = SpikeMonitor(group)
    Network(group, spikes, dt=dt, backend=backend).run(duration)
    trains = _spike_trains(spikes.i, spikes.t_, count)
    counts = np.array([np.count_nonzero(train >= start) for train in trains.values()])
    isi_rates = np.zeros(count)
    for k, train in trains.items():
        late = train[train >= start]
        if late.size >= 2:
            isi_rates[k] = 1.0 / np.mean(np.diff(late))
    hz = units.ureg.hertz
    return FICurve(currents, counts / (stop - start) * hz, isi_rates * hz, counts, trains)


def _spike_trains(indices: np.ndarray, times: np.ndarray, count: int) -> dict[int, np.ndarray]:
    """Spike times of each neuron, in time order (one stable sort, not N scans)."""
    order = np.argsort(indices, kind="stable")
    bounds = np.searchsorted(indices[order], np.arange(count + 1))
    return {k: times[order[bounds[k]:bounds[k + 1]]] for k in range(count)}
