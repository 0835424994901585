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
sys.path.insert(0, str(ROOT / "benchmarks" / "handc_threads"))

import handc  # noqa: E402
import rounds  # noqa: E402

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


def test_the_capacity_probes_print_one_range_per_probe(tmp_path):
    """capacity.c, as rounds.py builds it: one line, a lowest-highest 2 t1/t2 for each of
    the five probes (the values are the machine's, not checked)."""
    done = subprocess.run([str(rounds.build_probe(tmp_path)), "1"], capture_output=True,
                          text=True, check=True, timeout=120)
    ranges = rounds._probe_ranges(done.stdout)
    assert list(ranges) == ["chain", "fma", "exp", "iexp", "stream"]
    assert all(0 < low <= high for low, high in ranges.values())


def test_rounds_summary_gives_the_median_of_the_per_round_speed_ups(tmp_path):
    """Three rounds of one cell whose 2-thread loop is 2, 1.5 and 1.1 times faster: the
    median speed-up is 1.5 (not their mean, 1.53, nor the ratio of the median loops,
    1.1/0.8), and the probes' medians are taken over the same rounds."""
    lines = []
    for k, (one, two) in enumerate([(1.0, 0.5), (1.2, 0.8), (1.1, 1.0)]):
        lines.append({"capacity": f"chain 1.{k}0-2.00 stream 1.{k}5-1.90", "time": f"08:0{k}:00"})
        for threads, loop in ((1, one), (2, two)):
            lines.append({"model": "cobahh", "size": 4000, "cell": "handc-omp", "threads": threads,
                          "loop": loop, "spikes": 10, "spike_hash": "ab", "time": f"08:0{k}:00"})
    (tmp_path / "runs.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    text = rounds.summary(tmp_path / "runs.jsonl", [("cobahh", 4000)])
    assert "| **median** |  |  | **1.50** |" in text
    assert "spikes equal at 1 and 2 threads in every round: yes" in text
    assert "chain 1.10-2.00, stream 1.15-1.90" in text
