"""Reference firing rates of the three classic networks, measured with Brian2.

Not a test: run it with Brian2 installed (Brian2 2.9.0 needs numpy < 2.3; the venv of
benchmarks/brian2_env.py will do) to reproduce the numbers that
tests/runtime/test_networks_classic.py compares eqsnn against:

    python tests/runtime/brian2_reference_rates.py 12 [CUBA] [Izhikevich2003] [COBAHH]

For each seed it prints the mean rate (spikes per neuron per second) of the whole
network and of its excitatory and inhibitory parts, then the mean and standard
deviation over seeds. The networks are written exactly as in the test.
"""
import sys

import numpy as np
from brian2 import (NeuronGroup, Network, SpikeMonitor, Synapses, defaultclock, mV, ms,
                    nS, pF, prefs, second, seed, uS)

prefs.codegen.target = "numpy"


def cuba(s):
    """Brian2's examples/CUBA.py (Vogels & Abbott 2005, current-based), 1 s."""
    seed(s)
    defaultclock.dt = 0.1 * ms
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = """
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    """
    P = NeuronGroup(4000, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                    method="exact")
    P.v = "Vr + rand() * (Vt - Vr)"
    we = (60 * 0.27 / 10) * mV
    wi = (-20 * 4.5 / 10) * mV
    Ce = Synapses(P, P, on_pre="ge += we")
    Ci = Synapses(P, P, on_pre="gi += wi")
    Ce.connect("i<3200", p=0.02)
    Ci.connect("i>=3200", p=0.02)
    mon = SpikeMonitor(P)
    net = Network(P, Ce, Ci, mon)
    net.run(1 * second)
    i = np.asarray(mon.i)
    return (i.size / 4000, np.sum(i < 3200) / 3200, np.sum(i >= 3200) / 800)


def izhikevich(s):
    """Izhikevich (2003) 800 excitatory + 200 inhibitory neurons, all-to-all, random
    thalamic input as white noise (std 5 mV resp. 2 mV per sqrt(ms)), 1 s."""
    seed(s)
    defaultclock.dt = 0.5 * ms
    Ne, Ni = 800, 200
    eqs = """
    dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u)/ms + sigma*xi/sqrt(ms) : volt
    du/dt = a*(b*v - u)/ms : volt
    a : 1
    b : 1
    c : volt
    d : volt
    sigma : volt
    """
    G = NeuronGroup(Ne + Ni, eqs, threshold="v >= 30*mV", reset="v = c; u += d",
                    method="euler")
    re = np.random.rand(Ne)
    ri = np.random.rand(Ni)
    G.a = np.r_[0.02 * np.ones(Ne), 0.02 + 0.08 * ri]
    G.b = np.r_[0.2 * np.ones(Ne), 0.25 - 0.05 * ri]
    G.c = np.r_[-65 + 15 * re ** 2, -65 * np.ones(Ni)] * mV
    G.d = np.r_[8 - 6 * re ** 2, 2 * np.ones(Ni)] * mV
    G.sigma = np.r_[5 * np.ones(Ne), 2 * np.ones(Ni)] * mV
    G.v = -65 * mV
    G.u = "b*v"
    S = Synapses(G, G, "w : volt", on_pre="v_post += w")
    S.connect()
    S.w = "(0.5*mV*int(i < 800) - 1*mV*int(i >= 800))*rand()"
    mon = SpikeMonitor(G)
    net = Network(G, S, mon)
    net.run(1 * second)
    i = np.asarray(mon.i)
    return (i.size / 1000, np.sum(i < Ne) / Ne, np.sum(i >= Ne) / Ni)


def cobahh(s):
    """COBAHH of Brette et al. (2007) as in Brian2's examples/COBAHH.py: 4000 Traub-Miles
    cells (values per cell of 20000 um2), conductance synapses, exponential Euler,
    dt = 0.1 ms, 1 s. Brian2's cython target (its numpy target takes hours here)."""
    previous = prefs.codegen.target
    prefs.codegen.target = "cython"
    try:
        seed(s)
        defaultclock.dt = 0.1 * ms
        namespace = {"Cm": 200 * pF, "gl": 10 * nS, "El": -60 * mV, "EK": -90 * mV,
                     "ENa": 50 * mV, "g_na": 20 * uS, "g_kd": 6 * uS, "VT": -63 * mV,
                     "taue": 5 * ms, "taui": 10 * ms, "Ee": 0 * mV, "Ei": -80 * mV}
        eqs = """
        dv/dt = (gl*(El-v) + ge*(Ee-v) + gi*(Ei-v) - g_na*(m*m*m)*h*(v-ENa)
                 - g_kd*(n*n*n*n)*(v-EK))/Cm : volt
        dm/dt = alpha_m*(1-m) - beta_m*m : 1
        dn/dt = alpha_n*(1-n) - beta_n*n : 1
        dh/dt = alpha_h*(1-h) - beta_h*h : 1
        dge/dt = -ge/taue : siemens
        dgi/dt = -gi/taui : siemens
        alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
        beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
        alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
        beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
        alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
        beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
        """
        P = NeuronGroup(4000, eqs, threshold="v>-20*mV", refractory=3 * ms,
                        method="exponential_euler", namespace=namespace)
        Ce = Synapses(P[:3200], P, on_pre="ge += 6*nS")
        Ci = Synapses(P[3200:], P, on_pre="gi += 67*nS")
        Ce.connect(p=0.02)
        Ci.connect(p=0.02)
        P.v = "El + (randn()*5 - 5)*mV"
        P.ge = "(randn()*1.5 + 4)*10*nS"
        P.gi = "(randn()*12 + 20)*10*nS"
        mon = SpikeMonitor(P)
        net = Network(P, Ce, Ci, mon)
        net.run(1 * second)
    finally:
        prefs.codegen.target = previous
    i = np.asarray(mon.i)
    return (i.size / 4000, np.sum(i < 3200) / 3200, np.sum(i >= 3200) / 800)


if __name__ == "__main__":
    n_seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    only = sys.argv[2:] or ["CUBA", "Izhikevich2003", "COBAHH"]
    for name, network in (("CUBA", cuba), ("Izhikevich2003", izhikevich),
                          ("COBAHH", cobahh)):
        if name not in only:
            continue
        rates = []
        for s in range(n_seeds):
            r = network(s)
            rates.append(r)
            print(f"{name} seed {s}: all {r[0]:.3f} Hz, exc {r[1]:.3f} Hz, inh {r[2]:.3f} Hz",
                  flush=True)
        rates = np.array(rates)
        mean, std = rates.mean(axis=0), rates.std(axis=0, ddof=1)
        print(f"{name} over {n_seeds} seeds: all {mean[0]:.3f} ± {std[0]:.3f} Hz, "
              f"exc {mean[1]:.3f} ± {std[1]:.3f} Hz, inh {mean[2]:.3f} ± {std[2]:.3f} Hz",
              flush=True)
