"""Spike-timing-dependent plasticity rules as synapse models (equation strings).

Every rule keeps its spike traces ``(event-driven)``: they are advanced exactly, from
the synapse's last event to the current one, only when a spike arrives — no work between
spikes and no discretisation error. Each rule bounds the weight (``clip``).

``target`` names the variable of the target neuron that a presynaptic spike increments
by ``w`` (``on_pre`` gets ``<target>_post += w``); ``target=None`` leaves the neuron
alone (plasticity only). ``unit`` is the unit of ``w`` — it must be the target's unit::

    stdp = PairAdditive(target="ge")                     # Song, Miller & Abbott (2000)
    syn = es.Synapses(inputs, neuron, stdp)
    syn.connect()                                        # w starts at rand()*wmax

The pair-based window of :func:`PairAdditive` is, for ``dt = t_post - t_pre``,
``Apre*exp(-dt/taupre)`` if ``dt > 0`` and ``Apost*exp(dt/taupost)`` if ``dt < 0``
(:func:`pair_window` computes it).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.models.synapses import SynapseModel, _no_presets, make
from eqsnn.units import ms, pA

__all__ = ["PairAdditive", "PairMultiplicative", "NearestSpike", "Triplet",
           "MultiplicativeDoubleExponential", "MultiplicativeExponential", "pair_window",
           "RULES"]


def _unit(value: float, unit: str):
    return value if unit == "1" else value * units.ureg(unit)


def _effect(target: str | None) -> str:
    return f"{target}_post += w; " if target else ""


_SONG = ("Song S, Miller KD, Abbott LF (2000) Competitive Hebbian learning through "
         "spike-timing-dependent synaptic plasticity. Nat Neurosci 3:919-926; trace "
         "form as in Brian2's example of that paper.")


def PairAdditive(preset: str | None = None, *, target: str | None = "ge", unit: str = "1",
                 **overrides: Any) -> SynapseModel:
    """Additive pair-based STDP with all-to-all traces (Song, Miller & Abbott 2000).

    Defaults: ``taupre = taupost = 20 ms``, ``wmax = 0.01``, ``Apre = 0.01*wmax``,
    ``Apost = -1.05*Apre`` (depression slightly dominates, which makes the weight
    distribution bimodal), weights start uniform in ``[0, wmax]``.
    """
    _no_presets("PairAdditive", preset)
    template = SynapseModel(
        name="PairAdditive", family="PairAdditive",
        equations=f"""
        w : {unit}
        dapre/dt = -apre/taupre : {unit} (event-driven)
        dapost/dt = -apost/taupost : {unit} (event-driven)
        """,
        on_pre=f"{_effect(target)}apre += Apre; w = clip(w + apost, 0*wmax, wmax)",
        on_post="apost += Apost; w = clip(w + apre, 0*wmax, wmax)",
        namespace={"taupre": 20 * ms, "taupost": 20 * ms, "wmax": _unit(0.01, unit),
                   "Apre": _unit(1e-4, unit), "Apost": _unit(-1.05e-4, unit)},
        initial={"w": "rand()*wmax"}, citation=_SONG,
        description="additive pair STDP with traces (Song, Miller & Abbott 2000)")
    return make(template, None, overrides)


def pair_window(delta_t, *, Apre: float = 1e-4, Apost: float = -1.05e-4,
                taupre: float = 0.02, taupost: float = 0.02) -> np.ndarray:
    """The weight change of one pre/post pair of :func:`PairAdditive` (no bounds hit),
    ``delta_t = t_post - t_pre`` in seconds; at ``delta_t = 0`` the presynaptic spike
    is processed first, so the pair potentiates."""
    delta_t = np.asarray(delta_t, dtype=np.float64)
    return np.where(delta_t >= 0, Apre * np.exp(-delta_t / taupre),
                    Apost * np.exp(delta_t / taupost))


def PairMultiplicative(preset: str | None = None, *, target: str | None = "ge",
                       unit: str = "1", **overrides: Any) -> SynapseModel:
    """Weight-dependent STDP (van Rossum, Bi & Turrigiano 2000): potentiation adds
    ``Ap`` (times the presynaptic trace), depression removes the fraction ``Am`` of the
    weight (times the postsynaptic trace). The weights settle into one unimodal
    distribution instead of splitting in two. Time constants from the paper; the
    amplitudes are illustrative defaults."""
    _no_presets("PairMultiplicative", preset)
    template = SynapseModel(
        name="PairMultiplicative", family="PairMultiplicative",
        equations=f"""
        w : {unit}
        dapre/dt = -apre/taupre : 1 (event-driven)
        dapost/dt = -apost/taupost : 1 (event-driven)
        """,
        on_pre=f"{_effect(target)}apre += 1; w = clip(w - Am*w*apost, 0*wmax, wmax)",
        on_post="apost += 1; w = clip(w + Ap*apre, 0*wmax, wmax)",
        namespace={"taupre": 20 * ms, "taupost": 20 * ms, "wmax": _unit(0.01, unit),
                   "Ap": _unit(1e-4, unit), "Am": 0.01},
        initial={"w": "rand()*wmax"},
        citation="van Rossum MCW, Bi GQ, Turrigiano GG (2000) Stable Hebbian learning from "
                 "spike timing-dependent plasticity. J Neurosci 20:8812-8821.",
        description="multiplicative (weight-dependent) STDP (van Rossum et al. 2000)")
    return make(template, None, overrides)


def NearestSpike(preset: str | None = None, *, target: str | None = "ge", unit: str = "1",
                 **overrides: Any) -> SynapseModel:
    """Pair STDP with symmetric nearest-spike interaction: a spike resets its trace to
    the amplitude instead of adding to it, so only the nearest earlier spike of the
    other side counts (Morrison, Diesmann & Gerstner 2008, Fig. 7)."""
    _no_presets("NearestSpike", preset)
    template = SynapseModel(
        name="NearestSpike", family="NearestSpike",
        equations=f"""
        w : {unit}
        dapre/dt = -apre/taupre : {unit} (event-driven)
        dapost/dt = -apost/taupost : {unit} (event-driven)
        """,
        on_pre=f"{_effect(target)}apre = Apre; w = clip(w + apost, 0*wmax, wmax)",
        on_post="apost = Apost; w = clip(w + apre, 0*wmax, wmax)",
        namespace={"taupre": 20 * ms, "taupost": 20 * ms, "wmax": _unit(0.01, unit),
                   "Apre": _unit(1e-4, unit), "Apost": _unit(-1.05e-4, unit)},
        initial={"w": "rand()*wmax"},
        citation="Morrison A, Diesmann M, Gerstner W (2008) Phenomenological models of "
                 "synaptic plasticity based on spike timing. Biol Cybern 98:459-478.",
        description="pair STDP, symmetric nearest-spike interaction")
    return make(template, None, overrides)


# Pfister & Gerstner (2006), Table 4, all-to-all interaction, full model.
_TRIPLET_PRESETS = {
    "visual_cortex": {"A2p": 5e-10, "A3p": 6.2e-3, "A2m": 7e-3, "A3m": 2.3e-4,
                      "tau_x": 101 * ms, "tau_y": 125 * ms,
                      "description": "visual cortex data (Sjöström et al. 2001)"},
    "hippocampal": {"A2p": 6.1e-3, "A3p": 6.7e-3, "A2m": 1.6e-3, "A3m": 1.4e-3,
                    "tau_x": 946 * ms, "tau_y": 27 * ms,
                    "description": "hippocampal culture data (Wang et al. 2005)"},
}


def Triplet(preset: str | None = None, *, target: str | None = "ge", unit: str = "1",
            **overrides: Any) -> SynapseModel:
    """Triplet STDP (Pfister & Gerstner 2006), all-to-all traces ``r1, r2`` (pre) and
    ``o1, o2`` (post). A presynaptic spike depresses by ``o1*(A2m + A3m*r2)``, a
    postsynaptic one potentiates by ``r1*(A2p + A3p*o2)``, each with the slow trace
    taken just before its own increment. The amplitudes are relative to ``wmax``
    (the paper's weights are in units of the maximum). Presets: ``visual_cortex``
    (default values) and ``hippocampal``."""
    template = SynapseModel(
        name="Triplet", family="Triplet",
        equations=f"""
        w : {unit}
        dr1/dt = -r1/tau_plus : 1 (event-driven)
        dr2/dt = -r2/tau_x : 1 (event-driven)
        do1/dt = -o1/tau_minus : 1 (event-driven)
        do2/dt = -o2/tau_y : 1 (event-driven)
        """,
        on_pre=f"{_effect(target)}w = clip(w - wmax*o1*(A2m + A3m*r2), 0*wmax, wmax); "
               f"r1 += 1; r2 += 1",
        on_post="w = clip(w + wmax*r1*(A2p + A3p*o2), 0*wmax, wmax); o1 += 1; o2 += 1",
        namespace={"tau_plus": 16.8 * ms, "tau_minus": 33.7 * ms, "tau_x": 101 * ms,
                   "tau_y": 125 * ms, "A2p": 5e-10, "A3p": 6.2e-3, "A2m": 7e-3,
                   "A3m": 2.3e-4, "wmax": _unit(0.01, unit)},
        initial={"w": "0.5*wmax"}, presets=_TRIPLET_PRESETS,
        citation="Pfister JP, Gerstner W (2006) Triplets of spikes in a model of spike "
                 "timing-dependent plasticity. J Neurosci 26:9673-9682 (Table 4).",
        description="triplet STDP (Pfister & Gerstner 2006)")
    return make(template, preset, overrides)


_MULTIPLICATIVE = ("Weight-proportional (multiplicative) STDP with the double-exponential "
                   "current of Gerstner W, Kistler WM, Naud R, Paninski L (2014) Neuronal "
                   "Dynamics, ch. 3.1 (I0 = 1 pA, tau = 15 ms, tau_s = tau/4); every "
                   "earlier spike of the other side counts (all-to-all traces).")
_DOUBLE_EXPONENTIAL_CURRENT = """
        w : 1
        ds_slow/dt = -s_slow/tau : 1
        ds_fast/dt = -s_fast/tau_s : 1
        {target}_post = I0*w*(s_slow - s_fast) : amp (summed)"""


def MultiplicativeDoubleExponential(preset: str | None = None, *, target: str = "I_syn",
                                    **overrides: Any) -> SynapseModel:
    """Weight-proportional STDP with a double-exponential window: the current
    ``I0*w*(s_slow - s_fast)``, and weight-proportional updates with the same window:
    a postsynaptic spike adds ``gamma*w*(exp(-dt/tau) - exp(-dt/tau_s))`` for every
    earlier presynaptic arrival, a presynaptic arrival removes the same expression of
    the earlier postsynaptic spikes; ``w`` stays in ``[wmin, wmax]`` (1 and 500)."""
    _no_presets("MultiplicativeDoubleExponential", preset)
    template = SynapseModel(
        name="MultiplicativeDoubleExponential", family="MultiplicativeDoubleExponential",
        method="exact",
        equations=_DOUBLE_EXPONENTIAL_CURRENT.format(target=target) + """
        dp_slow/dt = -p_slow/tau : 1 (event-driven)
        dp_fast/dt = -p_fast/tau_s : 1 (event-driven)
        """,
        on_pre="s_slow += 1; s_fast += 1; w = clip(w - gamma*w*(p_slow - p_fast), wmin, wmax)",
        on_post="p_slow += 1; p_fast += 1; w = clip(w + gamma*w*(s_slow - s_fast), wmin, wmax)",
        namespace={"I0": 1 * pA, "tau": 15 * ms, "tau_s": 3.75 * ms, "gamma": 1.0,
                   "wmin": 1.0, "wmax": 500.0},
        initial={"w": 50.0}, citation=_MULTIPLICATIVE,
        description="weight-proportional STDP, double-exponential window and current")
    return make(template, None, overrides)


def MultiplicativeExponential(preset: str | None = None, *, target: str = "I_syn",
                              **overrides: Any) -> SynapseModel:
    """Weight-proportional STDP with an exponential window: the double-exponential
    current of :func:`MultiplicativeDoubleExponential`, and asymmetric
    weight-proportional updates with one time constant ``tau_l``: ``w += A_up*w*exp(-dt/tau_l)``
    when the presynaptic spike came first (upstream), ``w += A_dn*w*exp(-dt/tau_l)``
    (``A_dn < 0``) when the postsynaptic spike came first. The defaults of ``A_up``,
    ``A_dn`` and ``tau_l`` are illustrative."""
    _no_presets("MultiplicativeExponential", preset)
    template = SynapseModel(
        name="MultiplicativeExponential", family="MultiplicativeExponential",
        method="exact",
        equations=_DOUBLE_EXPONENTIAL_CURRENT.format(target=target) + """
        dx_up/dt = -x_up/tau_l : 1 (event-driven)
        dx_dn/dt = -x_dn/tau_l : 1 (event-driven)
        """,
        on_pre="s_slow += 1; s_fast += 1; x_up += 1; "
               "w = clip(w + A_dn*w*x_dn, wmin, wmax)",
        on_post="x_dn += 1; w = clip(w + A_up*w*x_up, wmin, wmax)",
        namespace={"I0": 1 * pA, "tau": 15 * ms, "tau_s": 3.75 * ms, "tau_l": 20 * ms,
                   "A_up": 0.01, "A_dn": -0.02, "wmin": 1.0, "wmax": 500.0},
        initial={"w": 50.0}, citation=_MULTIPLICATIVE,
        description="weight-proportional STDP, asymmetric A_up/A_dn exponential window")
    return make(template, None, overrides)


#: Name → constructor of every STDP rule.
RULES = {"PairAdditive": PairAdditive, "PairMultiplicative": PairMultiplicative,
         "NearestSpike": NearestSpike, "Triplet": Triplet,
         "MultiplicativeDoubleExponential": MultiplicativeDoubleExponential,
         "MultiplicativeExponential": MultiplicativeExponential}
