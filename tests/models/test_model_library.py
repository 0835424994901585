"""The model library as a user browses it: names, presets, printing, changing values."""
import dataclasses

import pytest

from eqsnn import models
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.models import LIF, AdEx, FitzHughNagumo, HodgkinHuxley, Izhikevich, Izhikevich2007
from eqsnn.units import mV, ms, nA, pA

NAUD = ["tonic", "adapting", "initial_burst", "bursting", "delayed_accelerating",
        "delayed_bursting", "transient", "irregular"]


def test_catalogue_lists_every_family_and_preset_and_get_builds_each():
    catalogue = models.catalogue()
    for base in ["LIF", "LIF-conductance", "LIF-capacitance", "LIF-capacitance-conductance",
                 "Izhikevich", "Izhikevich2007", "AdEx", "HodgkinHuxley", "TraubMiles",
                 "FitzHughNagumo"]:
        assert base in catalogue
    for preset in ["RS", "IB", "CH", "FS", "LTS", "TC", "RZ"]:
        assert f"Izhikevich:{preset}" in catalogue
    for preset in NAUD + ["RS", "IB", "CH"]:
        assert f"AdEx:{preset}" in catalogue
    for name, description in catalogue.items():
        model = models.get(name)
        assert isinstance(model, models.Model)
        assert model.name == name
        assert description and "\n" not in description


def test_printing_a_model_shows_equations_parameters_presets_and_citation():
    text = str(Izhikevich("CH"))
    assert "dv/dt = (0.04*v**2/mV + 5*v + 140*mV - u + I) / ms : volt" in text
    assert "c      = -50 mV" in text and "d      = 2 mV" in text
    assert "RS, IB, CH, FS, LTS, TC, RZ" in text
    assert "Izhikevich EM (2003)" in text
    assert repr(Izhikevich("CH")) == text


@pytest.mark.parametrize("preset, values", [
    ("RS", (0.02, 0.2, -65, 8)), ("IB", (0.02, 0.2, -55, 4)), ("CH", (0.02, 0.2, -50, 2)),
    ("FS", (0.1, 0.2, -65, 2)), ("LTS", (0.02, 0.25, -65, 2)), ("TC", (0.02, 0.25, -65, 0.05)),
    ("RZ", (0.1, 0.26, -65, 2))])
def test_izhikevich_2003_presets_have_the_papers_values(preset, values):
    ns = Izhikevich(preset).namespace
    a, b, c, d = values
    assert (ns["a"], ns["b"]) == (a, b)
    assert ns["c"] == c * mV and ns["d"] == d * mV


def test_adex_naud_presets_carry_their_step_current():
    assert AdEx("bursting").stimulus == 210 * pA
    assert AdEx("tonic").stimulus == 500 * pA
    assert AdEx("delayed_bursting").namespace["a"].to("nS").magnitude == -10
    # The RS/IB/CH cell types are Naud's tonic / initial burst / bursting.
    for seed, naud in [("RS", "tonic"), ("IB", "initial_burst"), ("CH", "bursting")]:
        assert dict(AdEx(seed).namespace) == dict(AdEx(naud).namespace)


def test_izhikevich_2007_form_is_reachable_both_ways():
    assert str(Izhikevich("IB", form="2007")) == str(Izhikevich2007("IB"))
    assert Izhikevich2007("CH").namespace["k"] == 1.5 * pA / mV**2


def test_with_parameters_returns_a_new_model_and_leaves_the_original():
    lif = LIF()
    slow = lif.with_parameters(tau=20 * ms, I=1 * nA, refractory=5 * ms)
    assert slow.namespace["tau"] == 20 * ms and slow.initial["I"] == 1 * nA
    assert slow.refractory == 5 * ms
    assert lif.namespace["tau"] == 10 * ms and "I" not in lif.initial
    assert lif.refractory == 2 * ms


def test_models_are_immutable():
    model = Izhikevich("RS")
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.threshold = "v > 0*mV"
    with pytest.raises(TypeError):
        model.namespace["a"] = 0.1


def test_unknown_parameter_names_the_closest_one():
    with pytest.raises(InvalidValueError) as info:
        LIF().with_parameters(taum=20 * ms)
    message = str(info.value)
    assert "model 'LIF' has no parameter 'taum'" in message
    assert "did you mean 'tau'?" in message


def test_parameter_with_the_wrong_unit_is_refused():
    with pytest.raises(DimensionMismatchError) as info:
        AdEx().with_parameters(b=5 * mV)
    assert "parameter 'b' of model 'AdEx' has unit amp" in str(info.value)
    assert "volt" in str(info.value)


def test_unknown_preset_lists_the_presets():
    with pytest.raises(InvalidValueError) as info:
        Izhikevich("XY")
    message = str(info.value)
    assert "Izhikevich has no preset 'XY'" in message
    assert "RS, IB, CH, FS, LTS, TC, RZ" in message
    with pytest.raises(InvalidValueError, match="did you mean 'bursting'"):
        AdEx("bursing")
    with pytest.raises(InvalidValueError, match="HodgkinHuxley has no presets"):
        HodgkinHuxley("fast")


def test_get_unknown_model_suggests_a_name():
    with pytest.raises(InvalidValueError, match="did you mean 'AdEx'"):
        models.get("Adex:tonic")


def test_bad_lif_form_is_refused():
    with pytest.raises(InvalidValueError, match="form='tau' or form='capacitance'"):
        LIF(form="conductance")


def test_state_variables_and_parameters_are_read_from_the_equations():
    assert HodgkinHuxley().state_variables == ("v", "m", "h", "n")
    assert HodgkinHuxley().parameter_names == ("I",)
    assert FitzHughNagumo().state_variables == ("v", "w")
    assert LIF(synapses="conductance").state_variables == ("v", "ge", "gi")


def test_docs_page_has_equations_presets_and_citation():
    from eqsnn.models.docs import render_markdown
    page = render_markdown(AdEx("tonic"), derivation=False)
    assert page.startswith("# AdEx:tonic")
    assert "gL*DeltaT*exp((v - VT)/DeltaT)" in page
    assert "| `bursting` | 200 pF | 10 nS | -58 mV |" in page
    assert "Naud R, Marcille N, Clopath C, Gerstner W (2008)" in page
