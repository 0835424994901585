"""The model library as documentation: printing, derivations, and the generated pages."""
import re
from pathlib import Path

import numpy as np
import pytest

import eqsnn as es
from eqsnn import models
from eqsnn.models.docs import figure_panels, pages, step_response

from spike_trains import BACKENDS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "models"
FAMILIES = [name for name in models.catalogue() if ":" not in name]
DERIVATION = re.compile(r"## Derivation of the update step\n.*?(?=\n## Reference\n)", re.S)


@pytest.mark.parametrize("name", FAMILIES)
def test_printing_a_model_shows_its_equations_and_spike_rule(name):
    model = models.get(name)
    text = str(model)
    for line in model.equations.splitlines():
        assert f"    {line}" in text
    assert f"threshold:  {model.threshold}" in text
    assert model.citation.split()[0] in text


@pytest.mark.parametrize("name", FAMILIES)
def test_every_model_derivation_renders(name):
    model = models.get(name)
    for method in (None, model.method):  # the chooser's method and the model's default
        derivation = es.derive(model, method=method)
        text, markdown, latex = (derivation.to_text(), derivation.to_markdown(),
                                 derivation.to_latex())
        for rendered in (text, markdown, latex):
            assert len(rendered) > 200
        for variable in model.state_variables:  # every variable gets its update
            assert re.search(rf"\b{variable}\b", text), variable
    assert f"`{model.method}`" in es.derive(model, method=model.method).to_markdown()


def test_committed_pages_are_what_the_generator_writes():
    # The derivation sections are compared only for presence: their text comes from
    # SymPy's printer and the integrators, which may change with a SymPy release without
    # anything in eqsnn.models changing. Everything else must match to the byte.
    generated = pages()
    assert set(generated) <= {p.name for p in DOCS.glob("*.md")}
    stale = []
    for name, text in generated.items():
        committed = (DOCS / name).read_text()
        assert DERIVATION.search(committed) or name == "index.md", name
        if DERIVATION.sub("", committed) != DERIVATION.sub("", text):
            stale.append(name)
    assert not stale, f"{stale} are stale: run python docs/models/generate.py"


def test_every_page_shows_its_figure_and_citation():
    generated = pages(derivation=False)
    for name in FAMILIES:
        model = models.get(name)
        page = generated[f"{name.lower()}.md"]
        figure = re.search(r"!\[[^\]]*\]\(([^)]+\.png)\)", page).group(1)
        assert (DOCS / figure).is_file(), f"{figure} is missing: run generate.py"
        assert model.citation in page
        assert model.equations in page


def test_figure_panels_cover_every_distinct_preset():
    adex = figure_panels(models.get("AdEx"))
    # The eight Naud patterns; the RS/IB/CH cell types repeat three of them.
    assert [p.model.preset for p in adex] == list(models.NAUD_PATTERNS)
    assert [p.current for p in adex] == [models.AdEx(p).stimulus for p in models.NAUD_PATTERNS]
    assert len(figure_panels(models.get("Izhikevich"))) == 7
    assert [p.model.name for p in figure_panels(models.get("LIF"))] == ["LIF"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_figure_trace_is_rest_then_firing_then_rest(backend):
    panel = figure_panels(models.get("LIF"))[0]  # 2.5 nA: v_inf = -45 mV > -50 mV
    t, v = step_response(panel, backend=backend)
    before, during = v[t < 20], v[(t >= 20) & (t < 120)]
    np.testing.assert_allclose(before, -70)
    assert np.max(during) < -50 + 1e-9  # reset at threshold: never above it
    resets = np.count_nonzero(np.diff(during) < -10)  # v falls back to -70 mV
    # The closed form: a period of t_ref + tau ln(25/5) = 18.1 ms, so 5 in 100 ms.
    assert resets == 5
    assert abs(v[-1] - (-70)) < 3  # decaying back to rest after the step
