"""Port of Brian2's examples/synapses/jeffress.py: the Jeffress model of sound
localisation — two noisy "ears" receive a white-noise sound with an interaural delay
that rotates once a second; 30 coincidence detectors read them through delay lines.
1 s at dt = 0.02 ms.

Features: a ``TimedArray`` read at a shifted time (``sound(t - delay)``, with ``delay``
a subexpression of a state variable), string-indexed delay writes
(``synapses.delay["i==0"] = ...``), a ``radian`` state variable, named groups, noise
with ``euler``. Reference: Brian2 2.9.0 running the original with 4 seeds
(references.json "jeffress"): the delays are deterministic (each must equal Brian2's to
1e-12 ms); the total spike count must lie within 4 s.d. of Brian2's spread.
"""
import numpy as np

import eqsnn as es
from eqsnn.units import cm, metre, ms, second

from _gallery import assert_in_spread, reference



def test_delays_and_activity_are_brian2s():
    dt = .02 * ms
    rng = np.random.default_rng(12)
    sound = es.TimedArray(10 * rng.standard_normal(50000), dt=dt)  # white noise
    max_delay = 20 * cm / (300 * metre / second)
    ears = es.NeuronGroup(2, """
        dx/dt = (sound(t-delay)-x)/tau_ear+sigma_ear*(2./tau_ear)**.5*xi : 1 (unless refractory)
        delay = distance*sin(theta) : second
        distance : second # distance to the centre of the head in time units
        dtheta/dt = angular_speed : 1
        """, threshold="x>1", reset="x = 0", refractory=2.5 * ms, name="ears",
        method="euler", namespace={"sound": sound, "tau_ear": 1 * ms, "sigma_ear": .1,
                                   "angular_speed": 2 * np.pi / second})
    ears.distance = [-.5 * max_delay, .5 * max_delay]
    num_neurons = 30
    neurons = es.NeuronGroup(num_neurons, "dv/dt = -v / tau + sigma * (2 / tau)**.5 * xi : 1",
                             threshold="v>1", reset="v = 0", name="neurons", method="euler",
                             namespace={"tau": 1 * ms, "sigma": .1})
    synapses = es.Synapses(ears, neurons, on_pre="v += .5",
                           namespace={"num_neurons": num_neurons, "max_delay": max_delay})
    synapses.connect()
    synapses.delay["i==0"] = "(1.0*j)/(num_neurons-1)*1.1*max_delay"
    synapses.delay["i==1"] = "(1.0*(num_neurons-j-1))/(num_neurons-1)*1.1*max_delay"
    spikes = es.SpikeMonitor(neurons)
    es.Network(ears, neurons, synapses, spikes, dt=dt, seed=12).run(1000 * ms)
    np.testing.assert_allclose(np.asarray(synapses.delay_) * 1e3,
                               reference("jeffress")[0]["delay_ms"], atol=1e-12)
    assert_in_spread(spikes.num_spikes, "jeffress", "total")
