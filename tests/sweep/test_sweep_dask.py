"""The same sweep on a Dask cluster (a LocalCluster of worker processes on this machine)."""
import pytest

import eqsnn as es
from eqsnn.compiler import clear_memory_cache

import sweep_cases as cases

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


@pytest.mark.slow
def test_dask_cluster_gives_the_serial_table_with_one_compile(tmp_path, monkeypatch):
    kwargs = dict(duration=cases.DURATION, collect=cases.hh_first_spike, progress=False)
    params = {"I": cases.HH_CURRENTS}
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))  # before the workers start
    clear_memory_cache()
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            on_dask = es.sweep(cases.hh_neuron, params, client=client, **kwargs)
            workers = set(client.scheduler_info()["workers"])
        serial = es.sweep(cases.hh_neuron, params, workers=1, **kwargs)
    finally:
        clear_memory_cache()
    same = ["run", "I", "repeat", "seed", "num_spikes", "first_spike", "error", "backend"]
    assert on_dask[same].equals(serial[same])
    assert on_dask.attrs["executor"] == "dask"
    assert len(workers) == 2 and on_dask["worker"].nunique() == 2
    # the parent compiled before submitting; the Dask workers loaded its module
    assert on_dask.attrs["compilations"] == 1 and on_dask["compilations"].sum() == 0
    assert serial.attrs["compilations"] == 0  # and the serial sweep found it cached
