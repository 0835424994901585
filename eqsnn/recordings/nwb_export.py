"""eqsnn monitors → an NWB file (pynwb).

Layout of the file written by :func:`write_nwb`:

* ``units`` — the Units table: one row per neuron of every SpikeMonitor, with its
  ``spike_times`` (seconds) and the columns ``group`` (group name) and ``neuron``
  (index in the group);
* ``acquisition/<group>.<variable>`` — one TimeSeries per recorded variable of each
  StateMonitor: data of shape ``(times, recorded neurons)`` in the SI unit named in
  ``unit``, ``rate`` and ``starting_time``; its ``comments`` hold the recorded indices
  as JSON, its ``description`` the equation line that defines the variable;
* ``acquisition/<group>.rate`` — the PopulationRateMonitor's rate in hertz;
* the file's ``notes`` — the JSON model description of
  :func:`~eqsnn.recordings.describe_network` (equations, threshold, reset,
  refractoriness, method and constants of every group and synapse set); its
  ``source_script`` the equations as text.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

import eqsnn
from eqsnn import units
from eqsnn._extras import require
from eqsnn.errors import InvalidValueError
from eqsnn.recordings.metadata import describe_network, monitors_of, unit_name

__all__ = ["write_nwb", "read_nwb"]


def _pynwb():
    return require("pynwb", extra="recordings", feature="eqsnn.recordings.write_nwb")


def write_nwb(net, path, *, session_description: str = "eqsnn simulation",
              identifier: str | None = None, session_start_time: datetime | None = None,
              **nwbfile_fields) -> Path:
    """Write the recordings of ``net``'s monitors to the NWB file ``path``.

    Parameters
    ----------
    net
        The :class:`eqsnn.Network` that ran.
    path
        Where to write (``.nwb``); an existing file is replaced.
    session_description, identifier, session_start_time
        The NWB file's required fields (defaults: a description, a fresh UUID, now).
    **nwbfile_fields
        More fields for :class:`pynwb.NWBFile` (``experimenter=``, ``lab=``, …).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    pynwb = _pynwb()
    model = describe_network(net)
    nwbfile = pynwb.NWBFile(
        session_description=session_description,
        identifier=identifier or str(uuid.uuid4()),
        session_start_time=session_start_time or datetime.now(timezone.utc),
        notes=json.dumps(model), source_script=_equations_text(model),
        source_script_file_name="eqsnn model", **nwbfile_fields)
    dt = float(net.dt.to("second").magnitude)
    spike_monitors = []
    for monitor in monitors_of(net):
        if isinstance(monitor, eqsnn.SpikeMonitor):
            spike_monitors.append(monitor)
        elif isinstance(monitor, eqsnn.StateMonitor):
            for series in _state_series(pynwb, monitor, dt):
                nwbfile.add_acquisition(series)
        else:
            nwbfile.add_acquisition(_rate_series(pynwb, monitor, dt))
    if spike_monitors:
        _add_units(nwbfile, spike_monitors)
    path = Path(path)
    with pynwb.NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)
    return path


def read_nwb(path) -> dict:
    """What :func:`write_nwb` stored, as plain data read with pynwb.

    Returns ``{"model": …, "spikes": {group: {neuron: times}}, "signals": {name:
    {"t": times, "data": values, "unit": unit, "index": recorded neurons}}}`` (SI).
    """
    pynwb = _pynwb()
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        nwbfile = io.read()
        spikes: dict[str, dict[int, np.ndarray]] = {}
        if nwbfile.units is not None:
            table = nwbfile.units
            for row in range(len(table)):
                group = table["group"][row]
                spikes.setdefault(group, {})[int(table["neuron"][row])] = \
                    np.asarray(table["spike_times"][row])
        signals = {}
        for name, series in nwbfile.acquisition.items():
            data = np.asarray(series.data[:])
            comments = json.loads(series.comments) if series.comments.startswith("{") else {}
            signals[name] = {"t": series.starting_time + np.arange(data.shape[0]) / series.rate,
                             "data": data, "unit": series.unit,
                             "index": np.asarray(comments.get("index", []), dtype=np.int64)}
        return {"model": json.loads(nwbfile.notes), "spikes": spikes, "signals": signals}


def _equations_text(model: dict) -> str:
    parts = []
    for obj in model["objects"]:
        if "equations" in obj:
            parts.append(f"# {obj['type']} {obj['name']} (N={obj['N']})\n"
                         f"{obj['equations'].strip()}")
    return "\n\n".join(parts)


def _add_units(nwbfile, monitors) -> None:
    nwbfile.add_unit_column("group", "name of the eqsnn group the neuron belongs to")
    nwbfile.add_unit_column("neuron", "index of the neuron in its group")
    for monitor in monitors:
        i, t = monitor.i, monitor.t_
        for k in range(monitor.stop - monitor.start):
            nwbfile.add_unit(spike_times=t[i == k], group=monitor.group.name,
                             neuron=monitor.start + k)


def _start_and_rate(times: np.ndarray, dt: float) -> tuple[float, float]:
    period = float(times[1] - times[0]) if times.size > 1 else dt
    return (float(times[0]) if times.size else 0.0), 1.0 / period


def _state_series(pynwb, monitor, dt: float) -> list:
    start, rate = _start_and_rate(monitor.t_, dt)
    group = monitor.group
    series = []
    for var in monitor.variables:
        dim = units.dimension_of(getattr(monitor, var))
        series.append(pynwb.TimeSeries(
            name=f"{group.name}.{var}", data=getattr(monitor, var + "_").T,
            unit=unit_name(dim), starting_time=start, rate=rate,
            description=_definition(group, var),
            comments=json.dumps({"group": group.name, "variable": var,
                                 "index": (np.asarray(monitor.record)
                                           + monitor.start).tolist()})))
    return series


def _rate_series(pynwb, monitor, dt: float):
    start, rate = _start_and_rate(monitor.t_, dt)
    if monitor.t_.size == 0:
        raise InvalidValueError(f"{monitor.name!r} has recorded nothing yet",
                                hint="run the network before writing its recordings")
    return pynwb.TimeSeries(
        name=f"{monitor.group.name}.rate", data=monitor.rate_, unit="hertz",
        starting_time=start, rate=rate,
        description=f"population rate of {monitor.group.name} "
                    f"({monitor.stop - monitor.start} neurons)",
        comments=json.dumps({"group": monitor.group.name, "variable": "rate"}))


def _definition(group, var: str) -> str:
    model = group.model if isinstance(group.model, str) else getattr(group.model, "source", "")
    for line in model.splitlines():
        head = line.split(":")[0]
        if var in head.replace("/", " ").replace("=", " ").split() or \
                head.strip().startswith(f"d{var}/dt"):
            return line.strip()
    return var
