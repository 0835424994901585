"""``get_states()`` / ``set_states()``: all of an object's variables at once, as Brian2's
(``docs_sphinx/user/models.rst``, "Storing state variables").

An object's states are named entries: its model's variables, the built-in ones Brian2
lists (``N``, ``i``, ``t``, ``dt``, ``t_in_timesteps``; ``lastspike`` and
``not_refractory`` of a group with a refractoriness; ``j``, ``N_pre`` … of synapses,
with the source's and target's variables as ``x_pre`` / ``x_post`` / ``x``), or what a
monitor recorded. Each entry reads a copy of its values (with units or SI floats) and,
unless it is read-only, writes through the object's own checks (``G.v = ...``).

``format="dict"`` gives ``{name: values}``; ``format="pandas"`` a ``DataFrame`` (without
units, as in Brian2; pandas is imported only then). The network's are
``{object name: states}``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from eqsnn.errors import InvalidValueError

if TYPE_CHECKING:  # pragma: no cover
    from eqsnn.runtime.state_entries import Entry

__all__ = ["HasStates", "NetworkStates", "FORMATS"]

FORMATS = ("dict", "pandas")


class HasStates:
    """Mixin: Brian2's ``get_states`` and ``set_states`` (the entries come from
    :func:`entries_of`)."""

    def get_states(self, vars=None, units: bool = True, format: str = "dict",
                   subexpressions: bool = False, read_only_variables: bool = True,
                   level: int = 0):
        """A copy of the values of the variables ``vars`` (default: every variable,
        subexpressions only with ``subexpressions=True``, read-only ones such as ``N``,
        ``i``, ``t`` unless ``read_only_variables=False``), with units (``units=True``)
        or in SI floats, as a dict or (``format="pandas"``, ``units=False``) a pandas
        ``DataFrame``. Changing the result changes nothing. ``level`` is accepted for
        Brian2's sake (eqsnn looks no names up on the caller's stack)."""
        _check_format(format, units, self)
        entries = entries_of(self)
        if vars is None:
            names = [name for name, entry in entries.items()
                     if (subexpressions or not entry.subexpression)
                     and (read_only_variables or entry.write is not None)]
        else:
            names = [vars] if isinstance(vars, str) else list(vars)
            for name in names:
                _entry(entries, name, self)
        data = {name: entries[name].read(units) for name in names}
        return data if format == "dict" else _data_frame(data, self)

    def set_states(self, values, units: bool = True, format: str = "dict",
                   level: int = 0) -> None:
        """Set several variables at once from ``{name: values}`` (or, with
        ``format="pandas"`` and ``units=False``, a ``DataFrame`` with one column per
        variable), each checked as ``obj.name = values`` is (``units=False``: as
        ``obj.name_ = values``, SI floats). Read-only variables are refused."""
        _check_format(format, units, self)
        if format == "pandas":
            if not hasattr(values, "columns"):
                raise InvalidValueError(f"set_states(format='pandas') of {self.name!r} takes "
                                        f"a pandas DataFrame, not {type(values).__name__}",
                                        hint="format='dict' for a dict of values")
            values = {column: np.squeeze(np.asarray(values[column])) for column in values.columns}
        if not isinstance(values, Mapping):
            raise InvalidValueError(f"set_states() of {self.name!r} takes a dict of "
                                    f"{{variable name: values}}, not {type(values).__name__}",
                                    hint="e.g. G.set_states({'v': [0, 1, 2]*mV})")
        entries = entries_of(self)
        for name in values:  # every name checked before anything is written
            if _entry(entries, name, self).write is None:
                raise InvalidValueError(
                    f"{name!r} of {self.name!r} is read-only: set_states() cannot set it",
                    hint="get_states(read_only_variables=False) gives the variables "
                         "set_states() can set")
        for name, value in values.items():
            entries[name].write(value, units)


class NetworkStates:
    """Mixin of :class:`~eqsnn.Network`: the states of each of its objects by name."""

    def get_states(self, units: bool = True, format: str = "dict",
                   subexpressions: bool = False, read_only_variables: bool = True,
                   level: int = 0) -> dict:
        """``{object name: object.get_states(...)}`` for every object of the network
        that has states (groups, synapses and their pathways, monitors)."""
        return {name: obj.get_states(units=units, format=format,
                                     subexpressions=subexpressions,
                                     read_only_variables=read_only_variables)
                for name, obj in _with_states(self).items()}

    def set_states(self, values: Mapping[str, Any], units: bool = True,
                   format: str = "dict", level: int = 0) -> None:
        """Set the states of objects by name: ``{"neurons": {"v": ...}, ...}``."""
        objects = _with_states(self)
        for name in values:
            if name not in objects:
                raise InvalidValueError(
                    f"the network has no object named {name!r} with states",
                    hint=f"its objects with states are {sorted(objects)}")
        for name, states in values.items():
            objects[name].set_states(states, units=units, format=format)


# --- helpers ------------------------------------------------------------------------
def _with_states(net) -> dict:
    objects = {}
    for obj in net.objects:
        if isinstance(obj, HasStates):
            objects[obj.name] = obj
        for pathway in obj.pathways.values() if _is_synapses(obj) else ():
            if pathway.has_code:  # (Brian2 makes a pathway for on_pre/on_post given)
                objects[f"{obj.name}_{pathway.name}"] = PathwayStates(obj, pathway)
    return objects


def _is_synapses(obj) -> bool:
    return getattr(obj, "_kind", None) == "synapses"


def _check_format(format: str, with_units: bool, obj) -> None:
    if format not in FORMATS:
        raise InvalidValueError(f"format {format!r} is not supported (of {obj.name!r})",
                                hint="format='dict' or format='pandas'")
    if format == "pandas" and with_units:
        raise InvalidValueError("a pandas DataFrame holds values without units",
                                hint="pass units=False (values in SI units), as in Brian2")


def _entry(entries: Mapping[str, Entry], name: str, obj) -> Entry:
    entry = entries.get(name)
    if entry is None:
        from eqsnn.equations.hints import did_you_mean
        raise InvalidValueError(f"{type(obj).__name__} {obj.name!r} has no variable {name!r}",
                                hint=did_you_mean(name, list(entries))
                                or f"its variables are {sorted(entries)}")
    return entry


def _data_frame(data: dict, obj):
    try:
        import pandas
    except ImportError:
        raise InvalidValueError("format='pandas' needs pandas, which is not installed",
                                hint='pip install pandas (or pip install "eqsnn[sweep]", '
                                     'which brings it)') from None
    columns = {name: np.asarray(value) for name, value in data.items()}
    wide = sorted(name for name, value in columns.items() if value.ndim > 1)
    if wide:
        raise InvalidValueError(f"{', '.join(wide)} of {obj.name!r} have one row per time "
                                f"and a column per index: they do not fit one column",
                                hint="format='dict', or get_states(vars=[...]) without them")
    return pandas.DataFrame(columns)


def entries_of(obj) -> dict[str, Entry]:
    """The named states of a group, subgroup, synapses, pathway or monitor."""
    from eqsnn.runtime import state_entries
    return state_entries.entries(obj)


class PathwayStates(HasStates):
    """A pathway's states in the network's (Brian2's ``syn_pre``): the synapses' and
    ``delay``."""

    def __init__(self, syn, pathway):
        self.syn, self.pathway = syn, pathway
        self.name = f"{syn.name}_{pathway.name}"
