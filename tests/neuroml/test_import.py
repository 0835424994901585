"""Importing NeuroML / LEMS without running jNeuroML: what the translation makes of the
documents, and every refusal naming the element and its line in the XML."""
import sys

import numpy as np
import pytest

import eqsnn as es
from eqsnn.neuroml import NeuroMLError, UnsupportedNeuroMLError, load
from eqsnn.neuroml.expressions import translate

NML = """<neuroml xmlns="http://www.neuroml.org/schema/neuroml2" id="doc">
{body}
</neuroml>
"""


def _write(tmp_path, body: str, name: str = "doc.nml"):
    path = tmp_path / name
    path.write_text(NML.format(body=body))
    return path


def test_expressions_become_eqsnn_syntax():
    keep = lambda name: {"i": "i_lems"}.get(name, name)  # noqa: E731
    assert translate("v .gt. 0 .and. s .lt. 0.5", keep) == "v > 0 and s < 0.5"
    assert translate("0.04 * v^2 / MV", keep) == "0.04 * v ** 2 / MV"
    assert translate("H((a - t)/t) + random(2)", keep) == \
        "(((a - t) / t) > 0) + ((2)*rand())"
    assert translate("g * (erev - v) + i", keep) == "g * (erev - v) + i_lems"


def test_iaf_cell_becomes_equations_with_units(tmp_path):
    path = _write(tmp_path, """
  <iafRefCell id="cell" leakConductance="0.2nS" leakReversal="-60mV" thresh="-55mV"
              reset="-70mV" C="3.2pF" refract="3ms"/>
  <pulseGenerator id="pulse" delay="10ms" duration="20ms" amplitude="3pA"/>
  <network id="net">
    <population id="cells" component="cell" size="3"/>
    <explicitInput target="cells[1]" input="pulse"/>
  </network>""")
    model = load(path, dt=0.1 * es.units.ms)
    group = model.groups["cells"]
    tr = model.translations["cells"]
    assert "dv/dt = iMemb / C : volt (unless refractory)" in tr.lines
    assert "iMemb = leakConductance * (leakReversal - v) + iSyn : ampere" in tr.lines
    assert tr.threshold == "t > 0 and (v > thresh)"
    assert tr.reset == ["lastSpikeTime = t", "v = reset"]
    assert tr.refractory == pytest.approx(3e-3)
    assert group.resolved_namespace["C"].value == pytest.approx(3.2e-12)
    assert group.resolved_namespace["leakReversal"].value == pytest.approx(-0.06)
    np.testing.assert_allclose(group.v_, -0.06)          # OnStart
    np.testing.assert_array_equal(group.pulse_inputs_, [0, 1, 0])
    # jNeuroML's refractory steps: floor(3 ms / dt) + 2
    assert group.refractory == pytest.approx(3.2e-3)


def test_network_runs_and_only_the_stimulated_cell_fires(tmp_path):
    path = _write(tmp_path, """
  <iafCell id="cell" leakConductance="0.2nS" leakReversal="-60mV" thresh="-55mV"
           reset="-70mV" C="3.2pF"/>
  <pulseGenerator id="pulse" delay="10ms" duration="80ms" amplitude="3pA"/>
  <network id="net">
    <population id="cells" component="cell" size="2"/>
    <explicitInput target="cells[1]" input="pulse"/>
  </network>""")
    model = load(path)
    spikes = es.SpikeMonitor(model.groups["cells"])
    net = model.network(spikes, dt=0.05 * es.units.ms)
    net.run(100 * es.units.ms)
    assert set(spikes.i) == {1} and spikes.num_spikes >= 3
    assert spikes.t_.min() > 0.01


def test_own_component_type_with_reserved_names(tmp_path):
    """A user's type whose variables are called i and N (eqsnn's index and size)."""
    path = _write(tmp_path, """
  <ComponentType name="leakyCounter" extends="baseCellMembPot">
    <Parameter name="tau" dimension="time"/>
    <Parameter name="N" dimension="none"/>
    <Dynamics>
      <StateVariable name="v" dimension="voltage" exposure="v"/>
      <StateVariable name="i" dimension="none"/>
      <TimeDerivative variable="v" value="-v / tau"/>
      <TimeDerivative variable="i" value="N / tau"/>
      <OnStart><StateAssignment variable="v" value="-1mV"/></OnStart>
    </Dynamics>
  </ComponentType>
  <leakyCounter id="c" tau="10ms" N="2"/>
  <network id="net"><population id="p" component="c" size="1"/></network>""")
    with pytest.raises(NeuroMLError, match="unknown name 'mV' in '-1mV'"):
        load(path)   # expressions have no units in LEMS: constants carry them
    path.write_text(path.read_text().replace('value="-1mV"', 'value="-0.1 * V"')
                    .replace('<Parameter name="N"', '<Constant name="V" dimension="voltage" '
                             'value="1mV"/><Parameter name="N"'))
    model = load(path)
    tr = model.translations["p"]
    assert "di_lems/dt = N_lems / tau : 1" in tr.lines
    net = model.network(dt=0.1 * es.units.ms)
    net.run(10 * es.units.ms)
    assert model.groups["p"].i_lems_[0] == pytest.approx(2.0)


def _refusal(tmp_path, body, cls=NeuroMLError):
    with pytest.raises(cls) as caught:
        load(_write(tmp_path, body))
    return str(caught.value)


def test_unsupported_construct_names_element_and_line(tmp_path):
    message = _refusal(tmp_path, """
  <ComponentType name="kinetic" extends="baseCellMembPot">
    <Dynamics>
      <StateVariable name="v" dimension="voltage" exposure="v"/>
      <KineticScheme name="ks" nodes="states" stateVariable="occupancy"/>
    </Dynamics>
  </ComponentType>
  <kinetic id="k"/>
  <network id="net"><population id="p" component="k" size="1"/></network>""",
                       UnsupportedNeuroMLError)
    assert "<KineticScheme> in the ComponentType 'kinetic'" in message
    assert "doc.nml:6" in message          # the line of <KineticScheme>
    assert "line 6, column 7" in message and "^~~" in message


def test_unknown_name_in_an_expression(tmp_path):
    message = _refusal(tmp_path, """
  <ComponentType name="typo" extends="baseCellMembPot">
    <Parameter name="tau" dimension="time"/>
    <Dynamics>
      <StateVariable name="v" dimension="voltage" exposure="v"/>
      <TimeDerivative variable="v" value="-v / taus"/>
    </Dynamics>
  </ComponentType>
  <typo id="t" tau="1ms"/>
  <network id="net"><population id="p" component="t" size="1"/></network>""")
    assert "unknown name 'taus'" in message and "<TimeDerivative" in message
    assert "doc.nml:7" in message


def test_inconsistent_units_come_back_with_the_xml_line(tmp_path):
    message = _refusal(tmp_path, """
  <ComponentType name="wrong" extends="baseCellMembPot">
    <Parameter name="tau" dimension="time"/>
    <Dynamics>
      <StateVariable name="v" dimension="voltage" exposure="v"/>
      <TimeDerivative variable="v" value="-v * tau"/>
    </Dynamics>
  </ComponentType>
  <wrong id="w" tau="1ms"/>
  <network id="net"><population id="p" component="w" size="1"/></network>""")
    assert "the equations eqsnn made of wrong 'w' are refused" in message
    assert "dv/dt = - v * tau" in message and "<Dynamics>" in message


def test_bad_values_and_references(tmp_path):
    cell = '<iafCell id="c" leakConductance="0.2nS" leakReversal="-60mV" thresh="-55mV" ' \
           'reset="-70mV" C="{C}"/>'
    net = '<network id="net"><population id="p" component="{component}" size="1"/></network>'
    message = _refusal(tmp_path, cell.format(C="3.2mV") + net.format(component="c"))
    assert "'3.2mV' has dimension voltage, but capacitance is expected" in message
    message = _refusal(tmp_path, cell.format(C="3.2 parsecs") + net.format(component="c"))
    assert "unknown unit 'parsecs'" in message
    message = _refusal(tmp_path, cell.format(C="3pF") + net.format(component="cc"))
    assert "no component with id 'cc'" in message and "<population" in message
    message = _refusal(tmp_path, cell.format(C="3pF").replace(' thresh="-55mV"', "")
                       + net.format(component="c"))
    assert "gives no value for its parameter 'thresh'" in message


def test_an_input_to_a_cell_without_inputs_is_refused(tmp_path):
    message = _refusal(tmp_path, """
  <iafTauCell id="c" leakReversal="-50mV" thresh="-55mV" reset="-70mV" tau="30ms"/>
  <pulseGenerator id="pulse" delay="10ms" duration="20ms" amplitude="3pA"/>
  <network id="net">
    <population id="p" component="c" size="1"/>
    <explicitInput target="p[0]" input="pulse"/>
  </network>""")
    assert "cannot reach the cells of 'p': iafTauCell sums no synapses[*]/i" in message


def test_unsupported_network_elements(tmp_path):
    message = _refusal(tmp_path, """
  <iafCell id="c" leakConductance="0.2nS" leakReversal="-60mV" thresh="-55mV" reset="-70mV"
           C="3pF"/>
  <network id="net">
    <population id="p" component="c" size="2"/>
    <electricalProjection id="gap" presynapticPopulation="p" postsynapticPopulation="p"/>
  </network>""", UnsupportedNeuroMLError)
    assert "<electricalProjection> has no eqsnn translation" in message


def test_per_step_conditions_need_euler(tmp_path):
    path = _write(tmp_path, """
  <hindmarshRose1984Cell id="hr" C="1pF" a="1" b="3" c="1" d="5" r="0.006" s="4" x1="-1.6"
                         v_scaling="1mV" x0="-1.6" y0="-10" z0="0"/>
  <network id="net"><population id="p" component="hr" size="1"/></network>""")
    with pytest.raises(UnsupportedNeuroMLError, match="with the 'euler' method only"):
        load(path, method="rk4")
    tr = load(path).translations["p"]
    assert tr.threshold == "v > 0 and spiking < 0.5"
    assert any(line.startswith("dspiking/dt = ") for line in tr.lines)


def test_without_the_extra_the_error_names_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "lxml", None)
    monkeypatch.setitem(sys.modules, "lxml.etree", None)
    with pytest.raises(es.EqsnnError) as caught:
        load(_write(tmp_path, ""))
    assert 'pip install "eqsnn[neuroml]"' in str(caught.value)


def test_a_derived_variable_that_draws_holds_its_value_over_the_step(tmp_path):
    """LEMS evaluates a DerivedVariable once per step, so ``random()`` in one is one
    draw per step: eqsnn's ``(constant over dt)`` (without it, eqsnn refuses a drawing
    subexpression, as Brian2 does)."""
    path = _write(tmp_path, """
  <ComponentType name="noisyLeak" extends="baseCellMembPot">
    <Parameter name="tau" dimension="time"/>
    <Constant name="V" dimension="voltage" value="1mV"/>
    <Dynamics>
      <StateVariable name="v" dimension="voltage" exposure="v"/>
      <DerivedVariable name="kick" dimension="none" value="random(1)"/>
      <TimeDerivative variable="v" value="(kick * V - v) / tau"/>
    </Dynamics>
  </ComponentType>
  <noisyLeak id="c" tau="10ms"/>
  <network id="net"><population id="p" component="c" size="200"/></network>""")
    model = load(path)
    assert "kick = ((1)*rand()) : 1 (constant over dt)" in model.translations["p"].lines
    model.network(dt=0.1 * es.units.ms).run(50 * es.units.ms)
    v = model.groups["p"].v_
    assert 0 < v.min() and v.max() < 1e-3 and np.std(v) > 0   # a mean of draws in [0, 1)
