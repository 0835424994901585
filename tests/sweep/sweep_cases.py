"""Build functions for the sweep tests.

They live in a module of their own (not in a test file) because worker processes import
them by name, exactly as a user's sweep imports its build function.
"""
import eqsnn as es
from eqsnn.sweeps import find
from eqsnn.units import Hz, cm2, ms, uA


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
