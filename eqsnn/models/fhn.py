"""The FitzHugh–Nagumo model: the two-variable caricature of Hodgkin–Huxley.

``tau v' = v - v³/3 - w + I`` (fast, cubic nullcline), ``tau_w w' = v + a - b w`` (slow
recovery). Dimensionless, with ``tau`` setting the time scale. Excitability, a Hopf
bifurcation to oscillations as ``I`` grows, and a phase plane with two nullclines make it
the standard teaching example.
"""
from __future__ import annotations

from typing import Any

from eqsnn.models.base import Model, build
from eqsnn.units import ms

__all__ = ["FitzHughNagumo"]

_CITATION = ("FitzHugh R (1961) Impulses and physiological states in theoretical models of "
             "nerve membrane. Biophys J 1:445-466; Nagumo J, Arimoto S, Yoshizawa S (1962) "
             "An active pulse transmission line simulating nerve axon. Proc IRE "
             "50:2061-2070. Values a = 0.7, b = 0.8, tau_w/tau = 12.5 (epsilon = 0.08) "
             "from FitzHugh (1961).")

_EQUATIONS = """
dv/dt = (v - v**3/3 - w + I) / tau : 1
dw/dt = (v + a - b*w) / tau_w : 1
I : 1
"""


def FitzHughNagumo(preset: str | None = None, **overrides: Any) -> Model:
    """The FitzHugh–Nagumo model (dimensionless ``v``, ``w``, ``I``).

    A spike is counted when ``v`` rises through ``v_spike = 1`` while still growing
    (``dv/dt > 0``), so the long plateau of an action potential counts once; the
    refractory period ``5*tau`` guards against counting the same upstroke twice.
    ``model.stimulus`` (``I = 0.5``) lies inside the oscillatory range.
    """
    template = Model(
        name="FitzHughNagumo", family="FitzHughNagumo", equations=_EQUATIONS,
        threshold="v > v_spike and v - v**3/3 - w + I > 0", reset=None,
        refractory=5 * ms,
        namespace={"a": 0.7, "b": 0.8, "tau": 1 * ms, "tau_w": 12.5 * ms, "v_spike": 1.0},
        method="rk4", citation=_CITATION,
        description="FitzHugh-Nagumo two-variable excitable system (dimensionless)",
        stimulus=0.5)
    return build(template, preset, overrides)
