"""The adaptive exponential integrate-and-fire neuron (AdEx).

``C v' = gL (EL - v) + gL ΔT exp((v - VT)/ΔT) - w + I``, ``tau_w w' = a (v - EL) - w``;
when ``v`` passes ``V_peak``: ``v = V_reset``, ``w += b``. Two variables and a reset give
the whole zoo of cortical firing patterns; Naud et al. (2008) map which parameters give
which pattern, and their parameter sets are the presets here.
"""
from __future__ import annotations

from typing import Any

from eqsnn.models.base import Model, build
from eqsnn.units import mV, ms, nS, pA, pF

__all__ = ["AdEx", "NAUD_PATTERNS"]

_CITATION = ("Brette R, Gerstner W (2005) Adaptive exponential integrate-and-fire model as "
             "an effective description of neuronal activity. J Neurophysiol 94:3637-3642. "
             "Presets: Naud R, Marcille N, Clopath C, Gerstner W (2008) Firing patterns in "
             "the adaptive exponential integrate-and-fire model. Biol Cybern 99:335-347, "
             "Table 1 and Fig. 4, with the values adjusted to reproduce the paper's figures by "
             "P. Müller (Kirchhoff-Institut für Physik, Heidelberg), the set also used by "
             "Brian2's example of this paper; RS/IB/CH: three of those sets named by "
             "the cell type they model.")

_EQUATIONS = """
dv/dt = (gL*(EL - v) + gL*DeltaT*exp((v - VT)/DeltaT) - w + I) / C : volt
dw/dt = (a*(v - EL) - w) / tau_w : amp
I : amp
"""

# Naud et al. (2008), Table 1 (as adjusted to match the paper's figures, see the
# citation): C (pF), gL (nS), EL (mV), VT (mV), DeltaT (mV), a (nS), tau_w (ms), b (pA),
# V_reset (mV), and the step current I (pA) that shows the pattern.
_NAUD = {
    "tonic": (200, 10, -70, -50, 2, 2, 30, 0, -58, 500),
    "adapting": (200, 12, -70, -50, 2, 2, 300, 60, -58, 500),
    "initial_burst": (130, 18, -58, -50, 2, 4, 150, 120, -50, 400),
    "bursting": (200, 10, -58, -50, 2, 2, 120, 100, -46, 210),
    "delayed_accelerating": (200, 12, -70, -50, 2, -10, 300, 0, -58, 300),
    "delayed_bursting": (100, 10, -65, -50, 2, -10, 90, 30, -47, 110),
    "transient": (100, 10, -65, -50, 2, 10, 90, 100, -47, 180),
    "irregular": (100, 12, -60, -50, 2, -11, 130, 30, -48, 160),
}
#: What each Naud et al. (2008) preset does under its step current.
NAUD_PATTERNS = {
    "tonic": "tonic spiking: regular inter-spike intervals from the start",
    "adapting": "adaptation: inter-spike intervals lengthen to a steady value",
    "initial_burst": "initial burst: a few closely spaced spikes, then regular spiking",
    "bursting": "regular bursting: bursts of spikes separated by long pauses",
    "delayed_accelerating": "delayed accelerating: a late first spike, then shortening intervals",
    "delayed_bursting": "delayed regular bursting: a late first spike, then bursts",
    "transient": "transient spiking: a few spikes at onset, then silence",
    "irregular": "irregular spiking: intervals vary without a pattern",
}
# Cortical cell types by their usual names: regular spiking, intrinsically bursting,
# chattering (the values of Naud's tonic, initial burst and regular bursting sets).
_CELL_TYPES = {"RS": ("regular-spiking", "tonic"),
               "IB": ("intrinsically bursting", "initial_burst"),
               "CH": ("chattering", "bursting")}


def _preset(values: tuple, description: str) -> dict[str, Any]:
    C, gL, EL, VT, DeltaT, a, tau_w, b, V_reset, current = values
    return {"C": C * pF, "gL": gL * nS, "EL": EL * mV, "VT": VT * mV,
            "DeltaT": DeltaT * mV, "a": a * nS, "tau_w": tau_w * ms, "b": b * pA,
            "V_reset": V_reset * mV, "stimulus": current * pA, "description": description}


def _presets() -> dict[str, dict[str, Any]]:
    presets = {name: _preset(values, NAUD_PATTERNS[name]) for name, values in _NAUD.items()}
    for name, (cell, naud) in _CELL_TYPES.items():
        values = dict(presets[naud])
        values["description"] = f"{cell} ({name}) cell: Naud et al.'s '{naud}' values"
        presets[name] = values
    return presets


def AdEx(preset: str | None = None, **overrides: Any) -> Model:
    """The adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005).

    Parameters
    ----------
    preset
        A firing pattern of Naud et al. (2008): ``"tonic"``, ``"adapting"``,
        ``"initial_burst"``, ``"bursting"``, ``"delayed_accelerating"``,
        ``"delayed_bursting"``, ``"transient"``, ``"irregular"``; or the cell types
        ``"RS"``, ``"IB"``, ``"CH"`` (regular spiking, intrinsically bursting, chattering). ``None``: tonic values. The preset's step current
        is ``model.stimulus``.
    **overrides
        Parameter values replacing the preset's (``b=80*pA``).

    Notes
    -----
    The spike is cut at ``V_peak = 0 mV``: past ``VT`` the exponential term makes ``v``
    diverge within a fraction of a millisecond, so the exact cut-off barely changes spike
    times. The default method is forward Euler, because a Runge–Kutta stage evaluated
    beyond the cut-off can overflow ``exp``.
    """
    presets = _presets()
    namespace = {k: v for k, v in presets["tonic"].items()
                 if k not in ("stimulus", "description")}
    namespace["V_peak"] = 0 * mV
    template = Model(
        name="AdEx", family="AdEx", equations=_EQUATIONS,
        threshold="v > V_peak", reset="v = V_reset; w += b", refractory=None,
        namespace=namespace, initial={"v": "EL", "w": 0 * pA}, method="euler",
        citation=_CITATION,
        description="adaptive exponential integrate-and-fire (Brette & Gerstner 2005)",
        presets=presets, stimulus=presets["tonic"]["stimulus"])
    return build(template, preset, overrides)
