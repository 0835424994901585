"""A group's state update and threshold in one pass over its neurons (codegen/fusion.py,
templates/update_threshold.c.j2): the compiled loop updates each tile of 256 neurons and
tests it while it is in L1, where that is the same program as the two operations one
after the other.

Fused networks must give, bit for bit, what the same network gives with the two
operations apart (the module builder's fusion switched off: ``unfused``), on 1, 2 and 3
threads, and the numpy backend's spikes. The networks use what the fused loop must keep:
refractoriness (a period, a time string, a condition string that the threshold reads as
not_refractory), random numbers in the update (noise) and in the threshold, a Poisson
input, synapses from a subgroup with delays, state and spike monitors (with variables=),
several run() calls, two groups in Brian2's schedule (every update before any
threshold), steps in batches. Operations between an update and its threshold that read
or write what the threshold touches keep them apart, and so do slower clocks.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.codegen import network as module_builder
from eqsnn.compiler import CompilerOptions
from eqsnn.compiler.options import DEFAULT_CFLAGS
from eqsnn.units import Hz, ms, mV

FUSED = "and its threshold in one pass over the neurons"
THREADS = (1, 2, 3)
REFRACTORY = {"period": 3 * ms, "time": "2*ms + 1*ms*(i % 3)",
              "condition": "v > -55*mV"}


def unfused(make, *args, **kwargs):
    """What ``make`` gives with every state update and threshold rendered apart."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module_builder, "fuse", list)
        return make(*args, **kwargs)


def _source(net) -> str:
    return net._builder().build().source


def _lif(threads: int, refractory="period", backend: str = "c", n: int = 1150,
         compiler=None):
    """LIF with noise (rand() in the update), a threshold drawing rand(), a refractory
    period, a Poisson input, synapses with delays from a subgroup, monitors; two runs.
    1150 neurons: 18 blocks of 64, the last one short, uneven between 2 and 3 threads."""
    reads = "and not_refractory > 0.5" if refractory == "condition" else ""
    group = es.NeuronGroup(n, """
        dv/dt = (ge - (v + 49*mV))/(20*ms) + 1*mV*xi/sqrt(ms) : volt (unless refractory)
        dge/dt = -ge/(5*ms) : volt
        """, threshold=f"v > -50*mV + 2*mV*rand() {reads}", reset="v = -60*mV",
        refractory=REFRACTORY[refractory], method="euler", seed=1)
    group.v = "-60*mV + rand()*10*mV"
    exc = es.Synapses(group[:900], group, on_pre="ge += 1.2*mV", seed=2)
    exc.connect(p=0.03)
    exc.delay = "rand()*2*ms"
    drive = es.PoissonInput(group, "v", 20, 5 * Hz, weight=0.5 * mV)
    spikes = es.SpikeMonitor(group, variables="v")
    part = es.SpikeMonitor(group[100:700])
    state = es.StateMonitor(group, ["v", "ge"], record=[0, 575, n - 1])
    net = es.Network(group, exc, drive, spikes, part, state, seed=4, threads=threads,
                     backend=backend, compiler=compiler)
    net.run(15 * ms)
    net.run(25 * ms)
    return {"i": spikes.i, "t": spikes.t_, "spike_v": spikes.v_, "part_i": part.i,
            "v": group.v_, "ge": group.ge_, "state_v": state.v_, "state_ge": state.ge_,
            "source": _source(net) if backend == "c" else ""}


@pytest.fixture(scope="module", params=sorted(REFRACTORY))
def lif(request):
    """Each refractoriness's runs, unfused on one thread and fused on 1, 2, 3."""
    kind = request.param
    return kind, unfused(_lif, 1, kind), {t: _lif(t, kind) for t in THREADS}


def test_the_generated_c_has_one_pass_where_it_had_two(lif):
    _, apart, fused = lif
    assert apart["source"].count("/* threshold of") == 1 and FUSED not in apart["source"]
    for run in fused.values():
        assert run["source"].count(FUSED) == 1 and "/* threshold of" not in run["source"]


@pytest.mark.parametrize("threads", THREADS)
def test_fused_results_are_the_two_passes_bit_for_bit(lif, threads):
    _, apart, fused = lif
    assert apart["i"].size > 300 and apart["part_i"].size > 100
    for name in apart:
        if name != "source":
            assert np.array_equal(apart[name], fused[threads][name]), name


@pytest.mark.parametrize("tile", [64, 128, 1152])
def test_tiles_of_any_size_give_the_same_results(lif, tile):
    """The fused loop updates the thread's neurons tile by tile (EQSNN_FUSED_TILE, 256
    by default; a multiple of 64: 1152 is one tile for all 1150 neurons), then tests
    each tile's blocks of 64."""
    kind, apart, _ = lif
    options = CompilerOptions(cflags=DEFAULT_CFLAGS + (f"-DEQSNN_FUSED_TILE={tile}",))
    for threads in (1, 3):
        fused = _lif(threads, kind, compiler=options)
        for name in apart:
            if name != "source":
                assert np.array_equal(apart[name], fused[name]), (name, threads)


def test_fused_spikes_are_the_numpy_backends(lif):
    kind, _, fused = lif
    reference = _lif(1, kind, backend="numpy")
    for name in ("i", "t", "part_i"):
        np.testing.assert_array_equal(fused[3][name], reference[name], err_msg=name)
    for name in ("v", "state_v", "spike_v"):
        np.testing.assert_allclose(fused[3][name], reference[name], rtol=0, atol=1e-13,
                                   err_msg=name)


def _two_groups(threads: int, backend: str = "c", **first):
    """Two groups without synapses: Brian2's schedule runs both updates, then both
    thresholds (the first group's threshold moves past the second's update), and the
    steps run in batches. ``first``: more arguments of the first group."""
    model = "dv/dt = (I - v)/(10*ms) + 0.2*xi/sqrt(ms) : 1 (unless refractory)\nI : 1"
    a = es.NeuronGroup(530, model, threshold="v > 1", reset="v = 0", refractory=2 * ms,
                       method="euler", seed=1, **first)
    b = es.NeuronGroup(200, model, threshold="v > 0.5 + 0.5*rand()", reset="v = 0.1",
                       method="euler", seed=2)
    a.I = "1 + 0.5*i/N"
    b.I = "0.7 + 0.3*rand()"
    sa, sb = es.SpikeMonitor(a), es.SpikeMonitor(b)
    net = es.Network(a, b, sa, sb, seed=3, threads=threads, backend=backend)
    net.run(30 * ms)
    return {"a_i": sa.i, "a_t": sa.t_, "b_i": sb.i, "b_t": sb.t_, "a_v": a.v_, "b_v": b.v_,
            "source": _source(net) if backend == "c" else ""}


@pytest.mark.parametrize("threads", THREADS)
def test_two_groups_in_brian2s_schedule_are_both_fused(threads):
    apart, fused = unfused(_two_groups, 1), _two_groups(threads)
    assert fused["source"].count(FUSED) == 2 and "Steps in batches" in fused["source"]
    assert apart["a_i"].size > 500 and apart["b_i"].size > 500
    for name in apart:
        if name != "source":
            assert np.array_equal(apart[name], fused[name]), name


def test_a_group_on_a_slower_clock_keeps_its_two_passes():
    apart, fused = unfused(_two_groups, 2, dt=0.2 * ms), _two_groups(2, dt=0.2 * ms)
    assert fused["source"].count(FUSED) == 1  # (the second group's)
    assert fused["source"].count("/* threshold of") == 1
    for name in apart:
        if name != "source":
            assert np.array_equal(apart[name], fused[name]), name


def _between(kind: str, threads: int, backend: str = "c"):
    """CUBA-like neurons with an operation between the update and the threshold that
    the threshold depends on: fused, it would test what came before it."""
    group = es.NeuronGroup(700, """
        dv/dt = (ge - (v + 49*mV))/(20*ms) : volt (unless refractory)
        dge/dt = -ge/(5*ms) : volt
        """, threshold="v > -50*mV", reset="v = -60*mV", refractory=2 * ms,
        method="exact", seed=1)
    group.v = "-60*mV + rand()*10*mV"
    syn = es.Synapses(group, group, on_pre="v_post += 0.6*mV", delay=1 * ms, seed=2)
    syn.connect(p=0.05)
    objects = [group, syn]
    schedule = None
    if kind == "kick":  # every 5th neuron pushed over the threshold now and then
        group.run_regularly("v = v + 12*mV*int(i % 5 == 0)", dt=3 * ms,
                            when="before_thresholds")
    elif kind == "synapses first":  # the synapses' v_post += between them
        schedule = ["start", "groups", "synapses", "thresholds", "resets", "end"]
    elif kind == "monitor":  # recording the updated v before the threshold
        state = es.StateMonitor(group, "v", record=[0, 350, 699], when="before_thresholds")
        objects.append(state)
    spikes = es.SpikeMonitor(group)
    net = es.Network(*objects, spikes, seed=3, threads=threads, backend=backend)
    if schedule is not None:
        net.schedule = schedule
    net.run(30 * ms)
    result = {"i": spikes.i, "t": spikes.t_, "v": group.v_,
              "source": _source(net) if backend == "c" else ""}
    if kind == "monitor":
        result["state_v"] = state.v_
    return result


@pytest.mark.parametrize("kind", ["kick", "synapses first", "monitor"])
def test_an_operation_in_between_keeps_the_two_passes(kind):
    reference = _between(kind, 1, backend="numpy")
    assert reference["i"].size > 100
    for threads in (1, 3):
        run = _between(kind, threads)
        assert FUSED not in run["source"] and "/* threshold of" in run["source"]
        for name in ("i", "t"):
            np.testing.assert_array_equal(run[name], reference[name], err_msg=name)
        for name in ("v", "state_v") if kind == "monitor" else ("v",):
            np.testing.assert_allclose(run[name], reference[name], rtol=0, atol=1e-13,
                                       err_msg=name)
