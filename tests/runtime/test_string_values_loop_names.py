"""Names that exist only inside the simulation loop (``dt``, ``not_refractory``) read
in a string value set from Python: an eqsnn error with a hint, never a raw KeyError
(found by the lead in session 3: ``G.v = "dt/ms"`` raised ``KeyError: 'dt'``).
Brian2 can read both there; eqsnn cannot yet (docs/brian2.md says so)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.units import ms


@pytest.mark.parametrize("text", ["dt/ms", "1.0*not_refractory"])
def test_a_loop_name_in_a_string_value_is_an_eqsnn_error(text):
    G = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : 1 (unless refractory)", threshold="v > 1",
                       reset="v = 0", refractory=2 * ms)
    G.v = [2, 0, 0]
    es.Network(G).run(0.5 * ms)
    before = np.array(G.v_[:])
    with pytest.raises(UnsupportedEquationsError, match="cannot be read in a value or index "
                                                        "set from Python(?s:.*)hint"):
        G.v = text
    np.testing.assert_array_equal(G.v_[:], before)   # nothing was written
