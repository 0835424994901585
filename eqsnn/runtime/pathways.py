"""The two pathways of a Synapses object and their delays.

A pathway (``pre``: source spikes run ``on_pre``; ``post``: target spikes run
``on_post``) holds one delay for all its synapses (the common case: no memory per
synapse) until they are given different ones.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError
from eqsnn.lowering.names import BUILTIN_DIMS
from eqsnn.runtime.variables import convert_value

__all__ = ["Pathway", "delays_by_pathway"]

_SECOND = BUILTIN_DIMS["t"]


class Pathway:
    """One direction of a synapse: spikes of its ``sender`` (the source for ``pre``,
    the target for ``post``) run ``statements`` on each synapse after its delay."""

    def __init__(self, synapses, name: str, delay: float):
        self._syn = synapses
        self.name = name
        # The delay of synapses made later, and of all synapses while ``_delay`` is
        # None: one delay for the whole pathway (the common case) costs no memory per
        # synapse. ``_delay`` holds one value per synapse once they differ.
        self._default = delay
        self._delay: np.ndarray | None = None

    def _values(self) -> np.ndarray:
        """The delay of every synapse, in seconds (a new array)."""
        if self._delay is None:
            return np.full(self._syn.N, self._default)
        return self._delay.copy()

    @property
    def statements(self):
        """The statements run at each arrival, as SymPy assignments (event-driven
        variables advanced first); derived again on demand after a warm start."""
        derivation = self._syn._symbolic()
        return derivation.on_pre if self.name == "pre" else derivation.on_post

    @property
    def has_code(self) -> bool:
        return next(iter(self._syn._record.code.values())).pathway(self.name) is not None

    @property
    def delay(self):
        """The delay of each synapse on this pathway (one value per synapse)."""
        return units.from_si(self._values(), _SECOND)

    @property
    def delay_(self) -> np.ndarray:
        """The delays in seconds, without units (a copy)."""
        return self._values()

    @delay.setter
    def delay(self, value: Any) -> None:
        syn = self._syn
        # one duration also becomes the delay of synapses made later
        one = not isinstance(value, (str, list, tuple)) and np.ndim(units.to_si(value)[0]) == 0
        if isinstance(value, str):
            values = syn._evaluate_string(value, "delay", _SECOND)
        else:
            values = convert_value("delay", value, _SECOND, (syn.N,))
        if np.any(values < 0) or not np.all(np.isfinite(values)):
            raise InvalidValueError(f"delays must be finite and not negative (the {self.name} "
                                    f"pathway of {syn.name!r})")
        if one:
            self._default = float(np.asarray(units.to_si(value)[0]))
            self._delay = None
        else:
            self._delay = np.array(values, dtype=np.float64)
        syn._structure_version += 1

    def __repr__(self) -> str:
        return f"Pathway({self.name!r} of {self._syn.name!r})"


def delays_by_pathway(delay: Any) -> dict[str, float]:
    """``delay=`` as ``{"pre": seconds, "post": seconds}``."""
    given = delay if isinstance(delay, Mapping) else {"pre": delay}
    unknown = set(given) - {"pre", "post"}
    if unknown:
        raise InvalidValueError(f"delay={{...}} takes the keys 'pre' and 'post', not "
                                f"{sorted(unknown)}")
    result = {}
    for path in ("pre", "post"):
        value = given.get(path)
        if value is None:
            result[path] = 0.0
            continue
        if isinstance(value, str):
            raise InvalidValueError("delay= takes one duration; set per-synapse delays after "
                                    f"connect(): S.{path}.delay = {value!r}")
        magnitude, dim = units.to_si(value)
        if dim != _SECOND or np.ndim(magnitude) != 0 or not 0 <= magnitude < np.inf:
            raise InvalidValueError(
                "delay must be one non-negative duration such as 1*ms, "
                f"not {units.describe(value)}",
                hint="set per-synapse delays after connect(): S.delay = array or string")
        result[path] = float(magnitude)
    return result
