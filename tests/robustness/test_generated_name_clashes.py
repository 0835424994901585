"""User names that look like the names eqsnn generates (issue 19 item 4): a summed
target named like a pathway's own arrays, variables named like a method's temporaries
or like another group's arrays. Each model must run with the meaning written, the same
on both backends (a clash was an internal error, or silently another array)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import ms

BACKENDS = ["c", "numpy"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("target", ["pre", "post", "n", "N_pre_x", "order", "ring"])
def test_a_summed_target_named_like_a_pathways_arrays(backend, target):
    group = es.NeuronGroup(2, f"{target} : 1\nv : 1", threshold="v > 1")
    syn = es.Synapses(group, group, f"w : 1\n{target}_post = w : 1 (summed)",
                      on_pre="v_post += w")
    syn.connect(i=[0, 1, 0], j=[1, 1, 0])
    syn.w = [1.0, 2.0, 4.0]
    es.Network(group, syn, backend=backend).run(0.2 * ms)
    np.testing.assert_array_equal(np.asarray(getattr(group, target)), [4.0, 3.0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_variables_named_like_heun_temporaries_and_other_groups_arrays(backend):
    # heun's stage values of v in group 1 and a variable 'v_v' (whose array name once
    # read like group 1's 'v') must stay apart: both groups spike alike.
    drive = "(1.5 - {x})/(10*ms)"
    first = es.NeuronGroup(3, f"dv/dt = {drive.format(x='v')} : 1", threshold="v > 1",
                           reset="v = 0", method="heun")
    second = es.NeuronGroup(3, f"dv_v/dt = {drive.format(x='v_v')} : 1\n"
                               f"dv/dt = {drive.format(x='v')} : 1\n"
                               f"c_v : 1\nli_v : 1",
                            threshold="v_v > 1", reset="v_v = 0", method="heun")
    second.c_v = 1
    counts = [es.SpikeMonitor(first), es.SpikeMonitor(second)]
    es.Network(first, second, *counts, backend=backend).run(50 * ms)
    assert counts[0].num_spikes == counts[1].num_spikes == 12
    np.testing.assert_allclose(np.asarray(second.v), np.asarray(second.v)[0])
    assert np.asarray(second.c_v).tolist() == [1, 1, 1]
