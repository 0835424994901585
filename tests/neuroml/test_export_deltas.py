"""Delta synapses (on_pre="v_post += w" on a variable that does not simply decay) export
as synapses that count what they delivered and cells that add what is new: jNeuroML
runs them to eqsnn's numbers and they import back as v_post += w, with the same spikes."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.neuroml import load, run_jneuroml, write
from eqsnn.units import ms, mV

DT = 0.01 * ms
STEP = float(DT.to("second").magnitude)


def _jumped(source, name, refractory, flag=""):
    # (a refractory group's v is not flagged (unless refractory): synapses would then
    # skip it while refractory, which the export refuses, see below)
    cells = es.NeuronGroup(2, f"dv/dt = (El - v)/tau : volt{flag}", threshold="v > -60*mV",
                           reset="v = -75*mV", refractory=2 * ms if refractory else None,
                           method="euler", namespace={"El": -70 * mV, "tau": 10 * ms},
                           name=name)
    cells.v = -70 * mV
    jumps = es.Synapses(source, cells, "w : volt", on_pre="v_post += w", method="euler",
                        name=f"{name}_jumps")
    jumps.connect(i=[0, 1, 1], j=[0, 0, 1])
    jumps.w = [4, 3, 6] * mV
    jumps.delay = [1, 0.5, 2] * ms
    return cells, jumps


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    source = es.SpikeGeneratorGroup(2, [0, 1, 0, 1, 0, 0], [2, 3.5, 6, 6, 9, 9.5] * ms,
                                    name="source")
    plain, plain_jumps = _jumped(source, "plain", False)
    held, held_jumps = _jumped(source, "held", True)
    monitors = [es.SpikeMonitor(plain, name="plain_spikes"),
                es.SpikeMonitor(held, name="held_spikes"),
                es.StateMonitor(plain, "v", record=True, name="plain_v"),
                es.StateMonitor(held, "v", record=True, name="held_v")]
    net = es.Network(source, plain, plain_jumps, held, held_jumps, *monitors, dt=DT)
    files = write(net, tmp_path_factory.mktemp("deltas"), name="deltas", duration=20 * ms)
    net.run(20 * ms)
    return {m.name: m for m in monitors}, files


def test_delta_synapses_count_what_they_delivered(exported):
    _, files = exported
    text = files.types.read_text()
    assert '<StateAssignment variable="v_jumps" value="v_jumps + w"/>' in text
    assert 'select="synapses[*]/v_jumps" reduce="add"' in text
    assert '<OnCondition test="(v_jumps .neq. v_jumps_seen)">' in text


def test_jumps_a_refractory_cell_must_drop_are_refused(tmp_path):
    """Synapses skip an (unless refractory) variable of a refractory cell (Brian2's
    conditional write); the delta-synapse idiom cannot drop jumps by regime."""
    from eqsnn.neuroml.errors import UnsupportedNeuroMLError
    source = es.SpikeGeneratorGroup(2, [0], [2] * ms, name="source")
    cells, jumps = _jumped(source, "held", True, flag=" (unless refractory)")
    net = es.Network(source, cells, jumps, dt=DT)
    with pytest.raises(UnsupportedNeuroMLError, match="flagged .unless refractory. in a "
                                                      "refractory group"):
        write(net, tmp_path, name="held", duration=5 * ms)


def test_delta_synapses_round_trip_to_the_same_spikes(exported):
    monitors, files = exported
    back = load(files.simulation)
    for syn in back.synapses.values():   # v_post += w again
        assert any(str(st.lhs) == "v_post" for st in syn.pre.statements)
    back.network().run(20 * ms)
    for group in ("plain", "held"):
        spikes = monitors[f"{group}_spikes"]
        assert spikes.num_spikes == 2
        again = back.monitors[f"{group}.spikes"]
        np.testing.assert_array_equal(again.i, spikes.i)
        np.testing.assert_array_equal(again.t_, spikes.t_)
        np.testing.assert_allclose(back.monitors[f"{group}.state"].v_,
                                   monitors[f"{group}_v"].v_, rtol=0, atol=1e-15)


@pytest.mark.slow
def test_jneuroml_runs_delta_synapses_to_eqsnns_numbers(java, exported):
    """Every jump in the same step (traces within jNeuroML's printed precision); spikes
    one step later in jNeuroML's labelling for the cells without regimes, in the same
    step for the refractory ones (as in test_export_inputs.py)."""
    monitors, files = exported
    result = run_jneuroml(files.simulation)
    for column, (monitor, _, index) in files.columns.items():
        theirs = result.traces[column][:-1]
        assert np.max(np.abs(monitors[monitor].v_[index] - theirs)) < 1e-6 * np.ptp(theirs)
    for selection, (monitor, index) in files.events.items():
        spikes = monitors[monitor]
        ours = spikes.t_[spikes.i == index] + (STEP if monitor == "plain_spikes" else 0)
        np.testing.assert_allclose(result.spikes[selection], ours, atol=STEP / 10)
