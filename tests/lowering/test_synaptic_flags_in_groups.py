"""Flags of synaptic equations in a NeuronGroup are refused, with a caret and what to do
instead, as Brian2 2.9.0 refuses them ("Equations of type 'differential equation' cannot
have a flag 'event-driven', only the following flags are allowed: ('unless
refractory',)"). eqsnn took them silently: an (event-driven) trace was integrated every
step, a (summed) subexpression was an ordinary one."""
import pytest

import eqsnn as es
from eqsnn.errors import InvalidValueError

CASES = [
    ("dapre/dt = -apre/(20*ms) : 1 (event-driven)", "event-driven", "apre",
     "put the equation in a Synapses model"),
    ("dv/dt = -v/(10*ms) : 1 (clock-driven)", "clock-driven", "v", "remove the flag"),
    ("dv/dt = (I - v)/(10*ms) : 1\nI = 2 : 1 (summed)", "summed", "I",
     "belongs in the Synapses model"),
    ("dv/dt = (I - v)/(10*ms) : 1\nI : 1 (summed)", "summed", "I",
     "with 'x : unit' declared here"),
]


@pytest.mark.parametrize("equations, flag, name, hint", CASES)
def test_a_synaptic_flag_in_a_neuron_group_is_refused_with_a_caret(equations, flag, name, hint):
    with pytest.raises(InvalidValueError) as info:
        es.NeuronGroup(2, equations)
    error = info.value
    assert error.message == (f"the flag ({flag}) on {name!r} is for the equations of a "
                             f"Synapses model, not of a neuron group")
    assert hint in error.hint
    assert error.span is not None and name in error.span.line_text


def test_the_same_flags_are_a_synapses():
    cells = es.NeuronGroup(2, "dv/dt = -v/(10*ms) : 1\nI : 1")
    es.Synapses(cells, cells, """
        dapre/dt = -apre/(20*ms) : 1 (event-driven)
        dg/dt = -g/(5*ms) : 1 (clock-driven)
        I_post = g : 1 (summed)
        """, on_pre="apre += 1")
