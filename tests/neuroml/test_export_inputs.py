"""A TimedArray of time exports as a piecewise-constant DerivedVariable: jNeuroML runs it
to eqsnn's numbers and it imports back to the same spikes."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.neuroml import UnsupportedNeuroMLError, load, run_jneuroml, write
from eqsnn.units import Mohm, ms, mV, nA

DT = 0.01 * ms
STEP = float(DT.to("second").magnitude)


def _driven(name, refractory):
    """Two cells driven by one TimedArray, with gains 1 and 2 (so one population each:
    they differ in a parameter)."""
    stim = es.TimedArray([0, 0.5, 0.25, 0.5, 0.0, 0.3] * nA, dt=5 * ms)
    flag = " (unless refractory)" if refractory else ""
    group = es.NeuronGroup(2, f"dv/dt = (El - v + R*gain*stim(t))/tau : volt{flag}\n"
                              "gain : 1", threshold="v > -55*mV", reset="v = -65*mV",
                           refractory=2 * ms if refractory else None, method="euler",
                           namespace={"El": -70 * mV, "R": 100 * Mohm, "tau": 10 * ms,
                                      "stim": stim}, name=name)
    group.v = -70 * mV
    group.gain = [1.0, 2.0]
    return group


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    plain, held = _driven("plain", False), _driven("held", True)
    monitors = [es.SpikeMonitor(plain, name="plain_spikes"),
                es.SpikeMonitor(held, name="held_spikes"),
                es.StateMonitor(plain, "v", record=True, name="plain_v"),
                es.StateMonitor(held, "v", record=True, name="held_v")]
    net = es.Network(plain, held, *monitors, dt=DT)
    files = write(net, tmp_path_factory.mktemp("timed"), name="timed", duration=40 * ms)
    net.run(40 * ms)
    return {m.name: m for m in monitors}, files


def test_timed_array_is_a_piecewise_constant_of_time(exported):
    _, files = exported
    text = files.types.read_text()
    assert '<Constant name="stim_step" dimension="time" value="1e-05 s"/>' in text
    # the cell without regimes reads t at the end of its step: edges one step earlier
    assert "5e-10 * H(t / stim_step - 500.5) * H(1000.5 - t / stim_step)" in text
    assert "5e-10 * H(t / stim_step - 499.5) * H(999.5 - t / stim_step)" in text


def test_timed_array_round_trip_gives_the_same_spikes(exported):
    monitors, files = exported
    back = load(files.simulation)
    back.network().run(40 * ms)
    for group in ("plain", "held"):
        spikes = monitors[f"{group}_spikes"]
        assert spikes.num_spikes > 5
        for k, (population, index) in enumerate(files.cells[group]):
            again = back.monitors[f"{population}.spikes"]
            np.testing.assert_array_equal(again.t_[again.i == index], spikes.t_[spikes.i == k])


@pytest.mark.slow
def test_jneuroml_runs_the_timed_array_to_eqsnns_numbers(java, exported):
    """Traces within jNeuroML's printed precision (1e-6 of their range) and the same
    spikes: one step later in jNeuroML's labelling for the cells without regimes (as
    for every exported cell, test_export.py), in the same step for the refractory ones."""
    monitors, files = exported
    result = run_jneuroml(files.simulation)
    for column, (monitor, _, index) in files.columns.items():
        theirs = result.traces[column][:-1]
        ours = monitors[monitor].v_[index]
        assert np.max(np.abs(ours - theirs)) < 1e-6 * np.ptp(theirs), column
    for selection, (monitor, index) in files.events.items():
        spikes = monitors[monitor]
        ours = spikes.t_[spikes.i == index] + (STEP if monitor == "plain_spikes" else 0)
        np.testing.assert_allclose(result.spikes[selection], ours, atol=STEP / 10)


def test_a_timed_array_of_anything_but_t_is_named(tmp_path):
    stim = es.TimedArray([0, 1] * nA, dt=5 * ms)
    group = es.NeuronGroup(1, "dv/dt = (-v + 100*Mohm*stim(2*t))/(10*ms) : volt",
                           namespace={"stim": stim, "Mohm": Mohm}, name="cell")
    with pytest.raises(UnsupportedNeuroMLError, match=r"stim\(2\*t\): a TimedArray exports "
                                                      r"when it is called with t itself"):
        write(es.Network(group), tmp_path)
