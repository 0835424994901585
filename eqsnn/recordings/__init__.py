"""Recordings out: eqsnn's monitors as Neo objects and NWB files.

``to_neo(net)`` gives a :class:`neo.Block` (spike trains with units, analog signals)
for Elephant and the other tools that read Neo; ``write_nwb(net, path)`` writes an NWB
file (Units table, TimeSeries with units and rates, the models in the file's metadata)
that pynwb reads back; ``save_sweep_table`` stores the table of :func:`eqsnn.sweep`.
Needs the ``recordings`` extra: ``pip install "eqsnn[recordings]"``.
"""
from __future__ import annotations

import importlib

_PUBLIC = {
    "to_neo": "neo_export",
    "write_nwb": "nwb_export", "read_nwb": "nwb_export",
    "describe_network": "metadata",
    "save_sweep_table": "sweep_table", "load_sweep_table": "sweep_table",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f"eqsnn.recordings.{_PUBLIC[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'eqsnn.recordings' has no attribute {name!r}")


def __dir__():
    return __all__
