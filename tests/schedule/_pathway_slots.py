"""One network with every kind of pathway, written once for eqsnn and for Brian2.

``build(sim, ms, when, order)`` takes the simulator's module (``eqsnn`` or ``brian2``:
the names used here are the same in both) and its millisecond, and moves every pathway
to slot ``when`` (at ``order``, or each pathway's default: -1 for ``on_pre``, +1 for
``on_post``). tests/schedule/test_pathway_slots.py runs it with eqsnn,
tests/schedule/brian2_pathway_slots.py with Brian2 2.9.0 (which wrote
brian2_pathway_slots.json).

Three senders, each spiking at known steps: ``g``, neurons charging at three speeds
(threshold and reset), ``gen``, a SpikeGeneratorGroup (spikes at step 0 too), and
``poi``, a PoissonGroup whose rates are 0 or 2/dt at given steps (so it spikes exactly
there). Each pathway onto the two neurons of ``h`` adds ``w = 2**sender`` to a variable
of its own, so every change of it tells which senders' spikes arrived at that step:

=========  =======  ===========================================  ==========================
pathway    sender   delay (steps)                                variable of ``h``
=========  =======  ===========================================  ==========================
s_zero     g        0                                            xa
s_single   g        2 (one for all)                              xb
s_mixed    g        (i + 2j) % 3: 0, 1 or 2                      xc
s_late     g        1 + (i + j) % 2: 1 or 2                      xd
early      g        (i + 2j) % 3; its name sorts before          xe
                    ``g_thresholder`` (a tie in the same order)
s_post     g        (i + j) % 3, ``on_post`` (g is the target)   y
s_gen      gen      (i + 2j) % 3                                 xf
s_poi      poi      (i + 2j) % 3                                 xg
=========  =======  ===========================================  ==========================

:func:`arrivals` reads them from a StateMonitor in ``start`` (Brian2's default): for
each variable, the ``[step, neuron of h, sender]`` of every arrival, as the monitor sees
it (the step it first records the new value).
"""
from __future__ import annotations

import numpy as np

#: every slot a pathway can be put in (Brian2's default schedule)
SLOTS = tuple(f"{prefix}{slot}" for slot in ("start", "groups", "thresholds", "synapses",
                                             "resets", "end")
              for prefix in ("before_", "", "after_"))
#: (when, order) of every case: each slot with the default orders, and the threshold's
#: own slot at order 0 (ties by name: ``early`` runs before ``g``'s threshold, the
#: others after theirs) and 1 (every pathway after the thresholds)
CASES = tuple((when, None) for when in SLOTS) + (("thresholds", 0), ("thresholds", 1))
#: a schedule of one's own (``net.schedule``) with the synapses before the thresholds:
#: a pathway in ``synapses`` then runs before its sender's threshold
SYNAPSES_FIRST = ("start", "groups", "synapses", "thresholds", "resets", "end")
VARIABLES = ("xa", "xb", "xc", "xd", "xe", "xf", "xg", "y")
DURATION = 4.0  # ms: 40 steps of 0.1 ms
RATES = "20*kHz*int(int(t/(0.1*ms) + 0.5) % (3 + i) == 1)"  # steps 1, 4, 7.. for i = 0
MIXED = "((i + 2*j) % 3)*0.1*ms"


def build(sim, ms, when: str, order: int | None = None):
    """The network's objects (monitor last) with every pathway at ``when``, ``order``."""
    g = sim.NeuronGroup(3, "dv/dt = (0.7 + 0.45*i)/ms : 1", threshold="v > 1",
                        reset="v = 0", method="euler", name="g")
    gen = sim.SpikeGeneratorGroup(3, [0, 1, 2, 0, 2, 1, 0],
                                  np.array([0, 0, 0.3, 0.4, 1.1, 1.6, 2.5]) * ms, name="gen")
    poi = sim.PoissonGroup(3, rates=RATES, name="poi")
    h = sim.NeuronGroup(2, "\n".join(f"{var} : 1" for var in VARIABLES), name="h")
    paths = []

    def pathway(source, name, var, delay):
        syn = sim.Synapses(source, h, "w : 1", on_pre=f"{var}_post += w", name=name)
        syn.connect()
        syn.w = "2.0**i"
        syn.delay = delay
        paths.append(syn.pre)
        return syn

    synapses = [pathway(g, "s_zero", "xa", "0*ms"), pathway(g, "s_single", "xb", "0.2*ms"),
                pathway(g, "s_mixed", "xc", MIXED),
                pathway(g, "s_late", "xd", "(1 + (i + j) % 2)*0.1*ms"),
                pathway(g, "early", "xe", MIXED), pathway(gen, "s_gen", "xf", MIXED),
                pathway(poi, "s_poi", "xg", MIXED)]
    post = sim.Synapses(h, g, "w : 1", on_post="y_pre += w", name="s_post")
    post.connect()
    post.w = "2.0**j"
    post.post.delay = "((i + j) % 3)*0.1*ms"
    paths.append(post.post)
    for path in paths:
        path.when = when
        if order is not None:
            path.order = order
    monitor = sim.StateMonitor(h, list(VARIABLES), record=True, name="mon")
    return [g, gen, poi, h, *synapses, post, monitor]


def arrivals(monitor) -> dict[str, list[list[int]]]:
    """``{variable: [[step, neuron, sender], ...]}`` from the monitor's records."""
    found = {}
    for var in VARIABLES:
        values = np.asarray(getattr(monitor, var))  # (neurons, steps), dimensionless
        rises = np.diff(values, axis=1)
        entries = []
        for neuron, step in zip(*np.nonzero(rises)):
            bits = int(round(rises[neuron, step]))  # the sum of 2**sender that arrived
            entries += [[int(step) + 1, int(neuron), s] for s in range(8) if bits >> s & 1]
        found[var] = sorted(entries)
    return found


def key(when: str, order: int | None) -> str:
    """A case's name in the JSON file: ``when`` or ``when@order``."""
    return when if order is None else f"{when}@{order}"


#: the name of the case of SYNAPSES_FIRST (every pathway in its default slot)
SYNAPSES_FIRST_KEY = "schedule:synapses-first"
