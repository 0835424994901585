"""A bare name is a condition only if it is a boolean variable: a custom event ``"v"``
or a connect condition ``"v_pre"``, ``"i"``, ``"j > 0 and i"`` is refused with a caret at
the name, as Brian2 2.9.0 refuses them ("Threshold condition 'v' is not a boolean
expression", "Condition 'i' is not a boolean condition", "Expression ought to be boolean
but is not"; checked with ~/.cache/eqsnn/bench/brian2-2.9.0/bin/python, numpy target).
Thresholds and string indices already refused numbers; a boolean variable is accepted
everywhere, on both backends.
"""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError
from eqsnn.units import ms


def _synapses():
    group = es.NeuronGroup(4, "v : 1\nb : boolean")
    return es.Synapses(group, group, "w : 1")


@pytest.mark.parametrize("condition", ["v_pre", "v_post", "i"])
def test_a_connect_condition_is_not_a_name_holding_a_number(condition):
    with pytest.raises(InvalidValueError) as caught:
        _synapses().connect(condition=condition)
    message = str(caught.value)
    assert (f"the condition must be a comparison such as 'i != j', but {condition!r} is a "
            f"number") in message
    assert f"    {condition}\n    {'^' + '~' * (len(condition) - 1)}" in message


@pytest.mark.parametrize("condition, caret, declare", [
    ("j > 0 and i", "    j > 0 and i\n              ^", False),
    ("v_post > 0 or v_pre", "    v_post > 0 or v_pre\n                  ^~~~~", True),
    ("not v_post", "    not v_post\n        ^~~~~~", True),
])
def test_a_name_in_and_or_not_is_not_a_number(condition, caret, declare):
    with pytest.raises(InvalidValueError) as caught:
        _synapses().connect(condition=condition)
    message = str(caught.value)
    name = condition.split()[-1]
    assert f"{name!r} is used as a condition, but it is a number" in message
    assert f"compare it with something, e.g. '{name} > 0'" in message
    assert ("declare it ': boolean'" in message) is declare
    assert caret in message


def test_a_synaptic_string_index_is_not_a_number():
    synapses = _synapses()
    synapses.connect()
    with pytest.raises(InvalidValueError, match="the index must be a comparison"):
        synapses.w["w"] = 1
    with pytest.raises(InvalidValueError, match="'w' is used as a condition"):
        synapses.w["i > 0 and w"] = 1


@pytest.mark.parametrize("text, says", [
    ("v", "the events['custom'] must be a condition, but 'v' is a number"),
    ("v and b", "'v' is used as a condition, but it is a number"),
    ("not v", "'v' is used as a condition, but it is a number")])
def test_a_custom_event_condition_is_not_a_number(text, says):
    with pytest.raises(InvalidValueError, match=says.replace("[", "\\[").replace("]", "\\]")) \
            as caught:
        es.NeuronGroup(2, "v : 1\nb : boolean", events={"custom": text})
    assert "in events['custom']" in str(caught.value)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_boolean_variables_are_conditions(backend):
    group = es.NeuronGroup(6, "dv/dt = 1/ms : 1\nb : boolean",
                           events={"custom": "b and v > 0.25"}, reset="v = 0")
    group.b = "i % 2 == 0"
    counts = es.EventMonitor(group, "custom")
    synapses = es.Synapses(group, group, "w : 1")
    synapses.connect(condition="b_pre and not b_post")
    assert sorted(zip(synapses.i, synapses.j)) == [
        (i, j) for i in (0, 2, 4) for j in (1, 3, 5)]
    es.Network(group, counts, backend=backend, dt=0.1 * ms).run(1 * ms)
    assert set(np.unique(counts.i)) == {0, 2, 4}
