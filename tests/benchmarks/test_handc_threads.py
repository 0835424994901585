"""The OpenMP hand-written references (benchmarks/handc_threads/) build, emit the same
spikes and state at 1, 2 and 3 threads with either barrier, simulate the benchmark's own
model (HH, which draws no random numbers, spike for spike as eqsnn; COBAHH spike for spike
as eqsnn given the hand C's initial values and synapses), and are the cells run.py gives
them. Timings are not looked at."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import handc  # noqa: E402

#: model -> (size, simulated seconds): a few ms of each, big enough to spike
SHORT = {"cuba": (2000, 0.05), "izhikevich": (200, 0.05), "hh": (64, 0.02),
         "cobahh": (1000, 0.02)}


@pytest.fixture(scope="module", params=["omp", "spin"])
def build(request, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv(handc.BARRIER_VARIABLE, request.param)
    return tmp_path_factory.mktemp(f"handc-{request.param}")


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _run(model: str, threads: int, build: Path, *extra: str) -> dict:
    size, duration = SHORT[model]
    executable = handc.compile_program(model, build, threads_dir=True)
    done = subprocess.run([str(executable), *handc.THREADED[model][1](size, 1, duration,
                                                                       threads), *extra],
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


@pytest.mark.parametrize("model", sorted(handc.THREADED))
def test_every_thread_count_gives_the_same_spikes_and_state(model, build):
    runs = [_run(model, threads, build) for threads in (1, 2, 3)]
    assert runs[0]["spikes"] > 0
    for run in runs[1:]:
        assert (run["spikes"], run["spike_hash"], run["checksum_v"]) == (
            runs[0]["spikes"], runs[0]["spike_hash"], runs[0]["checksum_v"])
    assert [run["threads"] for run in runs] == [1, 2, 3]


def test_hh_is_the_benchmark_model_spike_for_spike(tmp_path):
    """No random numbers in HH: eqsnn's numpy backend on benchmarks/models_eqsnn.py's
    network emits exactly as many spikes as the hand-written C."""
    size, duration = SHORT["hh"]
    mine = _run("hh", 2, tmp_path)
    import eqsnn as es
    import models_eqsnn
    import specs
    built = models_eqsnn.build("hh", size, 1)
    net = es.Network(*built.objects, dt=models_eqsnn.q(specs.HH_DT), seed=1, backend="numpy")
    net.run(duration * es.units.second, progress=False)
    assert int(built.spikes.num_spikes) == mine["spikes"] > 0


def test_run_py_runs_the_shared_program_at_one_thread_only_and_the_openmp_one_as_handc_mt():
    """handc's speed-up never divides one program's loop by another's: the shared
    single-threaded program runs at 1 thread only, handc-mt's OpenMP one at every count."""
    assert handc.threaded("handc", "hh", 1000, 2) is None
    assert handc.threaded("handc", "cuba", 100000, 1) is None      # no shared CUBA 10^5
    assert handc.threaded("handc", "cobahh", 16000, 1) is None
    for model in ("cuba", "cobahh", "hh", "izhikevich"):
        assert handc.threaded("handc-mt", model, 1000, 1) is True
        assert handc.threaded("handc-mt", model, 1000, 2) is True
    if handc.runs("hh", 1000):                                      # the shared folder is there
        assert handc.threaded("handc", "hh", 1000, 1) is False


def _cobahh_network(path: Path) -> dict:
    """What cobahh_mt.c's dump() wrote (see there)."""
    raw = path.read_bytes()
    n, n_synapses, n_spikes = (int(x) for x in np.frombuffer(raw, np.int32, 3))
    parts, offset = {}, 12
    for name, dtype, count in [("v", np.float64, n), ("ge", np.float64, n), ("gi", np.float64, n),
                               ("sources", np.int32, n_synapses), ("targets", np.int32, n_synapses),
                               ("neurons", np.int32, n_spikes), ("steps", np.int32, n_spikes)]:
        parts[name] = np.frombuffer(raw, dtype, count, offset)
        offset += np.dtype(dtype).itemsize * count
    assert offset == len(raw)
    return parts


def test_cobahh_is_the_benchmark_model_spike_for_spike_on_the_same_network(tmp_path):
    """The hand C draws its initial values and synapses from its own random stream; given
    those, eqsnn's numpy backend on specs.py's COBAHH (the equations, constants, method,
    threshold and refractoriness models_eqsnn.py uses) emits the same spikes, neuron and
    step."""
    import eqsnn as es
    import specs
    from models_eqsnn import ns, q
    mine = _run("cobahh", 2, tmp_path, str(tmp_path / "network"))
    network = _cobahh_network(tmp_path / "network")
    size, duration = SHORT["cobahh"]
    group = es.NeuronGroup(size, specs.COBAHH_EQUATIONS, threshold=specs.HH_THRESHOLD,
                           refractory=q(specs.HH_REFRACTORY), method="exponential_euler",
                           namespace=ns(specs.HH_NAMESPACE))
    group.v = network["v"] * es.units.mV
    group.ge = network["ge"] * es.units.uS
    group.gi = network["gi"] * es.units.uS
    n_exc = int(0.8 * size)
    exc = es.Synapses(group[:n_exc], group, on_pre="ge += we",
                      namespace={"we": q(specs.COBAHH_WE)})
    inh = es.Synapses(group[n_exc:], group, on_pre="gi += wi",
                      namespace={"wi": q(specs.COBAHH_WI)})
    excitatory = network["sources"] < n_exc
    exc.connect(i=network["sources"][excitatory], j=network["targets"][excitatory])
    inh.connect(i=network["sources"][~excitatory] - n_exc, j=network["targets"][~excitatory])
    spikes = es.SpikeMonitor(group)
    dt = es.units.ms * specs.MODELS["cobahh"][2][0]
    net = es.Network(group, exc, inh, spikes, dt=dt, backend="numpy")
    net.run(duration * es.units.second, progress=False)
    steps = np.rint(np.asarray(spikes.t / dt)).astype(int)
    eqsnn_spikes = set(zip(steps.tolist(), np.asarray(spikes.i).tolist()))
    handc_spikes = set(zip(network["steps"].tolist(), network["neurons"].tolist()))
    assert len(handc_spikes) == mine["spikes"] > 100
    assert eqsnn_spikes == handc_spikes
