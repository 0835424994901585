"""Port of Brian2's examples/synapses/spatial_connections.py: a 20 x 20 grid of neurons
placed with ``//`` and ``%`` in string initialisers, connected deterministically within
120 µm and stochastically with a Gaussian profile.

Features: ``//`` and ``%`` in initialisers, distance conditions on pre- and
postsynaptic variables with units, ``connect("i != j", p="1.5*exp(...)")`` (a
probability above 1 near the centre, clipped as in Brian2).
Reference: Brian2 2.9.0 running the original with 8 seeds (references.json
"spatial_connections"): the deterministic connection count must equal Brian2's; the
stochastic one must lie within 4 s.d. of Brian2's spread.
"""
import eqsnn as es
from eqsnn.units import umeter

from _gallery import assert_in_spread, reference

def test_connection_counts_are_brian2s():
    rows = cols = 20
    grid_dist = 25 * umeter
    G = es.NeuronGroup(rows * cols, "x : meter\ny : meter",
                       namespace={"rows": rows, "cols": cols, "grid_dist": grid_dist})
    G.x = "(i // rows) * grid_dist - rows/2.0 * grid_dist"
    G.y = "(i % rows) * grid_dist - cols/2.0 * grid_dist"
    deterministic = es.Synapses(G, G, namespace={"distance": 120 * umeter})
    deterministic.connect("sqrt((x_pre - x_post)**2 + (y_pre - y_post)**2) < distance")
    stochastic = es.Synapses(G, G, seed=10)
    stochastic.connect("i != j",
                       p="1.5 * exp(-((x_pre-x_post)**2 + (y_pre-y_post)**2)/(2*(60*umeter)**2))")
    assert deterministic.N == reference("spatial_connections")[0]["n_deterministic"]
    assert_in_spread(stochastic.N, "spatial_connections", "n_stochastic")
