"""Port of Brian2's examples/advanced/custom_events.py: a neuron with a custom event
``gspike`` (g crosses 1 while allowed) besides its spike, and a synapse with one pathway
per event (``on_event={"pre": "spike", "gpath": "gspike"}``), 500 ms of 250 Hz Poisson
input.

Features: ``events={...}``, ``run_on_event``, named pathways triggered by different
events, ``EventMonitor`` and ``SpikeMonitor``, a ``boolean`` variable in conditions and
assigned in resets and event code, as the original writes it; the monitors record ``g``
and ``v`` at the events (``EventMonitor(G, 'gspike', 'g')``, ``SpikeMonitor(G, 'v')``).
Reference: Brian2 2.9.0 running the original with 8 seeds (references.json
"custom_events"): the numbers of spikes and of gspike events must lie within 4 s.d. of
Brian2's spread.
"""
import eqsnn as es
from eqsnn.units import Hz, ms

from _gallery import assert_in_spread


def test_event_counts_within_brian2s_spread():
    inp = es.PoissonGroup(1, rates=250 * Hz)
    G = es.NeuronGroup(1, """
        dv/dt = (g-v)/(50*ms) : 1
        dg/dt = -g/(10*ms) : 1
        allow_gspike : boolean
        """, threshold="v>1", reset="v = 0; g = 0; allow_gspike = True;",
        events={"gspike": "g>1 and allow_gspike",
                "end_gspike": "g<1 and not allow_gspike"})
    G.run_on_event("gspike", "allow_gspike = False")
    G.run_on_event("end_gspike", "allow_gspike = True")
    H = es.NeuronGroup(1, "dx/dt = -x/(10*ms) : 1\ndy/dt = -y/(10*ms) : 1")
    Sin = es.Synapses(inp, G, on_pre="g += 0.5")
    Sin.connect()
    S = es.Synapses(G, H, on_pre={"pre": "x += 1", "gpath": "y += 1"},
                    on_event={"pre": "spike", "gpath": "gspike"})
    S.connect()
    Mgspike = es.EventMonitor(G, "gspike", "g")
    Mspike = es.SpikeMonitor(G, "v")
    G.allow_gspike = True
    es.Network(inp, G, H, Sin, S, Mgspike, Mspike, seed=14).run(500 * ms)
    assert_in_spread(Mspike.num_spikes, "custom_events", "spikes")
    assert_in_spread(Mgspike.num_events, "custom_events", "gspikes")
    # the values at each event are those that made it: taken before the reset/event code
    assert Mgspike.g.size == Mgspike.num_events and (Mgspike.g > 1).all()
    assert Mspike.v.size == Mspike.num_spikes and (Mspike.v > 1).all()
