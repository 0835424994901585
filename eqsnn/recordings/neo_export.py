"""eqsnn monitors → a :class:`neo.Block`: one Segment with a SpikeTrain per recorded
neuron, an AnalogSignal per recorded variable and per population rate.

Values are handed over in SI units (``volt``, ``second``, ``hertz``), as eqsnn keeps
them; Neo's ``quantities`` rescale them on request (``signal.rescale("mV")``).
"""
from __future__ import annotations

import json

import numpy as np

import eqsnn
from eqsnn import units
from eqsnn._extras import require
from eqsnn.recordings.metadata import describe_network, monitors_of, unit_name

__all__ = ["to_neo", "quantities_unit"]

_BASE = {"[mass]": "kg", "[length]": "m", "[time]": "s", "[current]": "A",
         "[temperature]": "K", "[substance]": "mol", "[luminosity]": "cd"}


def _neo():
    return require("neo", extra="recordings", feature="eqsnn.recordings.to_neo")


def quantities_unit(dim):
    """The ``quantities`` unit of eqsnn's SI storage unit for ``dim``."""
    pq = require("quantities", extra="recordings", feature="eqsnn.recordings")
    if dim == units.DIMENSIONLESS:
        return pq.dimensionless
    try:
        return pq.Quantity(1.0, unit_name(dim)).units
    except (LookupError, ValueError, TypeError, SyntaxError):
        unit = pq.dimensionless
        for name, power in dim.items():
            unit = unit * getattr(pq, _BASE[name]) ** power
        return unit.units if hasattr(unit, "units") else unit


def to_neo(net, *, name: str | None = None):
    """The recordings of ``net``'s monitors as a :class:`neo.Block`.

    Parameters
    ----------
    net
        The :class:`eqsnn.Network` that ran (its ``dt`` and ``t`` set the sampling
        period of rates and the end of the spike trains).
    name
        The block's name (default: ``"eqsnn"``).

    Returns
    -------
    neo.Block
        One Segment; ``segment.spiketrains`` (annotated with ``group`` and ``index``),
        ``segment.analogsignals`` (``group``, ``variable``; ``array_annotations["index"]``
        holds the recorded neurons) and the model description in
        ``block.annotations["eqsnn_model"]`` (JSON text, see
        :func:`~eqsnn.recordings.describe_network`).
    """
    neo = _neo()
    pq = require("quantities", extra="recordings", feature="eqsnn.recordings.to_neo")
    block = neo.Block(name=name or "eqsnn",
                      eqsnn_model=json.dumps(describe_network(net)))
    segment = neo.Segment(name="run")
    block.segments.append(segment)
    t_stop = float(net.t_)
    dt = float(net.dt.to("second").magnitude)
    for monitor in monitors_of(net):
        if isinstance(monitor, eqsnn.SpikeMonitor):
            segment.spiketrains.extend(_spike_trains(neo, pq, monitor, t_stop))
        elif isinstance(monitor, eqsnn.StateMonitor):
            segment.analogsignals.extend(_state_signals(neo, pq, monitor, dt))
        else:
            segment.analogsignals.append(_rate_signal(neo, pq, monitor, dt))
    return block


def _spike_trains(neo, pq, monitor, t_stop: float) -> list:
    i, t = monitor.i, monitor.t_
    trains = []
    for k in range(monitor.stop - monitor.start):
        times = t[i == k]
        trains.append(neo.SpikeTrain(times, units=pq.s, t_start=0.0 * pq.s,
                                     t_stop=max(t_stop, float(times.max(initial=0.0))) * pq.s,
                                     name=f"{monitor.group.name}[{monitor.start + k}]",
                                     group=monitor.group.name, index=monitor.start + k,
                                     monitor=monitor.name))
    return trains


def _period(times: np.ndarray, dt: float) -> float:
    return float(times[1] - times[0]) if times.size > 1 else dt


def _state_signals(neo, pq, monitor, dt: float) -> list:
    signals = []
    times = monitor.t_
    for var in monitor.variables:
        values = getattr(monitor, var + "_")   # (recorded, times), SI
        dim = units.dimension_of(getattr(monitor, var))
        signal = neo.AnalogSignal(
            values.T, units=quantities_unit(dim),
            sampling_period=_period(times, dt) * pq.s,
            t_start=(float(times[0]) if times.size else 0.0) * pq.s,
            name=f"{monitor.group.name}.{var}", group=monitor.group.name, variable=var,
            monitor=monitor.name)
        signal.array_annotate(index=np.asarray(monitor.record) + monitor.start)
        signals.append(signal)
    return signals


def _rate_signal(neo, pq, monitor, dt: float):
    times = monitor.t_
    return neo.AnalogSignal(
        monitor.rate_[:, None], units=pq.Hz, sampling_period=dt * pq.s,
        t_start=(float(times[0]) if times.size else 0.0) * pq.s,
        name=f"{monitor.group.name}.rate", group=monitor.group.name, variable="rate",
        monitor=monitor.name)
