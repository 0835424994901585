"""Sweep throughput: runs per second of an HH f–I curve, 1 worker vs all cores vs Brian2.

    python benchmarks/sweep_throughput.py                 # 50 currents, 1 s each
    python benchmarks/sweep_throughput.py --runs 200 --duration 0.2
    python benchmarks/sweep_throughput.py --no-brian2

The workload is the Hodgkin–Huxley (1952) axon of ``eqsnn.models.HodgkinHuxley``,
started at rest, one run per input current, spikes counted. Rows:

* ``eqsnn.sweep, 1 worker`` — every run in this process;
* ``eqsnn.sweep, N workers`` — spawned worker processes (N = the cores of this machine);
* ``eqsnn.sweep, workers=None`` — the default: two runs here, then workers only if the
  rest is estimated at more than a few seconds;
* ``Brian2 run_args loop`` — the same model in Brian2's C++ standalone mode, compiled
  once, then ``device.run(run_args={G.I: value})`` per current (Brian2 in its own venv,
  see brian2_env.py; skipped with a note when it cannot be set up).

Each eqsnn row is timed as the whole ``eqsnn.sweep`` call with a warm compile cache
(worker start-up included); the compile, done once per cache, is reported apart, like
Brian2's build. The spike counts of every row must agree, or the script says so.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import eqsnn as es
from eqsnn import units
from eqsnn.units import cm2, second, uA

HERE = Path(__file__).resolve().parent
HH = es.models.HodgkinHuxley()  # once per process: parsed equations and rest are cached


def hh_cell(I):
    """The network of one run (module level: worker processes import it)."""
    cell = HH.group(1)
    cell.I = I
    return es.Network(cell, es.SpikeMonitor(cell))


def eqsnn_rows(currents, duration, workers_list):
    rows = []
    compile_started = time.perf_counter()
    es.sweep(hh_cell, {"I": currents[:1]}, duration=duration, workers=1, progress=False)
    compile_seconds = time.perf_counter() - compile_started
    for workers in workers_list:
        table = es.sweep(hh_cell, {"I": currents}, duration=duration, workers=workers,
                         progress=False)
        name = ("workers=None (auto)" if workers is None else
                f"{workers} worker{'s' * (workers > 1)}")
        rows.append({"name": f"eqsnn.sweep, {name}", "executor": table.attrs["executor"],
                     "seconds": table.attrs["seconds"],
                     "compilations": table.attrs["compilations"],
                     "counts": table["num_spikes"].tolist()})
    return rows, compile_seconds


def brian2_row(currents, duration):
    """The Brian2 run_args loop, or the reason it could not run."""
    sys.path.insert(0, str(HERE))
    try:
        import brian2_env
        python = brian2_env.brian2_python(log=lambda text: print(f"  [{text}]"))
    except Exception as exc:  # no venv possible: say why, measure the rest
        return None, f"Brian2 skipped: {type(exc).__name__}: {exc}"
    rest = HH.resting_state()
    spec = {
        "equations": HH.equations, "threshold": HH.threshold, "method": HH.method,
        "refractory": units.to_si(HH.refractory)[0],
        "namespace": {k: _si(v) for k, v in HH.namespace.items()},
        "initial": {k: _si(v) for k, v in rest.items()},
        "currents": [float(units.to_si(I)[0]) for I in currents],
        "current_dims": _si(currents[0])[1],
        "duration": float(units.to_si(duration)[0]), "dt": 1e-4,
        "workdir": tempfile.mkdtemp(prefix="eqsnn-sweep-brian2-"),
    }
    done = subprocess.run([str(python), str(HERE / "sweep_throughput_brian2.py")],
                          input=json.dumps(spec), capture_output=True, text=True)
    if done.returncode != 0:
        return None, f"Brian2 failed:\n{done.stderr[-2000:]}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"name": f"Brian2 {result['brian2']} run_args loop",
            "seconds": result["loop_seconds"], "compile": result["compile_seconds"],
            "counts": result["counts"]}, None


def _si(value):
    """(SI magnitude, pint dimension exponents) of a quantity or plain number."""
    magnitude, dim = units.to_si(value)
    return float(magnitude), {k: float(v) for k, v in dict(dim).items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="currents (runs) in the sweep")
    parser.add_argument("--duration", type=float, default=1.0, help="seconds per run")
    parser.add_argument("--workers", type=int, default=None,
                        help="the 'all cores' worker count (default: this machine's cores)")
    parser.add_argument("--no-brian2", action="store_true", help="skip the Brian2 row")
    args = parser.parse_args(argv)
    cores = args.workers or es.sweeps.executors.default_workers()
    # a cache of its own: the first sweep compiles (timed), every row after is warm
    os.environ["EQSNN_CACHE_DIR"] = tempfile.mkdtemp(prefix="eqsnn-sweep-bench-")
    currents = np.linspace(0, 20, args.runs) * uA / cm2
    duration = args.duration * second
    print(f"HH f-I sweep: {args.runs} runs of {args.duration:g} s (dt 0.1 ms), "
          f"{cores} cores available")
    rows, compile_seconds = eqsnn_rows(currents, duration, sorted({1, cores}) + [None])
    note = "Brian2 skipped: --no-brian2"
    if not args.no_brian2:
        row, note = brian2_row(currents, duration)
        if row is not None:
            rows.append(row)
    print(f"\n{'':34} {'seconds':>9} {'runs/s':>9}  compile (once)")
    for row in rows:
        once = (f"{row['compile']:.1f} s" if "compile" in row else
                f"{compile_seconds:.1f} s (first sweep; this one compiled "
                f"{row['compilations']})")
        print(f"{row['name']:34} {row['seconds']:9.2f} {args.runs / row['seconds']:9.1f}  "
              f"{once}")
    auto = next(row for row in rows if "auto" in row["name"])
    print(f"\nworkers=None chose: {auto['executor']}")
    if note:
        print(note)
    reference = rows[0]["counts"]
    for row in rows[1:]:
        if row["counts"] != reference:
            print(f"warning: spike counts of {row['name']!r} differ from eqsnn's: "
                  f"{row['counts']} vs {reference}")


if __name__ == "__main__":
    main()
