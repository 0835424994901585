"""Names that have a value only inside the simulation loop (``dt``, ``not_refractory``,
a synapse's ``not_refractory_pre``/``_post``) read in a string that Python evaluates: the
build stage refuses them (eqsnn/lowering/loop_only.py) with the caret at the name and
how to get the value, never a raw KeyError (found by the lead in session 3: ``G.v =
"dt/ms"`` raised ``KeyError: 'dt'``), and nothing is written.

Brian2 2.9.0 reads both there (``G.v = 'dt/ms*mV'`` gives 0.1 mV at its default clock;
``not_refractory`` is 1 outside a refractory period: run with
~/.cache/eqsnn/bench/brian2-2.9.0/bin/python, numpy target); docs/brian2.md gives the
workarounds, and with a string refractoriness eqsnn reads ``not_refractory`` as Brian2.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import UnsupportedEquationsError
from eqsnn.units import Hz, mV, ms

LIF = "dv/dt = -v/(10*ms) : 1 (unless refractory)"


def _group(refractory=2 * ms, model=LIF):
    return es.NeuronGroup(3, model, threshold="v > 1", reset="v = 0", refractory=refractory)


def _refused(set_it, name: str, column: int, hint: str):
    with pytest.raises(UnsupportedEquationsError) as caught:
        set_it()
    message = str(caught.value)
    assert f"{name!r} cannot be read in a value or index set from Python" in message
    assert "only inside the simulation loop" in message
    assert f"column {column}:" in message
    caret = message.splitlines()[message.splitlines().index(
        next(line for line in message.splitlines() if "^" in line))]
    assert caret.index("^") - 4 == column - 1   # (the text is indented by four)
    assert caret.count("~") == len(name) - 1
    assert hint in message
    return message


@pytest.mark.parametrize("text, name, column, hint", [
    ("dt/ms", "dt", 1, "namespace={'step': 0.1*ms}"),
    ("1.0 + 2*not_refractory", "not_refractory", 9, "refractory='2*ms'"),
])
def test_a_loop_name_in_a_string_value_is_refused_where_it_is_written(text, name, column,
                                                                      hint):
    G = _group()
    G.v = [2, 0, 0]
    es.Network(G).run(0.5 * ms)
    before = np.array(G.v_[:])
    _refused(lambda: setattr(G, "v", text), name, column, hint)
    np.testing.assert_array_equal(G.v_[:], before)   # nothing was written


def test_a_string_index_and_a_subgroup_refuse_them_too():
    G = _group()
    _refused(lambda: G.v.__setitem__("dt > 0*ms", 1.0), "dt", 1, "run_regularly")
    _refused(lambda: G.v.__getitem__("not_refractory > 0"), "not_refractory", 1,
             "refractory='2*ms'")
    _refused(lambda: setattr(G[1:], "v", "i + dt/ms"), "dt", 5, "0.1*ms")


def test_a_loop_name_reached_through_a_subexpression_points_at_the_whole_text():
    G = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : 1\nrate = v/dt : Hz")
    with pytest.raises(UnsupportedEquationsError, match=r"through a subexpression it uses"
                                                        r"(?s:.*)column 1:\n    rate\*ms\n"
                                                        r"    \^~~~~~~"):
        G.v = "rate*ms"


def test_a_string_refractoriness_keeps_not_refractory_readable_as_in_brian2():
    G = _group(refractory="2*ms")
    G.v = "2*not_refractory"      # Brian2: not_refractory is 1 before any spike
    np.testing.assert_array_equal(G.v_[:], [2.0, 2.0, 2.0])
    assert len(G.v["not_refractory > 0"]) == 3
    _refused(lambda: setattr(G, "v", "dt/ms"), "dt", 1, "0.1*ms")


@pytest.mark.parametrize("refractory", [None, 2 * ms])
def test_synapse_strings_refuse_dt_and_a_side_s_refractoriness(refractory):
    G = _group(refractory) if refractory is not None else es.NeuronGroup(3, "v : 1")
    S = es.Synapses(G, G, "w : 1")
    S.connect(j="i")
    S.w = 0.5
    _refused(lambda: setattr(S, "w", "w + dt/ms"), "dt", 5, "0.1*ms")
    _refused(lambda: setattr(S, "w", "1.0*not_refractory_pre"), "not_refractory_pre", 5,
             "refractory='2*ms'")
    np.testing.assert_array_equal(S.w_[:], [0.5, 0.5, 0.5])


def test_synapse_strings_read_a_string_refractoriness():
    G = _group(refractory="2*ms")
    S = es.Synapses(G, G, "w : 1")
    S.connect(j="i")
    S.w = "3*not_refractory_post"
    np.testing.assert_array_equal(S.w_[:], [3.0, 3.0, 3.0])


def test_a_poisson_input_weight_refuses_dt():
    G = _group(model="dv/dt = -v/(10*ms) : 1")
    _refused(lambda: es.PoissonInput(G, "v", N=10, rate=10 * Hz, weight="0.1*dt/ms"),
             "dt", 5, "0.1*ms")
