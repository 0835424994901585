"""Port of Brian2's examples/synapses/licklider.py: Licklider's autocorrelation model of
pitch with spiking neurons — two noisy receptors phase-lock to a sound of rising pitch,
300 coincidence detectors read them through delay lines tuned from 50 to 1000 Hz.
500 ms at dt = 0.02 ms.

Features: subexpressions of ``t`` (``sound``, ``frequency``), noise with ``euler``,
refractoriness, per-synapse delays from a string of ``i`` and ``j`` with ``exp``/``log``
of external quantities, and the y-axis labels read back with 2-D synaptic indexing
``synapses.delay[1, [0, 99, 199, 299]]``.
Reference: Brian2 2.9.0 running the original with 4 seeds (references.json
"licklider"): the spike count must lie within 4 s.d. of Brian2's spread; the four delays
read back are deterministic (1e-12 relative).
"""
import numpy as np

import eqsnn as es
from eqsnn.units import Hz, ms

from _gallery import assert_in_spread, reference

NUM_NEURONS = 300


def _model():
    receptors = es.NeuronGroup(2, """
        dx/dt = (sound-x)/tau_ear+0.1*(2./tau_ear)**.5*xi : 1 (unless refractory)
        sound = 5*sin(2*pi*frequency*t)**3 : 1 # nonlinear distortion
        frequency = (200+200*t*Hz)*Hz : Hz # increasing pitch
        """, threshold="x>1", reset="x=0", refractory=2 * ms, method="euler",
        namespace={"tau_ear": 1 * ms}, seed=5)
    neurons = es.NeuronGroup(NUM_NEURONS, "dv/dt = -v/tau+sigma*(2./tau)**.5*xi : 1",
                             threshold="v>1", reset="v=0", method="euler",
                             namespace={"tau": 1 * ms, "sigma": .1}, seed=6)
    synapses = es.Synapses(receptors, neurons, on_pre="v += 0.5",
                           namespace={"min_freq": 50 * Hz, "max_freq": 1000 * Hz,
                                      "num_neurons": NUM_NEURONS})
    synapses.connect()
    synapses.delay = ("i*1.0/exp(log(min_freq/Hz)+(j*1.0/(num_neurons-1))"
                      "*log(max_freq/min_freq))*second")
    return receptors, neurons, synapses


def test_activity_within_brian2s_spread():
    receptors, neurons, synapses = _model()
    spikes = es.SpikeMonitor(neurons)
    es.Network(receptors, neurons, synapses, spikes, dt=.02 * ms, seed=5).run(500 * ms)
    assert_in_spread(spikes.num_spikes, "licklider", "total")


def test_delays_read_back_with_2d_indexing():
    _, _, synapses = _model()
    delays = np.asarray(synapses.delay_[1, [0, 99, 199, 299]])
    np.testing.assert_allclose(delays, reference("licklider")[0]["delays_1_s"], rtol=1e-12)
