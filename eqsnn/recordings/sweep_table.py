"""The table of :func:`eqsnn.sweep` in an NWB file, and back.

Format: an NWB file whose ``scratch/sweep`` is an hdmf ``DynamicTable`` with one row
per run and one column per parameter or result, in the order of the table. A column
holding quantities stores plain numbers in one unit; the unit is the column's
``description`` (``"unit: mV"``; ``"unit: none"`` for plain values). Columns of arrays
(a spike count per neuron, say) are ragged columns. Missing values (``None``) become
NaN in number columns and ``""`` in text columns (``None`` again when loaded). The table's ``attrs`` (units, root
seed, …) are the table's ``description``, as JSON.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from eqsnn._extras import require
from eqsnn.errors import InvalidValueError

__all__ = ["save_sweep_table", "load_sweep_table"]


def save_sweep_table(table: Any, path) -> Path:
    """Write a sweep's table (a DataFrame or eqsnn's list of rows) to ``path`` (NWB)."""
    pynwb = require("pynwb", extra="recordings", feature="eqsnn.recordings.save_sweep_table")
    from hdmf.common import DynamicTable
    rows = _rows(table)
    attrs = dict(getattr(table, "attrs", {}) or {})
    column_units = attrs.get("units", {})
    names = list(rows[0]) if rows else []
    sweep = DynamicTable(name="sweep", description=json.dumps(attrs, default=str),
                         id=list(range(len(rows))))
    for name in names:
        values = [row.get(name) for row in rows]
        data, ragged = _column(name, values)
        description = f"unit: {column_units.get(name, 'none')}"
        if ragged:
            sweep.add_column(name=name, description=description, data=data[0],
                             index=data[1])
        else:
            sweep.add_column(name=name, description=description, data=data)
    nwbfile = pynwb.NWBFile(session_description="eqsnn parameter sweep",
                            identifier=str(uuid.uuid4()),
                            session_start_time=datetime.now(timezone.utc))
    nwbfile.add_scratch(sweep)
    path = Path(path)
    with pynwb.NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)
    return path


def load_sweep_table(path) -> Any:
    """The table saved by :func:`save_sweep_table`, as a pandas DataFrame whose
    ``attrs`` are the original ones (``attrs["units"]`` included)."""
    pynwb = require("pynwb", extra="recordings", feature="eqsnn.recordings.load_sweep_table")
    pd = require("pandas", extra="sweep", feature="eqsnn.recordings.load_sweep_table")
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        sweep = io.read().get_scratch("sweep", convert=False)
        frame = sweep.to_dataframe().reset_index(drop=True)
        for name in frame.columns:
            first = frame[name].iloc[0] if len(frame) else None
            if isinstance(first, (list, np.ndarray)):
                frame[name] = pd.Series([np.asarray(v) for v in frame[name]], dtype=object)
            elif isinstance(first, str):
                frame[name] = pd.Series([v or None for v in frame[name]], dtype=object)
        frame.attrs.update(json.loads(sweep.description))
    return frame


def _rows(table: Any) -> list[dict]:
    if hasattr(table, "to_dict") and hasattr(table, "columns"):
        return table.to_dict("records")
    if isinstance(table, list) and all(isinstance(row, dict) for row in table):
        return list(table)
    raise InvalidValueError(
        f"a sweep table is the DataFrame or list of rows eqsnn.sweep returns, not "
        f"{type(table).__name__}")


def _column(name: str, values: list) -> tuple[Any, bool]:
    """Column data (and whether it is ragged) in a form hdmf writes."""
    present = [v for v in values if v is not None and not _is_nan(v)]
    if not present:
        return [""] * len(values), False
    if any(isinstance(v, (list, tuple, np.ndarray)) for v in present):
        flat, index = [], []
        for v in values:
            flat.extend(np.ravel(np.asarray(v if v is not None else [], dtype=float)))
            index.append(len(flat))
        return (np.asarray(flat, dtype=float), index), True
    if all(isinstance(v, (bool, np.bool_)) for v in present) and present:
        return [bool(v) if v is not None else False for v in values], False
    if all(isinstance(v, (int, float, np.integer, np.floating)) for v in present):
        if all(isinstance(v, (int, np.integer)) for v in present) and len(present) == len(values):
            return np.asarray(values, dtype=np.int64), False
        return np.asarray([np.nan if v is None else float(v) for v in values]), False
    return ["" if v is None else str(v) for v in values], False


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and np.isnan(value)
