"""Izhikevich's simple model: a quadratic membrane and one recovery variable.

Two published forms:

* 2003, normalised: ``v' = 0.04 v² + 5 v + 140 - u + I``, ``u' = a (b v - u)`` with
  ``v`` in mV and time in ms; the classic presets RS, IB, CH, FS, LTS, TC, RZ.
* 2007, dimensional: ``C v' = k (v - v_r)(v - v_t) - u + I``, ``u' = a (b (v - v_r) - u)``
  with the book's RS, IB and CH cells.

Both reset ``v = c; u += d`` when ``v`` reaches the spike peak.
"""
from __future__ import annotations

from typing import Any

from eqsnn.errors import InvalidValueError
from eqsnn.models.base import Model, build
from eqsnn.units import mV, ms, nS, pA, pF

__all__ = ["Izhikevich", "Izhikevich2007"]

_CITATION_2003 = ("Izhikevich EM (2003) Simple model of spiking neurons. IEEE Trans Neural "
                  "Netw 14(6):1569-1572. Presets: Fig. 2 of that paper (RZ: Izhikevich EM "
                  "(2004) IEEE Trans Neural Netw 15(5):1063-1070, Fig. 1).")
_CITATION_2007 = ("Izhikevich EM (2007) Dynamical Systems in Neuroscience: The Geometry of "
                  "Excitability and Bursting, ch. 8 (RS: Fig. 8.12, IB: Fig. 8.19, CH: "
                  "Fig. 8.23). MIT Press.")

# The paper's equation with units made explicit: v and u in mV, time in ms. I is a
# "current" in mV/ms units times ms, i.e. a voltage, as in the paper (I = 10 there).
_EQUATIONS_2003 = """
dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I) / ms : volt
du/dt = a*(b*v - u) / ms : volt
I : volt
"""
# (a, b, c, d) of Izhikevich (2003), Fig. 2; c and d in mV.
_PRESETS_2003 = {
    "RS": (0.02, 0.2, -65, 8),     # regular spiking (excitatory cortical)
    "IB": (0.02, 0.2, -55, 4),     # intrinsically bursting
    "CH": (0.02, 0.2, -50, 2),     # chattering
    "FS": (0.1, 0.2, -65, 2),      # fast spiking (inhibitory)
    "LTS": (0.02, 0.25, -65, 2),   # low-threshold spiking (inhibitory)
    "TC": (0.02, 0.25, -65, 0.05),  # thalamo-cortical
    "RZ": (0.1, 0.26, -65, 2),     # resonator
}
_DESCRIPTIONS_2003 = {
    "RS": "regular spiking: adapting tonic firing",
    "IB": "intrinsically bursting: an initial burst, then tonic spikes",
    "CH": "chattering: repetitive fast bursts",
    "FS": "fast spiking: high rate without adaptation",
    "LTS": "low-threshold spiking: high rate with adaptation",
    "TC": "thalamo-cortical: tonic when depolarised, rebound burst after inhibition",
    "RZ": "resonator: damped subthreshold oscillations",
}

_EQUATIONS_2007 = """
dv/dt = (k*(v - v_r)*(v - v_t) - u + I) / C : volt
du/dt = a*(b*(v - v_r) - u) : amp
I : amp
"""
# Izhikevich (2007) ch. 8: C, k, v_r, v_t, v_peak, a, b, c, d.
_PRESETS_2007 = {
    "RS": dict(C=100 * pF, k=0.7 * pA / mV**2, v_r=-60 * mV, v_t=-40 * mV, v_peak=35 * mV,
               a=0.03 / ms, b=-2 * nS, c=-50 * mV, d=100 * pA),
    "IB": dict(C=150 * pF, k=1.2 * pA / mV**2, v_r=-75 * mV, v_t=-45 * mV, v_peak=50 * mV,
               a=0.01 / ms, b=5 * nS, c=-56 * mV, d=130 * pA),
    "CH": dict(C=50 * pF, k=1.5 * pA / mV**2, v_r=-60 * mV, v_t=-40 * mV, v_peak=25 * mV,
               a=0.03 / ms, b=1 * nS, c=-40 * mV, d=150 * pA),
}


def Izhikevich(preset: str | None = None, *, form: str = "2003", **overrides: Any) -> Model:
    """Izhikevich's simple model.

    Parameters
    ----------
    preset
        2003 form: ``"RS"``, ``"IB"``, ``"CH"``, ``"FS"``, ``"LTS"``, ``"TC"``, ``"RZ"``;
        2007 form: ``"RS"``, ``"IB"``, ``"CH"``. ``None``: regular spiking values.
    form
        ``"2003"`` (normalised, ``a, b, c, d``) or ``"2007"`` (dimensional, see
        :func:`Izhikevich2007`).
    **overrides
        Parameter values replacing the preset's (``d=6*mV``).

    Examples
    --------
    >>> from eqsnn.models import Izhikevich
    >>> Izhikevich("FS").namespace["a"]
    0.1
    """
    if form == "2007":
        return Izhikevich2007(preset, **overrides)
    if form != "2003":
        raise InvalidValueError(f"Izhikevich has no form {form!r}",
                                hint="choose form='2003' (a, b, c, d) or form='2007' (C, k, …)")
    presets = {name: {"a": a, "b": b, "c": c * mV, "d": d * mV,
                      "description": _DESCRIPTIONS_2003[name]}
               for name, (a, b, c, d) in _PRESETS_2003.items()}
    rs = presets["RS"]
    template = Model(
        name="Izhikevich", family="Izhikevich", equations=_EQUATIONS_2003,
        threshold="v >= v_peak", reset="v = c; u += d", refractory=None,
        namespace={"a": rs["a"], "b": rs["b"], "c": rs["c"], "d": rs["d"],
                   "v_peak": 30 * mV},
        # Izhikevich integrates with forward Euler; the reset at v_peak keeps the
        # quadratic blow-up from ever being integrated past the peak.
        method="euler", citation=_CITATION_2003,
        description="Izhikevich (2003) simple model, normalised form (a, b, c, d)",
        presets=presets, stimulus=10 * mV)
    return build(template, preset, overrides)


def Izhikevich2007(preset: str | None = None, **overrides: Any) -> Model:
    """Izhikevich's simple model in the dimensional form of his 2007 book.

    ``C dv/dt = k (v - v_r)(v - v_t) - u + I``, ``du/dt = a (b (v - v_r) - u)``; at
    ``v >= v_peak``: ``v = c``, ``u += d``. Presets ``"RS"``, ``"IB"``, ``"CH"``
    (``None``: RS).
    """
    template = Model(
        name="Izhikevich2007", family="Izhikevich2007", equations=_EQUATIONS_2007,
        threshold="v >= v_peak", reset="v = c; u += d", refractory=None,
        namespace=_PRESETS_2007["RS"], method="euler", citation=_CITATION_2007,
        description="Izhikevich (2007) simple model, dimensional form (C, k, v_r, v_t, …)",
        presets={name: dict(values, description=f"{name} cell of Izhikevich (2007)")
                 for name, values in _PRESETS_2007.items()})
    return build(template, preset, overrides)
