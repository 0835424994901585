"""A unit check that zero cannot fool (issue 13 item 3), at the level of the parser:
``0*nA`` is a current like ``2*nA``, although SymPy folds it to ``0``; a bare ``0``
fits any unit, as in Brian2."""
import pytest

from eqsnn.equations import Equations, parse_expression, parse_statements
from eqsnn.equations.dimensions import dimension_as_written
from eqsnn.errors import DimensionMismatchError
from eqsnn.units import ureg

VOLT = ureg.volt.dimensionality
AMP = ureg.ampere.dimensionality
DIMS = {"v": VOLT, "El": VOLT, "mV": VOLT, "nA": AMP, "ms": ureg.second.dimensionality}


@pytest.mark.parametrize("zero, two", [("0*nA", "2*nA"), ("El + 0*nA", "El + 2*nA"),
                                       ("(nA - nA)*1", "nA*1"), ("0.0*nA/1", "nA/1")])
def test_a_zero_current_for_a_voltage_fails_like_a_nonzero_one(zero, two):
    for text in (zero, two):
        with pytest.raises(DimensionMismatchError) as info:
            Equations(f"x = {text} : volt").check_units(DIMS)
        assert "amp" in str(info.value)


def test_a_zero_current_in_a_differential_equation_is_caught():
    with pytest.raises(DimensionMismatchError) as info:
        Equations("dv/dt = (El - v + 0*nA)/(10*ms) : volt").check_units(DIMS)
    assert "0*nA  [amp]" in info.value.message


@pytest.mark.parametrize("text", ["0", "0.0", "-0", "0*mV", "El + 0*mV"])
def test_zeros_that_fit_are_accepted(text):
    Equations(f"x = {text} : volt").check_units(DIMS)


def test_statement_and_threshold_keep_the_expression_as_written():
    (statement,) = parse_statements("v = 0*nA")
    assert statement.expr == 0
    assert dimension_as_written(statement.unit_expr, DIMS) == AMP
    (bare,) = parse_statements("v = 0")
    assert dimension_as_written(bare.unit_expr, DIMS) is None  # fits any unit
    threshold = parse_expression("v > 0*nA", label="threshold")
    with pytest.raises(DimensionMismatchError):
        dimension_as_written(threshold.unit_expr, DIMS)
    with pytest.raises(DimensionMismatchError):
        dimension_as_written(parse_statements("v = El + 0*nA")[0].unit_expr, DIMS)


def test_nothing_folded_means_the_same_expression_object():
    parsed = parse_expression("v > El + 2*mV")
    assert parsed.unit_expr is parsed.expr


# --- the same rule where groups and synapses use strings --------------------------------
import eqsnn as es  # noqa: E402
from eqsnn.units import mV, ms, nA  # noqa: E402

LIF = "dv/dt = (El - v)/(10*ms) : volt"


def _group(**strings):
    return es.NeuronGroup(1, LIF, namespace={"El": -70 * mV},
                          **{"threshold": "v > -50*mV", **strings})


@pytest.mark.parametrize("strings", [
    {"reset": "v = 0*nA"}, {"reset": "v = 2*nA"},
    {"threshold": "v > 0*nA"}, {"threshold": "v > 2*nA"},
    {"reset": "v = El + 0*nA"}, {"reset": "v = El + 2*nA"},
], ids=["reset-zero", "reset-two", "threshold-zero", "threshold-two", "reset-sum-zero",
        "reset-sum-two"])
def test_zero_current_for_a_voltage_is_refused_like_a_nonzero_one(strings):
    with pytest.raises(DimensionMismatchError) as info:
        _group(**strings)
    assert "amp" in str(info.value) and "volt" in str(info.value)


@pytest.mark.parametrize("strings", [{"reset": "v = 0"}, {"reset": "v = 0*mV"},
                                     {"reset": "v = El + 0"}, {"threshold": "v > 0"}])
def test_a_bare_zero_fits_a_voltage(strings):
    _group(**strings)


def test_initial_values_of_zero():
    group = _group()
    group.v = 0
    group.v = "0"
    group.v = "0*mV"
    with pytest.raises(DimensionMismatchError):
        group.v = "0*nA"


def test_synaptic_statement_with_a_zero_current():
    source = es.NeuronGroup(1, LIF, namespace={"El": -70 * mV})
    target = es.NeuronGroup(1, LIF, namespace={"El": -70 * mV})
    es.Synapses(source, target, on_pre="v_post = 0")
    with pytest.raises(DimensionMismatchError):
        es.Synapses(source, target, on_pre="v_post = 0*nA")
    with pytest.raises(DimensionMismatchError):
        es.Synapses(source, target, on_pre="v = 0*nA")  # implicitly the target's v


def test_synaptic_string_values_with_a_zero_current():
    group = es.NeuronGroup(2, LIF, namespace={"El": -70 * mV})
    syn = es.Synapses(group, group, "w : volt")
    syn.connect(i=[0], j=[1])
    syn.w = "0"
    syn.w = "0*mV"
    with pytest.raises(DimensionMismatchError):
        syn.w = "0*nA"
