"""eqsnn's built-in neuron models, as equation strings with defaults and presets.

Every model is a :class:`Model`: print one to see its equations, parameters, presets
and citation; pass it to :class:`~eqsnn.NeuronGroup` (or call ``model.group(N)``) to
simulate it; change values with ``model.with_parameters(...)``.

>>> from eqsnn.models import AdEx, Izhikevich, catalogue
>>> bursting = AdEx("bursting")
>>> cells = Izhikevich("CH").group(100)          # doctest: +SKIP

``catalogue()`` lists every model and preset by name; ``get(name)`` builds one.
Analysis: resting state and fixed points in :mod:`eqsnn.models.analysis`, nullclines in
:mod:`eqsnn.models.phase_plane`, f–I curves in :mod:`eqsnn.models.firing`.
"""
from __future__ import annotations

import difflib
from functools import partial
from typing import Callable

from eqsnn.errors import InvalidValueError
from eqsnn.models.adex import NAUD_PATTERNS, AdEx
from eqsnn.models.analysis import FixedPoint, fixed_points, jacobian, resting_state
from eqsnn.models.base import REST, Model
from eqsnn.models.fhn import FitzHughNagumo
from eqsnn.models.firing import FICurve, fi_curve
from eqsnn.models.hh import HodgkinHuxley, TraubMiles
from eqsnn.models.izhikevich import Izhikevich, Izhikevich2007
from eqsnn.models.lif import LIF, lif_rate
from eqsnn.models.phase_plane import Nullclines, nullclines
from eqsnn.models import stdp, synapses  # noqa: E402  (synapse models and STDP rules)
from eqsnn.models.synapses import SynapseModel

__all__ = [
    "Model", "REST", "LIF", "Izhikevich", "Izhikevich2007", "AdEx", "HodgkinHuxley",
    "TraubMiles", "FitzHughNagumo", "NAUD_PATTERNS", "lif_rate", "catalogue", "get",
    "resting_state", "fixed_points", "jacobian", "nullclines", "fi_curve", "FixedPoint",
    "Nullclines", "FICurve",
]
__all__ += ["SynapseModel", "stdp", "synapses", "synapse_catalogue"]

#: Synapse models (kernels and STDP rules): name → constructor taking the preset.
_SYNAPSE_FAMILIES: dict[str, Callable] = {**synapses.KERNELS, **stdp.RULES}

#: Base names (before any ":preset") → constructor taking the preset.
_FAMILIES: dict[str, Callable[..., Model]] = {
    "LIF": LIF,
    "LIF-conductance": partial(LIF, synapses="conductance"),
    "LIF-capacitance": partial(LIF, form="capacitance"),
    "LIF-capacitance-conductance": partial(LIF, form="capacitance", synapses="conductance"),
    "Izhikevich": Izhikevich,
    "Izhikevich2007": Izhikevich2007,
    "AdEx": AdEx,
    "HodgkinHuxley": HodgkinHuxley,
    "TraubMiles": TraubMiles,
    "FitzHughNagumo": FitzHughNagumo,
}


def catalogue() -> dict[str, str]:
    """Every built-in model and preset: name → one-line description.

    Names are what :func:`get` (and ``eqsnn derive NAME``) accept: a base model
    (``"AdEx"``) or a base model and a preset (``"AdEx:bursting"``).
    """
    entries: dict[str, str] = {}
    for base, make in _FAMILIES.items():
        model = make()
        entries[base] = model.description
        for preset, values in model.presets.items():
            # One line: the preset's own note, after the family's description.
            entries[f"{base}:{preset}"] = values.get("description", model.description)
    return entries


def synapse_catalogue() -> dict[str, str]:
    """Every built-in synapse model (kernels, STDP rules) and preset: name → description.
    :func:`get` builds them by name too."""
    entries: dict[str, str] = {}
    for base, make in _SYNAPSE_FAMILIES.items():
        model = make()
        entries[base] = model.description
        for preset, values in model.presets.items():
            entries[f"{base}:{preset}"] = values.get("description", model.description)
    return entries


def get(name: str) -> Model:
    """The built-in model called ``name`` (see :func:`catalogue`), e.g. ``"Izhikevich:FS"``.

    Raises
    ------
    InvalidValueError
        For an unknown model or preset, with the closest match and the valid names.
    """
    base, _, preset = name.partition(":")
    if base in _SYNAPSE_FAMILIES:
        return _SYNAPSE_FAMILIES[base](preset or None)
    if base not in _FAMILIES:
        close = difflib.get_close_matches(base, list(_FAMILIES), n=1)
        hint = (f"did you mean {close[0]!r}? " if close else "") + \
            f"the models are: {', '.join(_FAMILIES)}"
        raise InvalidValueError(f"there is no built-in model {base!r}", hint=hint)
    return _FAMILIES[base](preset or None)
