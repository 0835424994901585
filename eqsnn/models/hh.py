"""Hodgkin–Huxley conductance-based neurons.

* :func:`HodgkinHuxley`: the squid giant axon (Hodgkin & Huxley 1952) per unit membrane
  area, in the shifted voltage convention (rest near -65 mV).
* :func:`TraubMiles`: the Traub & Miles (1991) cortical cell used in the COBAHH
  benchmark of Brette et al. (2007), with conductance synapses.

Rate functions of the form ``x/(1 - exp(-x))`` have a removable singularity (at
-55 mV and -40 mV for the 1952 model); they are written with ``exprel`` so that they are
finite everywhere: ``x/(1 - exp(-x)) = 1/exprel(-x)``.
"""
from __future__ import annotations

from typing import Any

from eqsnn.models.base import Model, build
from eqsnn.units import cm2, mS, ms, mV, nS, pF, uA, ufarad, uS

__all__ = ["HodgkinHuxley", "TraubMiles"]

_CITATION_1952 = ("Hodgkin AL, Huxley AF (1952) A quantitative description of membrane "
                  "current and its application to conduction and excitation in nerve. "
                  "J Physiol 117:500-544. Parameters in the shifted voltage convention "
                  "(rest near -65 mV) of many textbook codes.")
_CITATION_TM = ("Traub RD, Miles R (1991) Neuronal Networks of the Hippocampus. Cambridge "
                "University Press; in the form and with the values of the COBAHH benchmark, "
                "Brette R et al. (2007) Simulation of networks of spiking neurons: a review "
                "of tools and strategies. J Comput Neurosci 23:349-398 (cell area "
                "20000 um², values here per cell).")

_EQUATIONS_1952 = """
dv/dt = (I - g_Na*m**3*h*(v - E_Na) - g_K*n**4*(v - E_K) - g_l*(v - E_l)) / C : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
alpha_m = 1/exprel(-(v + 40*mV)/(10*mV)) / ms : hertz
beta_m = 4*exp(-(v + 65*mV)/(18*mV)) / ms : hertz
alpha_h = 0.07*exp(-(v + 65*mV)/(20*mV)) / ms : hertz
beta_h = 1/(1 + exp(-(v + 35*mV)/(10*mV))) / ms : hertz
alpha_n = 0.1/exprel(-(v + 55*mV)/(10*mV)) / ms : hertz
beta_n = 0.125*exp(-(v + 65*mV)/(80*mV)) / ms : hertz
I : amp/meter**2
"""

_EQUATIONS_TM = """
dv/dt = (gl*(El - v) + ge*(Ee - v) + gi*(Ei - v) - g_na*m**3*h*(v - ENa) - g_kd*n**4*(v - EK) + I) / Cm : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dge/dt = -ge/taue : siemens
dgi/dt = -gi/taui : siemens
alpha_m = 1.28/exprel((13*mV - v + VT)/(4*mV)) / ms : hertz
beta_m = 1.4/exprel((v - VT - 40*mV)/(5*mV)) / ms : hertz
alpha_h = 0.128*exp((17*mV - v + VT)/(18*mV)) / ms : hertz
beta_h = 4/(1 + exp((40*mV - v + VT)/(5*mV))) / ms : hertz
alpha_n = 0.16/exprel((15*mV - v + VT)/(5*mV)) / ms : hertz
beta_n = 0.5*exp((10*mV - v + VT)/(40*mV)) / ms : hertz
I : amp
"""


def HodgkinHuxley(preset: str | None = None, **overrides: Any) -> Model:
    """The Hodgkin–Huxley (1952) squid giant axon, per unit membrane area.

    Parameters: ``C = 1 uF/cm²``, ``g_Na = 120 mS/cm²``,
    ``g_K = 36 mS/cm²``, ``g_l = 0.3 mS/cm²``, ``E_Na = 50 mV``, ``E_K = -77 mV``,
    ``E_l = -55 mV``. The input ``I`` is a current density; the usual stimulus is
    ``15 uA/cm²`` (``model.stimulus``). A spike is counted when ``v`` crosses -20 mV;
    the 3 ms refractory period only stops one action potential counting twice (the
    membrane equations keep running).

    Rate functions are written with ``exprel``: ``alpha_m`` and ``alpha_n`` are finite
    at exactly -40 mV and -55 mV.
    """
    template = Model(
        name="HodgkinHuxley", family="HodgkinHuxley", equations=_EQUATIONS_1952,
        threshold="v > -20*mV", reset=None, refractory=3 * ms,
        namespace={"C": 1 * ufarad / cm2, "g_Na": 120 * mS / cm2, "g_K": 36 * mS / cm2,
                   "g_l": 0.3 * mS / cm2, "E_Na": 50 * mV, "E_K": -77 * mV,
                   "E_l": -55 * mV},
        # Each gate's equation is linear in the gate at fixed v: exponential Euler
        # solves it exactly over a step, which is stable at the usual dt.
        method="exponential_euler", citation=_CITATION_1952,
        description="Hodgkin-Huxley (1952) squid giant axon, per unit area",
        stimulus=15 * uA / cm2)
    return build(template, preset, overrides)


def TraubMiles(preset: str | None = None, **overrides: Any) -> Model:
    """The Traub–Miles Hodgkin–Huxley-type cell of the COBAHH benchmark.

    Values for one cell of 20000 um² (Brette et al. 2007): ``Cm = 200 pF``,
    ``gl = 10 nS``, ``g_na = 20 uS``, ``g_kd = 6 uS``, ``El = -60 mV``, ``EK = -90 mV``,
    ``ENa = 50 mV``, ``VT = -63 mV``; excitatory and inhibitory conductances ``ge``,
    ``gi`` decay with ``taue = 5 ms``, ``taui = 10 ms`` towards reversal potentials
    ``Ee = 0 mV``, ``Ei = -80 mV``. Spikes are counted at -20 mV, with 3 ms refractory.

    Without input the cell has no stable resting state (its one steady state, near
    -33 mV, is unstable) and fires by itself at about 14 Hz; groups start at
    ``v = El`` with each gate at its steady-state value there.
    """
    template = Model(
        name="TraubMiles", family="TraubMiles", equations=_EQUATIONS_TM,
        threshold="v > -20*mV", reset=None, refractory=3 * ms,
        namespace={"Cm": 200 * pF, "gl": 10 * nS, "g_na": 20 * uS, "g_kd": 6 * uS,
                   "El": -60 * mV, "EK": -90 * mV, "ENa": 50 * mV, "VT": -63 * mV,
                   "Ee": 0 * mV, "Ei": -80 * mV, "taue": 5 * ms, "taui": 10 * ms},
        # With no input this cell has no stable resting state (it fires tonically; in
        # COBAHH the network's inhibition holds it), so it starts at El with each gate
        # at its steady state there, instead of at REST.
        initial={"v": "El", "m": "alpha_m/(alpha_m + beta_m)",
                 "h": "alpha_h/(alpha_h + beta_h)", "n": "alpha_n/(alpha_n + beta_n)",
                 "ge": 0 * nS, "gi": 0 * nS},
        method="exponential_euler", citation=_CITATION_TM,
        description="Traub-Miles HH-type cortical cell of the COBAHH benchmark "
                    "(Brette et al. 2007)")
    return build(template, preset, overrides)
