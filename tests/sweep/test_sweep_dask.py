"""The same sweeps on a Dask cluster (a LocalCluster of worker processes on this machine)."""
import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler import clear_memory_cache

import sweep_cases as cases

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pytest.importorskip("pandas", reason="these tests compare DataFrames (the test extra has pandas)")

HH = dict(build=cases.hh_neuron, params={"I": cases.HH_CURRENTS},
          collect=cases.hh_first_spike)
CUBA = dict(build=cases.cuba, params={"we": cases.CUBA_WE, "wi": cases.CUBA_WI}, seed=2007)
SAME = {"hh": ["run", "I", "repeat", "seed", "num_spikes", "first_spike", "error", "backend"],
        "cuba": ["run", "we", "wi", "repeat", "seed", "num_spikes", "mean_rate", "error",
                 "backend"]}


@pytest.mark.slow
def test_dask_cluster_gives_the_serial_tables_with_one_compile_each(tmp_path, monkeypatch):
    cache = {"hh": tmp_path / "hh", "cuba": tmp_path / "cuba"}
    on_dask, serial = {}, {}
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            workers = set(client.scheduler_info()["workers"])
            for name, sweep in (("hh", HH), ("cuba", CUBA)):
                # a fresh cache per sweep, set where the Dask workers look too
                monkeypatch.setenv("EQSNN_CACHE_DIR", str(cache[name]))
                client.run(monkeypatch_worker_cache, str(cache[name]))
                clear_memory_cache()
                on_dask[name] = es.sweep(**sweep, client=client, duration=cases.DURATION,
                                         progress=False)
        for name, sweep in (("hh", HH), ("cuba", CUBA)):
            monkeypatch.setenv("EQSNN_CACHE_DIR", str(cache[name]))
            serial[name] = es.sweep(**sweep, workers=1, duration=cases.DURATION,
                                    progress=False)
    finally:
        clear_memory_cache()
    assert len(workers) == 2
    for name in ("hh", "cuba"):
        table = on_dask[name]
        assert table[SAME[name]].equals(serial[name][SAME[name]])
        assert table.attrs["executor"] == "dask" and table.attrs["failed"] == 0
        assert table["worker"].nunique() == 2
        # the parent compiled before submitting; the Dask workers loaded its module. (A
        # worker renders the same source whatever objects its process made before: default
        # names in a tie compare their numbers as numbers, see test_sweep_local's
        # test_one_compile_however_many_objects_the_process_made_before.)
        compiled = table.loc[table["compilations"] > 0, ["run", "worker", "compilations"]]
        assert table.attrs["compilations"] == 1 and compiled.empty, (
            f"{name}: {table.attrs['compilations']} compilations; runs that compiled:\n"
            f"{compiled}")
        assert serial[name].attrs["compilations"] == 0  # the serial sweep found it cached
    assert np.all(on_dask["hh"]["backend"] == "c")


def monkeypatch_worker_cache(directory):
    """Runs on each Dask worker: point its compile cache where the parent's is."""
    import os
    os.environ["EQSNN_CACHE_DIR"] = directory
