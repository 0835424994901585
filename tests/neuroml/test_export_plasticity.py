"""STDP exports as LEMS dynamics of the synapse, with pre and post events: the target
counts its spikes, the synapse runs on_post when the count grows. jNeuroML runs it to
eqsnn's numbers, and it imports back with on_post to the same weights."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.models import stdp
from eqsnn.neuroml import load, run_jneuroml, write
from eqsnn.units import Mohm, ms, mV, nA

DT = 0.01 * ms
TAUE = 5 * ms


def _learning(source, name, refractory):
    """A cell driven by its own current (so that its spikes do not depend on the
    weights) and plastic synapses whose weights show in ge, which the cell only sums."""
    flag = " (unless refractory)" if refractory else ""
    cell = es.NeuronGroup(1, f"dv/dt = (El - v + R*I)/tau : volt{flag}\n"
                             "dge/dt = -ge/taue : 1\nI : amp",
                          threshold="v > -60*mV", reset="v = -70*mV",
                          refractory=2 * ms if refractory else None, method="euler",
                          namespace={"El": -70 * mV, "R": 100 * Mohm, "tau": 10 * ms,
                                     "taue": TAUE}, name=name)
    cell.v = -70 * mV
    cell.I = 0.16 * nA
    plastic = es.Synapses(source, cell, stdp.PairAdditive(target="ge", wmax=0.5, Apre=0.05,
                                                          Apost=-0.06),
                          method="euler", name=f"{name}_stdp")
    plastic.connect()
    plastic.w = [0.4, 0.3, 0.35]
    plastic.delay = 1 * ms
    return cell, plastic


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    source = es.SpikeGeneratorGroup(3, [0, 1, 2, 0, 1, 2, 0, 1, 2],
                                    [2, 3, 4, 12, 14, 15, 25, 27, 33] * ms, name="source")
    plain, plain_stdp = _learning(source, "plain", False)
    held, held_stdp = _learning(source, "held", True)
    monitors = [es.SpikeMonitor(plain, name="plain_spikes"),
                es.SpikeMonitor(held, name="held_spikes"),
                es.StateMonitor(plain, "ge", record=True, name="plain_ge"),
                es.StateMonitor(held, "ge", record=True, name="held_ge")]
    net = es.Network(source, plain, plain_stdp, held, held_stdp, *monitors, dt=DT)
    files = write(net, tmp_path_factory.mktemp("stdp"), name="stdp", duration=40 * ms)
    net.run(40 * ms)
    return {m.name: m for m in monitors}, {"plain": plain_stdp, "held": held_stdp}, files


def test_stdp_is_synapse_dynamics_with_pre_and_post_events(exported):
    _, synapses, files = exported
    text = files.types.read_text()
    assert '<Requirement name="spike_count" dimension="none"/>' in text
    assert '<OnCondition test="spike_count .gt. post_spikes_seen">' in text
    assert '<StateAssignment variable="spike_count" value="spike_count + 1"/>' in text
    assert '<StateAssignment variable="lastupdate" value="t"/>' in text
    for syn in synapses.values():    # the rule changed the weights (a test that can fail)
        assert np.all(np.abs(syn.w_ - [0.4, 0.3, 0.35]) > 0.01)


def test_stdp_round_trip_gives_the_same_weights_and_spikes(exported):
    monitors, synapses, files = exported
    back = load(files.simulation)
    back.network().run(40 * ms)
    for name, syn in synapses.items():
        spikes = monitors[f"{name}_spikes"]
        assert spikes.num_spikes >= 3
        np.testing.assert_array_equal(back.monitors[f"{name}.spikes"].t_, spikes.t_)
        for k in range(3):
            again = back.synapses[f"{name}_stdp_source_{k}_{name}"]
            assert again.post.has_code
            np.testing.assert_allclose(again.w_, syn.w_[k], rtol=1e-12)


def _weights_seen(ge, decay):
    """The weight each presynaptic spike added to ge, from a trace of ge: eqsnn adds it
    after the step's decay, jNeuroML (delivering a step later) before."""
    steps = np.flatnonzero(np.diff(ge) > 1e-3)
    return steps, ge[steps + 1] - ge[steps] * decay, ge[steps + 1] / decay - ge[steps]


@pytest.mark.slow
def test_jneuroml_runs_stdp_to_eqsnns_numbers(java, exported):
    """Each presynaptic spike adds the current weight to ge, so ge's jumps show the
    weights: jNeuroML's are eqsnn's to its printed precision, before and after the
    postsynaptic spikes, for cells with and without regimes; spikes are one step later
    in jNeuroML's labelling."""
    monitors, _, files = exported
    result = run_jneuroml(files.simulation)
    step = float(DT.to("second").magnitude)
    decay = 1 - float(DT / TAUE)
    columns = {monitor: column for column, (monitor, _, _) in files.columns.items()}
    for name in ("plain", "held"):
        steps, ours, _ = _weights_seen(monitors[f"{name}_ge"].ge_[0], decay)
        theirs_steps, _, theirs = _weights_seen(result.traces[columns[f"{name}_ge"]], decay)
        assert steps.size == 9
        np.testing.assert_array_equal(theirs_steps, steps + 1)   # a step later
        np.testing.assert_allclose(theirs, ours, rtol=1e-6)
    for selection, (monitor, index) in files.events.items():
        spikes = monitors[monitor]
        np.testing.assert_allclose(result.spikes[selection], spikes.t_ + step,
                                   atol=step / 10)
