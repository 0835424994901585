"""The benchmark models, written once and built by both simulators.

Everything here is plain data (no import of eqsnn or Brian2), because the Brian2 side
runs in its own virtual environment without eqsnn. Constants are ``(value, "unit")``
pairs; each builder multiplies them by its own library's unit objects, so eqsnn and
Brian2 receive the same numbers. Equation strings use the syntax both accept.

Models (``size`` is the number of neurons unless said otherwise):

``cuba``
    Vogels & Abbott (2005) as in Brian2's CUBA example: LIF with current-based
    exponential synapses, 80 % excitatory. The connection probability is
    ``80 / size`` (0.02 at 4000), so every neuron gets ~80 inputs at every size and the
    1k/4k/16k series shows how cost grows with neurons and events, not with a denser
    network.
``cobahh``
    Brette et al. (2007) COBAHH as in Brian2's example: Traub–Miles HH cells with
    conductance synapses, exponential Euler, p = 80 / size.
``izhikevich``
    Izhikevich (2003): 800 RS + 200 FS cells per 1000, all-to-all, noisy thalamic input.
    dt = 0.5 ms, the half step of the paper's code.
``stdp``
    Song, Miller & Abbott (2000) as in Brian2's STDP example: ``size`` Poisson inputs
    at 15 Hz onto one LIF neuron through additive STDP synapses, 10 s.
``hh``
    ``size`` independent Traub–Miles HH neurons with input currents from 0 to 0.7 nA,
    dt = 0.01 ms, exponential Euler: the per-step overhead workload.
``cuba-neurons``, ``izhikevich-neurons``
    The neurons of ``cuba`` / ``izhikevich`` without synapses (usable before synapses
    existed, and a lower bound of the full models).
"""
from __future__ import annotations

# --- CUBA ---------------------------------------------------------------------------
CUBA_EQUATIONS = """
dv/dt = (ge + gi - (v - El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
"""
CUBA_NAMESPACE = {"taum": (20, "ms"), "taue": (5, "ms"), "taui": (10, "ms"),
                  "Vt": (-50, "mV"), "Vr": (-60, "mV"), "El": (-49, "mV")}
CUBA_THRESHOLD = "v > Vt"
CUBA_RESET = "v = Vr"
CUBA_REFRACTORY = (5, "ms")
CUBA_INIT_V = "Vr + rand()*(Vt - Vr)"
CUBA_WE = (60 * 0.27 / 10, "mV")
CUBA_WI = (-20 * 4.5 / 10, "mV")
IN_DEGREE = 80  # inputs per neuron of cuba and cobahh (p = 0.02 at 4000 neurons)

# --- Traub–Miles HH (COBAHH and hh) -------------------------------------------------
# area 20000 um²: per-cell values of Brian2's COBAHH example
HH_NAMESPACE = {
    "Cm": (0.2, "nF"), "gl": (10, "nS"), "El": (-60, "mV"), "EK": (-90, "mV"),
    "ENa": (50, "mV"), "g_na": (20, "uS"), "g_kd": (6, "uS"), "VT": (-63, "mV"),
    "taue": (5, "ms"), "taui": (10, "ms"), "Ee": (0, "mV"), "Ei": (-80, "mV"),
}
_HH_CHANNELS = """
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
alpha_m = 1.28/exprel((13*mV - v + VT)/(4*mV))/ms : Hz
beta_m = 1.4/exprel((v - VT - 40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV - v + VT)/(18*mV))/ms : Hz
beta_h = 4/(1 + exp((40*mV - v + VT)/(5*mV)))/ms : Hz
alpha_n = 0.16/exprel((15*mV - v + VT)/(5*mV))/ms : Hz
beta_n = 0.5*exp((10*mV - v + VT)/(40*mV))/ms : Hz
"""
COBAHH_EQUATIONS = """
dv/dt = (gl*(El - v) + ge*(Ee - v) + gi*(Ei - v) - g_na*(m*m*m)*h*(v - ENa) - g_kd*(n*n*n*n)*(v - EK))/Cm : volt
dge/dt = -ge/taue : siemens
dgi/dt = -gi/taui : siemens
""" + _HH_CHANNELS
COBAHH_WE = (6, "nS")
COBAHH_WI = (67, "nS")
HH_EQUATIONS = """
dv/dt = (gl*(El - v) - g_na*(m*m*m)*h*(v - ENa) - g_kd*(n*n*n*n)*(v - EK) + I)/Cm : volt
I : amp
""" + _HH_CHANNELS
HH_THRESHOLD = "v > -20*mV"
HH_REFRACTORY = (3, "ms")
HH_I_MAX = (0.7, "nA")   # neuron k gets I = I_MAX * k / N
HH_DT = (0.01, "ms")

# --- Izhikevich 2003 ---------------------------------------------------------------
IZHIKEVICH_EQUATIONS = """
dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u)/ms + sigma*xi/sqrt(ms) : volt
du/dt = a*(b*v - u)/ms : volt
a : 1
b : 1
c : volt
d : volt
sigma : volt
"""
IZHIKEVICH_THRESHOLD = "v >= 30*mV"
IZHIKEVICH_RESET = "v = c; u += d"
IZHIKEVICH_DT = (0.5, "ms")
IZHIKEVICH_EXCITATORY = 0.8

# --- STDP (Song, Miller & Abbott 2000) -----------------------------------------------
STDP_NAMESPACE = {"taum": (10, "ms"), "taupre": (20, "ms"), "taupost": (20, "ms"),
                  "Ee": (0, "mV"), "vt": (-54, "mV"), "vr": (-60, "mV"), "El": (-74, "mV"),
                  "taue": (5, "ms")}
STDP_RATE = (15, "Hz")
STDP_GMAX = 0.01
STDP_DAPRE = 0.01 * STDP_GMAX
STDP_DAPOST = -0.01 * 1.05 * STDP_GMAX   # -dApre * taupre/taupost * 1.05
STDP_NEURON = """
dv/dt = (ge*(Ee - v) + El - v)/taum : volt
dge/dt = -ge/taue : 1
"""
STDP_SYNAPSE = """
w : 1
dApre/dt = -Apre/taupre : 1 (event-driven)
dApost/dt = -Apost/taupost : 1 (event-driven)
"""
STDP_ON_PRE = """
ge += w
Apre += dApre
w = clip(w + Apost, 0, gmax)
"""
STDP_ON_POST = """
Apost += dApost
w = clip(w + Apre, 0, gmax)
"""

#: model -> (default sizes, duration in seconds, dt as (value, unit))
MODELS = {
    "cuba": ((1000, 4000, 16000), 1.0, (0.1, "ms")),
    "cobahh": ((1000, 4000, 16000), 1.0, (0.1, "ms")),
    "izhikevich": ((1000,), 1.0, IZHIKEVICH_DT),
    "stdp": ((1000,), 10.0, (0.1, "ms")),
    "hh": ((1000,), 1.0, HH_DT),
    "cuba-neurons": ((4000,), 1.0, (0.1, "ms")),
    "izhikevich-neurons": ((1000,), 1.0, IZHIKEVICH_DT),
}
#: models that need synapses
SYNAPTIC = {"cuba", "cobahh", "izhikevich", "stdp"}


def quantity(pair, units_module):
    """``(value, "unit")`` → a quantity of the given library's units module."""
    value, unit = pair
    return value * getattr(units_module, unit)
