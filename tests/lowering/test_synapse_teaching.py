"""``eqsnn.derive`` of a synapse model shows what a ``Synapses`` object runs: the
clock-driven equations integrated every step, the event-driven ones advanced exactly
over ``t - lastupdate`` at the synapse's events, each derived on its own, as ``eqsnn
derive`` shows them (closing note of session 6: derive() lowered a synapse model's
equations as a neuron group's, with a per-step update and a neuron loop)."""
import pytest
import sympy

import eqsnn as es
from eqsnn import models
from eqsnn.cli import main
from eqsnn.equations.symbols import DT, symbol
from eqsnn.errors import InvalidValueError
from eqsnn import SynapseDerivation


def test_an_stdp_rule_is_shown_as_its_exact_advance_between_events():
    derivation = es.derive(models.get("PairAdditive"))
    assert isinstance(derivation, SynapseDerivation)
    [(title, event)] = derivation.parts
    assert title.startswith("PairAdditive: event-driven equations, advanced only when a "
                            "spike reaches the synapse; dt stands for t - lastupdate")
    assert event.method == "exact" and event is derivation.part("event-driven")
    assert [step.kind for step in event.steps][-1] == "code"   # no neuron loop
    assert "t - lastupdate" in event.step("code").sentence
    text = derivation.to_text()
    assert "apre = apre*exp(-dt/taupre)" in text and "clock-driven" not in text
    assert "Statements of the compiled loop" not in text and "neuron" not in text


def test_the_shown_advance_is_the_one_the_synapses_compile():
    source = es.SpikeGeneratorGroup(1, [0], [1 * es.units.ms])
    target = es.NeuronGroup(1, "dv/dt = -v/(10*ms) : 1\nge : 1")
    model = models.get("PairAdditive")
    synapses = es.Synapses(source, target, model)
    lowering = synapses._derive()
    elapsed = symbol("t") - symbol("lastupdate")
    shown = {lhs: rhs.xreplace({DT: elapsed})
             for lhs, rhs in es.derive(model).part("event-driven").step("update").equations}
    compiled = {a.lhs: a.rhs for a in lowering.advance}
    assert set(shown) == set(compiled) == {symbol("apre"), symbol("apost")}
    for name in shown:
        assert sympy.simplify(shown[name] - compiled[name]) == 0


def test_clock_and_event_driven_equations_are_derived_apart():
    name = "MultiplicativeDoubleExponential"
    derivation = es.derive(models.get(name), method="euler")
    clock, event = derivation.part("clock-driven"), derivation.part("event-driven")
    # the method applies to the clock-driven part; event-driven ones are always exact
    assert clock.method == "euler" and event.method == "exact"
    assert "every time step" in clock.step("code").sentence
    clock_names = {lhs for lhs, _ in clock.step("update").equations}
    event_names = {lhs for lhs, _ in event.step("update").equations}
    assert symbol("s_slow") in clock_names and symbol("p_slow") in event_names
    assert not clock_names & event_names
    assert es.derive(models.get(name)).part("clock-driven").method == models.get(name).method


def test_the_command_line_prints_what_derive_shows():
    for name, fmt in [("PairAdditive", "text"), ("ExponentialCurrent", "markdown"),
                      ("Triplet:visual_cortex", "latex")]:
        derivation = es.derive(models.get(name))
        shown = {"text": derivation.to_text, "markdown": derivation.to_markdown,
                 "latex": derivation.to_latex}[fmt]()
        assert _cli(["derive", name, "--format", fmt]) == shown + "\n"
    # a heading's underscore is escaped for LaTeX
    assert "\\subsection*{Triplet:visual\\_cortex: event-driven" in \
        es.derive(models.get("Triplet:visual_cortex")).to_latex()


def _cli(argv):
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return out.getvalue()


def test_flagged_equations_are_a_synapses_and_kind_says_so_for_the_rest():
    event = es.derive("w : 1\ndapre/dt = -apre/(20*ms) : 1 (event-driven)")
    assert isinstance(event, SynapseDerivation)
    assert event.parts[0][0].startswith("synapse model: event-driven equations")
    clock = es.derive("dg/dt = -g/(5*ms) : 1 (clock-driven)")
    assert clock.part("clock-driven").step("update").equations
    unflagged = es.derive("dg/dt = -g/(5*ms) : 1", kind="synapses")
    assert [title for title, _ in unflagged.parts] == [
        "synapse model: clock-driven equations, integrated every time step"]
    assert es.derive("dg/dt = -g/(5*ms) : 1", kind="neurons").steps[-1].kind == "loop"
    assert _markdown_headings(es.derive(models.get("MultiplicativeDoubleExponential"))) == [
        "## MultiplicativeDoubleExponential: clock-driven equations, integrated every time step",
        "## MultiplicativeDoubleExponential: event-driven equations, advanced only when a "
        "spike reaches the synapse; dt stands for t - lastupdate, the time since the "
        "synapse's last event"]


def _markdown_headings(derivation):
    return [line for line in derivation._repr_markdown_().splitlines() if line.startswith("## ")]


@pytest.mark.parametrize("call, message", [
    (lambda: es.derive(models.get("VoltageJump")), "the synapse model 'VoltageJump' has no "
     "differential equations to derive; it only runs statements (on_pre: 'v_post += w')"),
    (lambda: es.derive(models.get("Triplet"), method="rk4"), "the equations of the synapse model 'Triplet' "
     "are all event-driven, which eqsnn always advances exactly; method='rk4' would apply to "
     "clock-driven equations only"),
    (lambda: es.derive(models.get("PairAdditive"), kind="neurons"),
     "derive(kind='neurons') was given a synapse model ('PairAdditive')"),
    (lambda: es.derive("dv/dt = -v/(5*ms) : 1", kind="synapse"),
     "derive(kind='synapse') is not a kind of model"),
    # a neuron model without differential equations: an eqsnn error, not an AttributeError
    (lambda: es.derive("v : volt"), "the model has no differential equations to derive"),
])
def test_what_cannot_be_derived_is_an_eqsnn_error(call, message):
    with pytest.raises(InvalidValueError) as info:
        call()
    assert info.value.message == message and info.value.hint
