"""Port of Brian2's examples/reliability.py: 25 noisy IF neurons driven by the same
fluctuating input fire reliably (compare test_non_reliability.py), 500 ms.

Features: a linked variable (``I : 1 (linked)``, ``neurons.I = linked_var(input, "x")``:
every neuron reads the single input neuron's Ornstein–Uhlenbeck state), noise with
``euler``, refractoriness without ``(unless refractory)``.
Reference: Brian2 2.9.0 running the original with 8 seeds (references.json
"reliability"): the total spike count must lie within 4 s.d. of Brian2's spread.
"""
import eqsnn as es
from eqsnn.units import ms

from _gallery import assert_in_spread


def test_spike_count_within_brian2s_spread():
    neuron_input = es.NeuronGroup(1, "dx/dt = -x / tau_input + (2 /tau_input)**.5 * xi : 1",
                                  namespace={"tau_input": 5 * ms})
    neurons = es.NeuronGroup(25, """
        dx/dt = (0.9 + .5 * I - x) / tau + sigma * (2 / tau)**.5 * xi : 1
        I : 1 (linked)
        """, threshold="x > 1", reset="x = 0", refractory=5 * ms, method="euler",
        namespace={"tau": 10 * ms, "sigma": .015})
    neurons.x = "rand()"
    neurons.I = es.linked_var(neuron_input, "x")
    spikes = es.SpikeMonitor(neurons)
    es.Network(neuron_input, neurons, spikes, seed=15).run(500 * ms)
    assert_in_spread(spikes.num_spikes, "reliability", "total")
