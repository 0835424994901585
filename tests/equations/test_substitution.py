"""``Equations(text, **replacements)`` and ``+``, as Brian2's (docs_sphinx/user/
equations.rst, "Equations objects"): names replaced by names, expressions or values."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import EquationSyntaxError, InvalidValueError
from eqsnn.units import mV, ms, nS


def test_names_are_replaced_by_names_in_the_defined_name_and_the_right_hand_side():
    general = "dg/dt = -g / tau : siemens  # a conductance"
    assert es.Equations(general, g="g_e", tau="tau_e") == es.Equations(
        "dg_e/dt = -g_e/tau_e : siemens")
    # a whole token only: 'tau' in 'tau_e' or 'vtau' is left alone
    assert es.Equations("dv/dt = -v/tau + vtau/tau_e : volt", tau="T") == es.Equations(
        "dv/dt = -v/T + vtau/tau_e : volt")


def test_values_are_inserted_as_brian2_documents():
    eqs = es.Equations("dv/dt = mu/tau + sigma/tau**.5*xi : volt",
                       mu=-65 * mV, sigma=3 * mV, tau=10 * ms)
    # "exactly equivalent" to the values written in (here in SI units)
    assert eqs == es.Equations(
        "dv/dt = (-0.065*volt)/(0.01*second) + (0.003*volt)/(0.01*second)**.5*xi : volt")
    assert es.Equations("dx/dt = -k*x/ms : 1", k=2) == es.Equations("dx/dt = -2*x/ms : 1")


def test_units_and_flags_are_not_replaced():
    eqs = es.Equations("dv/dt = (k*volt - v)/second : volt (unless refractory)", volt="mV")
    assert eqs == es.Equations("dv/dt = (k*mV - v)/second : volt (unless refractory)")


def test_plus_combines_and_refuses_a_second_definition():
    membrane = es.Equations("dv/dt = -(v + I)/tau : volt")
    combined = membrane + es.Equations("I = sin(2*pi*freq*t)*mV : volt\nfreq : Hz")
    assert set(combined.names) == {"v", "I", "freq"}
    with pytest.raises(EquationSyntaxError, match="defined twice"):
        combined + es.Equations("I : volt")


@pytest.mark.parametrize("replacements, words", [
    ({"tua": "x"}, "did you mean 'tau'"),
    ({"v": 3 * mV}, "give a name"),
    ({"tau": [1, 2] * ms}, "needs one value"),
    ({"tau": ""}, "empty"),
])
def test_a_replacement_that_cannot_work_is_refused(replacements, words):
    with pytest.raises(InvalidValueError) as info:
        es.Equations("dv/dt = -v/tau : volt", **replacements)
    assert words in str(info.value)


def test_a_group_of_substituted_equations_runs_like_the_written_ones():
    """Two conductances from one template decay with their own time constants."""
    template = "dg/dt = -g/tau : siemens"
    eqs = es.Equations(template, g="g_e", tau=5 * ms) + es.Equations(template, g="g_i",
                                                                     tau="tau_i")
    group = es.NeuronGroup(1, eqs, namespace={"tau_i": 10 * ms}, method="exact")
    group.g_e, group.g_i = 1 * nS, 1 * nS
    es.Network(group, backend="numpy", dt=0.1 * ms).run(10 * ms)
    np.testing.assert_allclose([group.g_e_[0], group.g_i_[0]],
                               [1e-9 * np.exp(-2), 1e-9 * np.exp(-1)], rtol=1e-12)
