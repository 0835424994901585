"""Build functions for the sweep tests.

They live in a module of their own (not in a test file) because worker processes import
them by name, exactly as a user's sweep imports its build function.
"""
import numpy as np

import eqsnn as es
from eqsnn.sweeps import find
from eqsnn.units import Hz, cm2, mV, ms, uA


# Built once per process: the model caches its parsed equations and resting state, so
# each run's build() costs milliseconds instead of a SymPy solve.
HH = es.models.HodgkinHuxley()


def hh_neuron(I):
    """One Hodgkin-Huxley (1952) axon, at rest, driven by a constant current density."""
    cell = HH.group(1)
    cell.I = I
    return es.Network(cell, es.SpikeMonitor(cell, name="spikes"))


def hh_first_spike(net):
    spikes = find(net, "spikes")
    return {"num_spikes": spikes.num_spikes,
            "first_spike": spikes.t[0] if spikes.num_spikes else None}


def poisson(rate, seed):
    """Random spikes: the counts depend on the run's seed only."""
    inputs = es.PoissonGroup(20, rate, seed=seed)
    return es.Network(inputs, es.SpikeMonitor(inputs))


def collect_seed_column(net):
    return {"seed": net.seed}


def growth(a):
    """dv/dt = a*v from v = 1: overflows (a NumericalInstabilityError) for large a."""
    group = es.NeuronGroup(1, "dv/dt = a*v : 1\na : hertz", method="euler")
    group.v = 1
    group.a = a
    return es.Network(group, es.StateMonitor(group, "v", record=0, name="trace"))


def final_v(net):
    return {"v_end": float(find(net, "trace").v[0, -1])}


HH_CURRENTS = [0.4 * k for k in range(50)] * uA / cm2  # 0 .. 19.6 uA/cm^2
DURATION = 100 * ms
RATE = 50 * Hz


# --- CUBA (Vogels & Abbott 2005; the network of Brette et al. 2007's CUBA benchmark) ----
# Written out here rather than imported from benchmarks/, so the tests stand alone. A
# small version: 200 LIF cells, 80 % excitatory, every cell receiving ~40 inputs.
CUBA_EQUATIONS = """
dv/dt = (ge + gi - (v - El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
"""
CUBA_NAMESPACE = {"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "Vt": -50 * mV,
                  "Vr": -60 * mV, "El": -49 * mV}
CUBA_SIZE, CUBA_IN_DEGREE = 200, 40
CUBA_WE = np.linspace(0, 3.24, 10) * mV   # 0 .. twice the benchmark's 1.62 mV
CUBA_WI = np.linspace(-18, 0, 10) * mV    # twice the benchmark's -9 mV .. 0


def cuba(we, wi, seed):
    """A CUBA network with excitatory weight ``we`` and inhibitory weight ``wi``; ``seed``
    draws the initial potentials and the connections."""
    cells = es.NeuronGroup(CUBA_SIZE, CUBA_EQUATIONS, threshold="v > Vt", reset="v = Vr",
                           refractory=5 * ms, method="exact", namespace=CUBA_NAMESPACE,
                           seed=seed)
    cells.v = "Vr + rand()*(Vt - Vr)"
    n_exc = int(0.8 * CUBA_SIZE)
    p = CUBA_IN_DEGREE / CUBA_SIZE
    exc = es.Synapses(cells[:n_exc], cells, on_pre="ge += we", namespace={"we": we},
                      seed=seed + 1)
    exc.connect(p=p)
    inh = es.Synapses(cells[n_exc:], cells, on_pre="gi += wi", namespace={"wi": wi},
                      seed=seed + 2)
    inh.connect(p=p)
    return es.Network(cells, exc, inh, es.SpikeMonitor(cells))


def exit_process(code):
    """Ends its worker process abruptly when ``code`` is non-zero (a crash in native code
    looks the same to the sweep)."""
    if code:
        import os
        os._exit(code)
    group = es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1", method="exact")
    return es.Network(group)
