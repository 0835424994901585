"""Monitors → Neo and NWB: what a user reads back is what eqsnn recorded, with units.

Neo objects are checked against the monitors directly; NWB files are read back with
pynwb itself (not only with eqsnn's reader), value for value.
"""
import json

import numpy as np
import pytest

import eqsnn as es
from eqsnn.units import Mohm, mV, ms, nA

neo = pytest.importorskip("neo")
pynwb = pytest.importorskip("pynwb")
pq = pytest.importorskip("quantities")

from eqsnn.recordings import (describe_network, load_sweep_table, read_nwb,  # noqa: E402
                              save_sweep_table, to_neo, write_nwb)

LIF = """
dv/dt = (El - v + R*I) / tau : volt (unless refractory)
I : amp
"""


@pytest.fixture(scope="module")
def ran():
    group = es.NeuronGroup(4, LIF, threshold="v > -50*mV", reset="v = El", refractory=2*ms,
                           method="exact", name="lif",
                           namespace={"El": -70 * mV, "R": 10 * Mohm, "tau": 10 * ms})
    group.v = -70 * mV
    group.I = "2.2*nA + 0.4*nA*i"
    spikes = es.SpikeMonitor(group, name="spikes")
    trace = es.StateMonitor(group, ["v", "I"], record=[1, 3], name="trace")
    rate = es.PopulationRateMonitor(group, name="rate")
    sub_spikes = es.SpikeMonitor(group[2:4], name="sub_spikes")
    net = es.Network(group, spikes, trace, rate, sub_spikes, dt=0.1 * ms, seed=3)
    net.run(60 * ms)
    return net, spikes, trace, rate, sub_spikes


def test_spike_trains_have_units_and_the_recorded_times(ran):
    net, spikes, _, _, sub = ran
    segment = to_neo(net).segments[0]
    trains = [s for s in segment.spiketrains if s.annotations["monitor"] == "spikes"]
    assert len(trains) == 4 and spikes.num_spikes > 10
    for k, train in enumerate(trains):
        assert train.units == pq.s
        np.testing.assert_array_equal(train.magnitude, spikes.t_[spikes.i == k])
        assert train.annotations["index"] == k and train.annotations["group"] == "lif"
        assert float(train.t_stop.rescale("ms")) == pytest.approx(60.0)
    # a subgroup's trains are numbered in the whole group
    sub_trains = [s for s in segment.spiketrains if s.annotations["monitor"] == "sub_spikes"]
    assert [s.annotations["index"] for s in sub_trains] == [2, 3]
    np.testing.assert_array_equal(sub_trains[1].magnitude, trains[3].magnitude)


def test_analog_signals_keep_units_rates_and_indices(ran):
    net, _, trace, rate, _ = ran
    signals = {s.name: s for s in to_neo(net).segments[0].analogsignals}
    v = signals["lif.v"]
    assert v.shape == (600, 2)
    np.testing.assert_allclose(v.rescale("mV").magnitude, trace.v.to("mV").magnitude.T)
    assert float(v.sampling_rate.rescale("Hz")) == pytest.approx(10_000)
    np.testing.assert_array_equal(v.array_annotations["index"], [1, 3])
    assert signals["lif.I"].units == pq.A
    r = signals["lif.rate"]
    assert r.units == pq.Hz
    np.testing.assert_array_equal(r.magnitude[:, 0], rate.rate_)
    # Neo's own tools work on the result (mean rate of a train, time slicing)
    assert v.time_slice(10 * pq.ms, 20 * pq.ms).shape[0] == 100


def test_block_carries_the_model(ran):
    net, *_ = ran
    model = json.loads(to_neo(net).annotations["eqsnn_model"])
    (lif,) = [o for o in model["objects"] if o["name"] == "lif"]
    assert "dv/dt = (El - v + R*I) / tau" in lif["equations"]
    assert lif["threshold"] == "v > -50*mV" and lif["reset"] == "v = El"
    assert lif["namespace"]["El"] == {"value": pytest.approx(-0.07), "unit": "volt"}
    assert lif["namespace"]["R"]["unit"] == "ohm"
    assert lif["refractory"]["value"] == pytest.approx(0.002)


def test_nwb_file_reads_back_equal_with_pynwb(ran, tmp_path):
    net, spikes, trace, rate, _ = ran
    path = write_nwb(net, tmp_path / "run.nwb", experimenter=["eqsnn tests"])
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        nwbfile = io.read()
        units = nwbfile.units
        rows = [k for k in range(len(units)) if units["group"][k] == "lif"]
        assert len(rows) == 4 + 2   # the whole group, then the subgroup's monitor
        for k in range(4):
            np.testing.assert_array_equal(units["spike_times"][rows[k]],
                                          spikes.t_[spikes.i == k])
            assert units["neuron"][rows[k]] == k
        v = nwbfile.acquisition["lif.v"]
        assert v.unit == "volt" and v.rate == pytest.approx(10_000)
        assert v.starting_time == 0.0
        np.testing.assert_array_equal(v.data[:], trace.v_.T)
        assert json.loads(v.comments)["index"] == [1, 3]
        assert "dv/dt = (El - v + R*I) / tau" in v.description
        r = nwbfile.acquisition["lif.rate"]
        assert r.unit == "hertz"
        np.testing.assert_array_equal(r.data[:], rate.rate_)
        model = json.loads(nwbfile.notes)
        assert model["objects"][0]["namespace"]["tau"]["value"] == pytest.approx(0.01)
        assert "I : amp" in nwbfile.source_script
    back = read_nwb(path)
    np.testing.assert_array_equal(back["signals"]["lif.I"]["data"], trace.I_.T)
    np.testing.assert_allclose(back["signals"]["lif.v"]["t"], trace.t_)
    assert back["model"] == describe_network(net)


def test_exports_want_the_network():
    with pytest.raises(es.EqsnnError, match="exported from a Network"):
        to_neo([1, 2])


def _build(I):
    group = es.NeuronGroup(3, "dv/dt = (-v + I*10*Mohm)/(10*ms) : volt\nI : amp",
                           threshold="v > 10*mV", reset="v = 0*mV", name="g")
    group.I = I
    return es.Network(group, es.SpikeMonitor(group, name="spikes"))


def _collect(net):
    spikes = es.sweeps.find(net, "spikes")
    return {"count": spikes.count, "rate": spikes.num_spikes / (3 * 0.05) * es.units.Hz}


def test_sweep_table_round_trip(tmp_path):
    pytest.importorskip("pandas")
    table = es.sweep(_build, {"I": np.array([1.5, 2.0, 3.0]) * nA}, duration=50 * ms,
                     workers=1, progress=False, collect=_collect)
    path = save_sweep_table(table, tmp_path / "sweep.nwb")
    back = load_sweep_table(path)
    assert list(back.columns) == list(table.columns)
    for name in ("run", "I", "seed", "rate", "backend"):
        assert list(back[name]) == list(table[name]), name
    for a, b in zip(back["count"], table["count"]):
        np.testing.assert_array_equal(a, b)
    assert back["error"].isna().all()
    assert back.attrs["units"] == table.attrs["units"] == {"I": "nanoampere", "rate": "hertz"}
    # the units are in the file for any NWB reader: the column descriptions
    with pynwb.NWBHDF5IO(str(path), "r") as io:
        assert io.read().get_scratch("sweep", convert=False)["I"].description == \
            "unit: nanoampere"


def test_without_the_extra_the_error_names_it(ran, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "pynwb", None)   # as if not installed
    net, *_ = ran
    with pytest.raises(es.EqsnnError) as caught:
        write_nwb(net, "never-written.nwb")
    assert "needs the package 'pynwb'" in str(caught.value)
    assert 'pip install "eqsnn[recordings]"' in str(caught.value)
    assert isinstance(caught.value, ImportError)


def test_code_on_the_page_runs(tmp_path, monkeypatch):
    import re
    from pathlib import Path
    monkeypatch.chdir(tmp_path)
    page = (Path(__file__).resolve().parents[2] / "docs" / "recordings.md").read_text()
    scope: dict = {}
    for block in re.findall(r"```python\n(.*?)```", page, re.S):
        exec(compile(block, "docs/recordings.md", "exec"), scope)  # noqa: S102
    assert scope["train"].annotations["index"] == 2
    assert scope["v"].shape == (600, 2)
    assert set(scope["back"]["spikes"]["lif"]) == {0, 1, 2, 3}
