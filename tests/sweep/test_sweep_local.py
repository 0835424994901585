"""Sweeps on this machine: an HH f–I curve, the same table with 1, 2 and 4 workers, one
compile per sweep, failures kept per run, numpy fallback on a machine without a compiler.
"""
import contextlib
import os
import warnings

import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler import clear_memory_cache
from eqsnn.sweeps import Records
from eqsnn.units import hertz, ms

import sweep_cases as cases

pytest.importorskip("pandas", reason="these tests compare DataFrames (the test extra has pandas)")

# what must not depend on where or in which order runs execute
SAME = ["run", "I", "repeat", "seed", "num_spikes", "first_spike", "error", "backend"]
CUBA_SAME = ["run", "we", "wi", "repeat", "seed", "num_spikes", "mean_rate", "error",
             "backend"]


@contextlib.contextmanager
def fresh_cache(directory):
    """An empty compile cache, for this process and the workers it starts."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EQSNN_CACHE_DIR", str(directory))
        clear_memory_cache()
        yield
    clear_memory_cache()


def hh_fi(**kwargs):
    return es.sweep(cases.hh_neuron, {"I": cases.HH_CURRENTS}, duration=cases.DURATION,
                    collect=cases.hh_first_spike, progress=False, **kwargs)


@pytest.fixture(scope="module")
def serial_fi(tmp_path_factory):
    with fresh_cache(tmp_path_factory.mktemp("cache")):
        return hh_fi(workers=1)


def test_hh_fi_curve_over_50_currents(serial_fi):
    table = serial_fi
    assert len(table) == 50 and table.attrs["failed"] == 0
    assert table.attrs["units"]["I"] == "microampere / centimeter ** 2"
    counts = table["num_spikes"].to_numpy()
    currents = table["I"].to_numpy()
    assert np.all(np.diff(counts) >= 0)  # an f–I curve does not fall
    assert np.all(counts[currents < 2.0] == 0)  # subthreshold from rest
    # HH (1952) fires repetitively above about 6.3 uA/cm^2 (a saddle-node of cycles)
    repetitive = currents[counts >= 3]
    assert 6.0 < repetitive.min() < 7.0
    assert 8 <= counts[-1] <= 10  # 80–100 Hz at 19.6 uA/cm^2
    first = table["first_spike"].to_numpy(dtype=float)
    spiking = ~np.isnan(first)
    assert np.all(np.diff(first[spiking]) <= 0)  # more current, earlier first spike


def test_one_compile_for_the_whole_sweep(serial_fi):
    assert serial_fi.attrs["compilations"] == 1
    assert serial_fi["compilations"].tolist() == [1] + [0] * 49


def cuba_scan(**kwargs):
    return es.sweep(cases.cuba, {"we": cases.CUBA_WE, "wi": cases.CUBA_WI}, seed=2007,
                    duration=cases.DURATION, progress=False, **kwargs)


@pytest.fixture(scope="module")
def serial_cuba(tmp_path_factory):
    with fresh_cache(tmp_path_factory.mktemp("cache")):
        return cuba_scan(workers=1)


def test_cuba_10x10_weight_scan(serial_cuba):
    table = serial_cuba
    assert len(table) == 100 and table.attrs["failed"] == 0
    assert table.attrs["compilations"] == 1  # 100 weight pairs and connectivities, 1 module
    assert table["seed"].nunique() == 100  # each run its own connections and start
    rate = table.pivot(index="we", columns="wi", values="mean_rate")
    # Uncoupled (we = wi = 0), a cell starting at v0 ~ U(Vr, Vt) first fires after
    # taum*ln(El - v0) (in mV), then every 5 ms + taum*ln(11): in 100 ms a second spike
    # comes when El - v0 < exp((100 - 5 - 20 ln 11)/20), a fraction (exp(.) - 1)/10.
    second = (np.exp((100 - 5 - 20 * np.log(11)) / 20) - 1) / 10
    assert abs(rate.loc[0.0, 0.0] - 10 * (1 + second)) < 1.0  # Hz; sd of the mean ~0.2
    assert (rate[0.0].diff().dropna() > 0).all()  # excitation alone: more, ever more
    assert (rate.loc[0.0, :-2.0] < rate.loc[0.0, 0.0] / 2).all()  # inhibition: less
    assert (rate.iloc[:, 0] < rate.iloc[:, -1]).all()  # strongest inhibition < none


def test_one_compile_however_many_objects_the_process_made_before(tmp_path, monkeypatch):
    """Default names come from one counter per process and ties in a slot run by name.
    When names were compared as text, the first run's network here (neurongroup_98,
    synapses_99, synapses_100) ran its two pathways in the other order than the second
    run's (synapses_102, synapses_103): another module, compiled again. A worker process,
    whose counter starts at 0, met the same (the Dask test's ``assert 2 == 1``)."""
    from eqsnn.runtime import group_setup
    monkeypatch.setattr(group_setup, "_group_counter", 97)
    with fresh_cache(tmp_path):
        table = es.sweep(cases.cuba, {"we": cases.CUBA_WE[:2], "wi": cases.CUBA_WI[0]},
                         seed=2007, duration=5 * ms, progress=False, workers=1)
    assert table.attrs["failed"] == 0
    assert table["compilations"].tolist() == [1, 0] and table.attrs["compilations"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2, 4])
def test_workers_give_the_same_tables_and_load_the_parents_compile(
        serial_fi, serial_cuba, workers, tmp_path):
    with fresh_cache(tmp_path / "hh"):
        fi = hh_fi(workers=workers)
    with fresh_cache(tmp_path / "cuba"):
        scan = cuba_scan(workers=workers)
    assert fi[SAME].equals(serial_fi[SAME])
    assert scan[CUBA_SAME].equals(serial_cuba[CUBA_SAME])
    for table in (fi, scan):
        assert table["worker"].nunique() == workers  # really ran in that many processes
        assert os.getpid() not in {int(w.split(":")[1]) for w in table["worker"]}
        # the parent compiled once before fanning out; no worker compiled
        assert table.attrs["compilations"] == 1
        assert table["compilations"].sum() == 0


def test_a_failed_run_is_recorded_and_the_rest_finish():
    with pytest.warns(RuntimeWarning, match="1 of 3 sweep runs failed"):
        table = es.sweep(cases.growth, {"a": [10, 1e5, 20] * hertz}, duration=50 * ms,
                         collect=cases.final_v, workers=1, progress=False)
    assert table["error"][1].startswith(
        "NumericalInstabilityError: v of 'neurongroup_")
    assert "became inf at neuron 0" in table["error"][1]
    assert table["error"][[0, 2]].isna().all()
    # forward Euler: v_n = (1 + a dt)^n; the last sample is at t = 49.9 ms, n = 499
    np.testing.assert_allclose(table["v_end"][[0, 2]], [1.001**499, 1.002**499], rtol=1e-12)
    assert np.isnan(table["v_end"][1])


def test_seeded_ensemble_is_reproducible_and_each_run_differs():
    one = es.sweep(cases.poisson, {"rate": cases.RATE}, seeds=4, seed=5,
                   duration=cases.DURATION, workers=1, progress=False, as_frame=False)
    again = es.sweep(cases.poisson, {"rate": cases.RATE}, seeds=4, seed=5,
                     duration=cases.DURATION, workers=1, progress=False, as_frame=False)
    other = es.sweep(cases.poisson, {"rate": cases.RATE}, seeds=4, seed=6,
                     duration=cases.DURATION, workers=1, progress=False, as_frame=False)
    assert isinstance(one, Records)
    counts = one.column("num_spikes")
    assert counts == again.column("num_spikes") and one.column("seed") == again.column("seed")
    assert len(set(counts)) > 1 and counts != other.column("num_spikes")
    # 20 sources at 50 Hz for 0.1 s: 100 spikes expected, sd 10
    assert all(60 < c < 140 for c in counts)
    assert one.attrs["units"] == {"rate": "hertz", "mean_rate": "hertz"}
    assert one[0]["mean_rate"] == pytest.approx(counts[0] / 20 / 0.1, rel=1e-12)


def test_a_machine_without_compiler_falls_back_to_numpy_and_says_so(serial_fi, monkeypatch):
    monkeypatch.setenv("CC", "/nonexistent/cc")
    with warnings.catch_warnings():  # the warning is said once per process: maybe before
        warnings.simplefilter("ignore", es.errors.CompilerNotFoundWarning)
        table = es.sweep(cases.hh_neuron, {"I": cases.HH_CURRENTS[20:23]},
                         duration=cases.DURATION, collect=cases.hh_first_spike,
                         workers=1, progress=False)
    assert table["backend"].tolist() == ["numpy"] * 3
    assert table["note"][0].endswith(": ran on the numpy backend")
    assert table["note"][0].startswith("no working C compiler on ")
    assert table.attrs["compilations"] == 0
    compiled = serial_fi.iloc[20:23].reset_index(drop=True)
    np.testing.assert_array_equal(table["num_spikes"], compiled["num_spikes"])
    np.testing.assert_allclose(table["first_spike"], compiled["first_spike"], rtol=1e-9)


def test_collect_must_not_overwrite_the_sweeps_columns():
    with pytest.warns(RuntimeWarning):
        table = es.sweep(cases.poisson, {"rate": cases.RATE}, duration=1 * ms,
                         collect=cases.collect_seed_column, workers=1, progress=False)
    assert table["error"][0] == ("ValueError: collect() returned a column 'seed', which "
                                 "is already a column of the sweep; rename it")


def test_a_worker_that_dies_is_reported_not_raised():
    with pytest.warns(RuntimeWarning, match="sweep runs failed"):
        table = es.sweep(cases.exit_process, {"code": [0, 3]}, duration=1 * ms, workers=2,
                         progress=False)
    assert table["error"][1].startswith("worker process failed: BrokenProcessPool")
    assert len(table) == 2


def test_default_workers_keep_a_sweep_of_short_runs_in_this_process():
    table = es.sweep(cases.growth, {"a": [1, 2, 3, 4] * hertz}, duration=1 * ms,
                     collect=cases.final_v, progress=False)
    assert table.attrs["executor"].startswith("this process")
    assert table["worker"].nunique() == 1
    assert int(table["worker"][0].split(":")[1]) == os.getpid()
