"""Song, Miller & Abbott (2000), reduced to 40 s: additive STDP splits uniform weights
into a bimodal distribution (the full 100 s run is examples/stdp_song_miller_abbott.py).

Reference: Brian2 2.9.0 running Brian2's own example of this paper (the same network,
cython target, seed 1) gives, after 40 s, 19% of the weights below 0.1 wmax and 15%
above 0.9 wmax, deciles [189 100 80 81 80 80 69 76 91 154]; after 100 s eqsnn gives
25% and 20% (uniform start: 10% each).
"""
import numpy as np

import eqsnn as es
from eqsnn.models import stdp
from eqsnn.units import Hz, mV, ms, second


def song_miller_abbott(duration, seed=1):
    neuron = es.NeuronGroup(1, """
        dv/dt = (ge*(Ee - v) + El - v)/taum : volt
        dge/dt = -ge/taue : 1
        """, threshold="v > vt", reset="v = vr", method="euler",
        namespace={"taum": 10 * ms, "Ee": 0 * mV, "vt": -54 * mV, "vr": -60 * mV,
                   "El": -74 * mV, "taue": 5 * ms})
    neuron.v = -74 * mV
    inputs = es.PoissonGroup(1000, 15 * Hz, seed=seed)
    synapses = es.Synapses(inputs, neuron, stdp.PairAdditive(target="ge"), seed=seed)
    synapses.connect()
    start = synapses.w_ / 0.01
    spikes = es.SpikeMonitor(neuron)
    es.Network(inputs, neuron, synapses, spikes, seed=seed).run(duration, progress=False)
    return start, synapses.w_ / 0.01, spikes.t_


def test_additive_stdp_makes_the_weights_bimodal():
    start, end, output = song_miller_abbott(40 * second)
    assert abs(np.mean(start < 0.1) - 0.1) < 0.03 and abs(np.mean(start > 0.9) - 0.1) < 0.03
    low, high = np.mean(end < 0.1), np.mean(end > 0.9)
    assert abs(low - 0.19) < 0.06 and abs(high - 0.15) < 0.06, (low, high)   # as Brian2
    deciles = np.histogram(end, bins=10, range=(0, 1))[0]
    middle = deciles[3:7].mean()
    assert deciles[0] > 1.7 * middle and deciles[-1] > 1.4 * middle, deciles  # U-shaped
    assert np.all((end >= 0) & (end <= 1))                                      # bounded
    # competition: the output rate falls from its start as weak inputs lose
    first, last = np.sum(output < 5), np.sum(output > 35)
    assert last < first, (first, last)
