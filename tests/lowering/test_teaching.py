"""``eqsnn.derive`` shows the derivation and then, labelled as such, the statements the
compiled loop runs: every line of its last step is a line of the network's generated C,
in the same order (closing notes 4 and 5: the derivation stopped before the build
stage's passes, so it did not show what runs)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn import models
from eqsnn.integrators import OdeSystem
from eqsnn.units import mV, ms


def _base_models():
    return [models.get(name) for name in models.catalogue() if ":" not in name]


def _loop_lines(step):
    return [line for line in step.code if not line.startswith("/*")]


def _sections(step) -> dict[str, list[str]]:
    """The loop step's lines under each of its comments."""
    sections, current = {}, None
    for line in step.code:
        if line.startswith("/*"):
            current = sections.setdefault(line, [])
        else:
            current.append(line)
    return sections


_ORDER = ["/* state update, once per step */", "/* state update, for each neuron */",
          "/* threshold, once per step */", "/* threshold: a neuron spikes where this is true */",
          "/* reset, for each neuron that spiked */"]


def _in_order(lines, source):
    """Whether ``lines`` occur in ``source`` one after the other (each a whole line)."""
    if not lines:
        return True
    text = [line.strip() for line in source.splitlines()]
    for first in (k for k, line in enumerate(text) if line == lines[0]):
        at, ok = first, True
        for line in lines[1:]:
            try:
                at = text.index(line, at + 1)
            except ValueError:
                ok = False
                break
        if ok:
            return True
    return False


@pytest.mark.slow  # (every built-in model derived, one network of all compiled: ~30 s)
def test_the_loop_step_is_the_generated_c_of_every_built_in_model():
    chosen = _base_models()
    groups = [model.group(2) for model in chosen]
    net = es.Network(*groups, backend="c")
    net.run(0.1 * ms)
    source = net._program.source.source
    for model in chosen:
        step = es.derive(model).steps[-1]
        assert step.kind == "loop" and step.title == "Statements of the compiled loop"
        sections = _sections(step)
        # what is computed once per step comes first, then the lines for each neuron,
        # then the threshold (an expression inside the template's test) and the reset
        assert list(sections) == [title for title in _ORDER if title in sections]
        update = sections.get(_ORDER[0], []) + sections[_ORDER[1]]
        assert update and _in_order(update, source), model.name
        assert _in_order(sections.get(_ORDER[2], []), source), model.name
        threshold = sections[_ORDER[3]]
        assert len(threshold) == 1 and threshold[0] in source, model.name
        reset = sections.get(_ORDER[4], [])
        assert bool(reset) == bool(model.reset), model.name
        assert _in_order(reset, source), model.name


def test_the_derivation_says_which_step_is_before_the_passes():
    derivation = es.derive(models.get("TraubMiles"))
    kinds = [step.kind for step in derivation.steps]
    assert kinds[-2:] == ["code", "loop"]
    assert "before the build stage rewrites it" in derivation.step("code").sentence
    loop = derivation.step("loop")
    assert "unit names such as mV become numbers" in loop.sentence
    # Traub-Miles: three rates share one exp; the counts are those of its per-neuron lines
    assert "exp 7, expm1 1" in loop.sentence and "no call): 2" in loop.sentence
    assert any(line.startswith("_exp0 = eqsnn_exp(") for line in loop.code)
    assert not any("mV" in line for line in loop.code)          # units are numbers
    text = derivation.to_text()
    assert text.index("The update as code") < text.index("Statements of the compiled loop")
    assert "Statements of the compiled loop" in derivation.to_markdown()
    assert "Statements of the compiled loop" in derivation.to_latex()


def test_equations_with_a_namespace_show_what_their_group_compiles():
    eqs = "dv/dt = (El - v)/tau + 0*mV/ms : volt"
    namespace = {"El": -70 * mV, "tau": 10 * ms}
    step = es.derive(eqs, method="exact", namespace=namespace).step("loop")
    group = es.NeuronGroup(3, eqs, method="exact", namespace=namespace)
    code = group._record.code["c"].stateupdate
    assert _loop_lines(step) == [*code.hoisted, *code.lines]    # (no threshold, no reset)
    group.v = -60 * mV
    es.Network(group, backend="c").run(1 * ms)
    np.testing.assert_allclose(group.v_, -0.070 + 0.010 * np.exp(-0.1), rtol=1e-12)


def test_without_values_the_loop_step_says_which_names_are_missing():
    derivation = es.derive("dv/dt = (El - v)/tau : volt", method="exact",
                           namespace={"tau": 10 * ms})
    step = derivation.step("loop")
    assert step.code == ()
    assert "the model uses El, which has no value here" in step.sentence
    assert "namespace={'El': ...}" in step.sentence
    assert derivation.step("code").code                       # the derivation is whole
    none = es.derive("dv/dt = (El - v)/tau : volt", method="exact").step("loop")
    assert "El, tau, which have no value" in none.sentence


def test_an_ode_system_has_no_loop():
    system = OdeSystem.from_rhs({"x": -es.equations.parse_equations(
        "dx/dt = -x/(10*ms) : 1").rhs("x")})
    assert [s.kind for s in es.derive(system, method="euler").steps][-1] == "code"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_the_command_line_shows_the_loop(fmt, capsys):
    from eqsnn.cli import main
    assert main(["derive", "LIF", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Statements of the compiled loop" in out and "v[_i] =" in out
