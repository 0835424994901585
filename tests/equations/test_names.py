"""Names (issue 19 item 4, parser side): one NFKC form everywhere, a prefix that only
generated names take, built-ins that a namespace entry cannot silently shadow."""
import pytest

from eqsnn.equations import Equations, parse_expression, parse_statements
from eqsnn.equations.shadowing import refuse_shadowed_builtins
from eqsnn.equations.symbols import GENERATED_PREFIX, generated_name, normalise_name, symbol
from eqsnn.errors import EquationSyntaxError, InvalidValueError, ReservedNameError

LIGATURE = "a\ufb01"  # 'a' + LATIN SMALL LIGATURE FI: NFKC 'afi'


def test_normalise_name_is_pythons_identifier_form():
    namespace = {}
    exec(f"{LIGATURE} = 1", namespace)  # Python itself stores the NFKC form
    assert "afi" in namespace and normalise_name(LIGATURE) == "afi"
    assert symbol(LIGATURE) == symbol("afi")


def test_a_defined_ligature_name_is_the_name_used_in_expressions():
    eqs = Equations(f"{LIGATURE} : 1\nb = 2*{LIGATURE} : 1")
    assert eqs.names == ("afi", "b")
    assert eqs["b"].names == {"afi"} and eqs.external_names == frozenset()
    assert LIGATURE in eqs and eqs[LIGATURE] is eqs["afi"]


def test_two_spellings_of_one_name_are_defined_twice():
    with pytest.raises(EquationSyntaxError) as info:
        Equations(f"afi : 1\n{LIGATURE} : 1")
    assert "'afi' is defined twice (first on line 1)" in info.value.message
    assert "NFKC" in info.value.hint


def test_ligature_in_a_derivative_and_a_statement_target():
    eqs = Equations(f"d{LIGATURE}/dt = -{LIGATURE}/tau : 1\ntau : second")
    assert list(eqs.differential) == ["afi"]
    assert eqs.rhs(LIGATURE) == eqs.rhs("afi")
    (statement,) = parse_statements(f"{LIGATURE} += 1")
    assert statement.target == "afi"


@pytest.mark.parametrize("make", [
    lambda: Equations("_v : 1"),
    lambda: Equations("a = _v + 1 : 1"),
    lambda: Equations("a = _f(1) : 1"),
    lambda: parse_expression("_v > 1", label="threshold"),
    lambda: parse_statements("_v = 1"),
], ids=["definition", "expression", "function", "threshold", "statement-target"])
def test_the_generated_prefix_is_refused_in_user_names(make):
    with pytest.raises(ReservedNameError) as info:
        make()
    assert f"'{GENERATED_PREFIX}" in str(info.value)


def test_generated_names_are_unambiguous():
    # The two clashes of issue 19: heun's temporaries against group arrays, a summed
    # target 'pre' against a pathway's own index arrays.
    assert generated_name("g1", "v_v") != generated_name("g1_v", "v")
    assert generated_name("s0_start", "pre") != generated_name("s0_pre_start")
    assert generated_name("g1", "v").startswith(GENERATED_PREFIX)
    for bad_kind in ["", "_g1", "g1_", "g1__v"]:
        with pytest.raises(ValueError):
            generated_name(bad_kind, "v")
    with pytest.raises(ValueError):
        generated_name("g1", "_v")


def test_builtin_names_are_recorded_everywhere():
    eqs = Equations("dv/dt = exp(-v)*pi/tau + rand()/tau : 1\ntau : second")
    assert eqs.builtin_names == {"exp", "pi", "rand"}
    assert parse_expression("sin(v) > e").builtins == {"sin", "e"}
    assert parse_statements("v = clip(v, 0, 1)")[0].builtins == {"clip"}


@pytest.mark.parametrize("key, kind", [("exp", "function exp()"), ("pi", "constant pi"),
                                       ("e", "constant e"), ("rand", "random function")])
def test_a_namespace_entry_shadowing_a_used_builtin_is_refused(key, kind):
    eqs = Equations("dv/dt = exp(-v)*pi*e/tau + rand()/tau : 1\ntau : second")
    with pytest.raises(InvalidValueError) as info:
        refuse_shadowed_builtins({key: 1.0, "tau": 2.0}, eqs.builtin_names)
    assert f"namespace entry '{key}'" in info.value.message and kind in info.value.message
    assert "rename the entry" in info.value.hint


def test_a_namespace_entry_named_like_an_unused_builtin_is_fine():
    eqs = Equations("dv/dt = -v/tau : 1\ntau : second")
    refuse_shadowed_builtins({"exp": 1.0, "tau": 2.0}, eqs.builtin_names)


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_getattr_and_setattr_with_a_ligature_reach_the_one_variable(backend):
    import numpy as np

    import eqsnn as es
    from eqsnn.units import ms
    group = es.NeuronGroup(2, f"d{LIGATURE}/dt = 1/ms : 1")
    setattr(group, LIGATURE, 1.0)  # Python itself would store the name as written
    es.Network(group, backend=backend).run(1 * ms)
    np.testing.assert_allclose(np.asarray(getattr(group, LIGATURE)), 2.0)
    np.testing.assert_allclose(np.asarray(group.afi), 2.0)
    assert getattr(group, LIGATURE + "_").tolist() == group.afi_.tolist()


@pytest.mark.parametrize("micro", ["\u00b5", "\u03bc"], ids=["micro-sign", "greek-mu"])
def test_micro_written_as_mu_is_the_u_prefix(micro):
    import eqsnn as es
    import eqsnn.units as units
    assert getattr(units, f"{micro}s") == units.us
    namespace = {}
    exec(f"from eqsnn.units import {micro}A", namespace)  # Python stores NFKC: Greek mu
    assert namespace["\u03bcA"] == units.uA
    group = es.NeuronGroup(1, f"dv/dt = 1/(10*{micro}s) : 1\nI : {micro}A")
    assert group.equations["I"].dim == units.uA.dimensionality
    assert f"{micro}s" not in list(units.UNIT_NAMES)  # listed: Brian2's names only


def test_a_complex_quantity_prints_and_its_repr_reads_back():
    import numpy as np

    import eqsnn.units as units
    value = (0.5 + 2j) * units.ms
    assert str(value) == "0.5+2.j ms"
    assert eval(repr(value), vars(units)) == value  # noqa: S307  (our own repr)
    assert repr(np.array([1j, 2]) * units.mV) == "array([0.+1.j, 2.+0.j]) * mV"
