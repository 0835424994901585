"""Parameter sweeps and ensembles: one compile, many runs, on local cores or Dask.

Entry point: :func:`sweep` (also ``eqsnn.sweep``). The stages, one module each:

* :mod:`~eqsnn.sweeps.params` — which runs: grid or list of parameter sets, per-run seeds
  from one root ``SeedSequence``;
* :mod:`~eqsnn.sweeps.run` — one run in a worker: build, run, collect, report (failures
  become data);
* :mod:`~eqsnn.sweeps.executors` — where runs execute: this process, spawned processes,
  a Dask client;
* :mod:`~eqsnn.sweeps.table` — the tidy table (DataFrame or :class:`Records`);
* :mod:`~eqsnn.sweeps.transport` — what crosses process boundaries (quantities, functions).

The package is called ``sweeps`` so that importing it never shadows the function
``eqsnn.sweep``.
"""
from eqsnn.sweeps.api import sweep
from eqsnn.sweeps.params import derive_seed, expand_params
from eqsnn.sweeps.run import default_collect, find
from eqsnn.sweeps.table import Records
from eqsnn.sweeps.transport import SweepError

__all__ = ["sweep", "find", "expand_params", "derive_seed", "default_collect", "Records",
           "SweepError"]
