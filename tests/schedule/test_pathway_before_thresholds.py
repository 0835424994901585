"""A pathway moved before the thresholds (``S.pre.when = "before_thresholds"``) sees
the spikes of the step before, as in Brian2, and delivers each after its delay from
there: Brian2 queues a spike in the pathway's slot, a step after the threshold found
it. Until session 6 eqsnn counted the delay from the threshold (found by the lead in
session 3): a delayed spike arrived a step early, and in a pathway with several delays
the synapses without delay got theirs late. Every other slot, on_post pathways and
other senders: test_pathway_slots.py.

The network: 4 neurons charging towards 1.2 (they spike at steps 165, 170, 174 and
179), each onto its own target with ``x_post += w``; the step at which each target's
``x`` is first non-zero in a ``StateMonitor`` (Brian2's default slot, ``start``).
Brian2's numbers: Brian2 2.9.0 (numpy target, dt 0.1 ms, 20 ms) running the same
script written with brian2 names (``S.pre.when = "before_thresholds"``, ``S.delay`` as
given below).
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms


def first_input_steps(delay: str, backend: str) -> list[int]:
    G = es.NeuronGroup(4, "dv/dt = (1.2 - v)/(10*ms) : 1", threshold="v > 1", reset="v = 0",
                       method="exact")
    G.v = "i/20.0"
    H = es.NeuronGroup(4, "x : 1")
    S = es.Synapses(G, H, "w : 1", on_pre="x_post += w")
    S.pre.when = "before_thresholds"
    S.connect(j="i")
    S.w = "1.0 + i"
    S.delay = delay
    M = es.StateMonitor(H, "x", record=True)
    es.Network(G, H, S, M, backend=backend).run(20 * ms)
    return [int(np.argmax(M.x_[k] > 0)) for k in range(4)]


@pytest.mark.parametrize("backend", ["c", "numpy"])
@pytest.mark.parametrize("delay, brian2", [
    ("0*ms", [181, 176, 172, 167]),
    ("0.3*ms", [184, 179, 175, 170]),
    ("(i % 2) * 0.1*ms", [181, 177, 172, 168]),
    ("(i % 2) * 0.5*ms", [181, 181, 172, 172]),
])
def test_a_pathway_before_the_thresholds_gets_brian2s_timing(delay, brian2, backend):
    assert first_input_steps(delay, backend) == brian2
