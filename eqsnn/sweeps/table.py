"""The tidy table of a sweep: one row per run, one column per parameter or result.

Quantities are stored as plain numbers in one unit per column (the unit of the first
row that has a value there); the units are listed in ``table.attrs["units"]``. Plain
numbers plot, group and aggregate in pandas; pint objects in a DataFrame do not.
"""
from __future__ import annotations

from typing import Any, Sequence

from eqsnn import units
from eqsnn.sweeps.params import RunPlan
from eqsnn.sweeps.transport import Magnitude, encode

__all__ = ["Records", "make_table", "pandas_available"]

_TRAILING = ("error", "backend", "note", "compilations", "seconds", "worker")


class Records(list):
    """A list of dict rows with the same ``attrs`` a DataFrame would carry (the table
    when pandas is not installed)."""

    def __init__(self, rows=(), attrs: dict | None = None):
        super().__init__(rows)
        self.attrs = dict(attrs or {})

    def column(self, name: str) -> list:
        """The values of one column, in run order."""
        return [row.get(name) for row in self]


def pandas_available() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def make_table(plans: Sequence[RunPlan], reports: dict[int, dict], attrs: dict,
               as_frame: bool | None) -> Any:
    """Rows in run order; a DataFrame if ``as_frame`` (``None``: if pandas is installed)."""
    column_units: dict[str, str] = {}
    rows = []
    for plan in plans:
        report = reports[plan.index]
        row: dict[str, Any] = {"run": plan.index}
        for name, value in encode(dict(plan.params)).items():
            row[name] = _plain(name, value, column_units)
        row["repeat"], row["seed"] = plan.repeat, plan.seed
        for name, value in report["outputs"].items():
            row[name] = _plain(name, value, column_units)
        for name in _TRAILING:
            row[name] = report.get(name)
        rows.append(row)
    attrs = {**attrs, "units": column_units}
    if as_frame is None:
        as_frame = pandas_available()
    if not as_frame:
        return Records(rows, attrs)
    import pandas as pd
    frame = pd.DataFrame(rows, columns=_column_order(rows))
    frame.attrs.update(attrs)
    return frame


def _plain(name: str, value: Any, column_units: dict[str, str]) -> Any:
    """A number (or array) in the column's unit; the first quantity sets the unit."""
    if not isinstance(value, Magnitude):
        return value
    unit = column_units.setdefault(name, value.unit)
    if value.unit == unit:
        return value.value
    return units.ureg.Quantity(value.value, value.unit).to(unit).magnitude


def _column_order(rows: list[dict]) -> list[str]:
    order: dict[str, None] = {}
    for row in rows:
        order.update(dict.fromkeys(k for k in row if k not in _TRAILING))
    return list(order) + list(_TRAILING)
