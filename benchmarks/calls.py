"""Where a run's loop time goes, call by call: the compiled loop's calls and Python
between them, in fresh processes at each thread count in turn.

    PYTHONPATH=. python benchmarks/calls.py izhikevich:1000 --threads 1,2 --processes 7 \
        [--runs 2] [--duration S] [--team-first]

``net.timing["loop_seconds"]`` (what the benchmarks report as the loop) runs from the
first call of the compiled loop to the end of the last, with Python between the calls:
the loop returns when its time budget (0.25 s) is spent or a chunk of steps is done
(``eqsnn/runtime/chunks.py``: a loop that keeps to the budget is asked for the rest of
the run), or a monitor's buffer is full (Python grows it and calls again). Each process builds the
model as ``worker_eqsnn.py`` does (same seed, the model's own duration and dt) and
runs it ``--runs`` times; the compiled loop's calls are timed from Python
(``time.perf_counter`` around the Cython runner's call), as are Python's parts around
each. Printed per thread count and run, medians over the processes of:

- per call (in order): steps asked and done, the time in the compiled loop (and per
  step), the minor page faults during it (``getrusage``: first touches of memory);
- ``before``: Python from the start of the loop's clock to the first call, plus between
  calls before each call (the getters of the arrays and scalars, counted in the
  call's ``py`` column); ``after``: Python after each call (growing buffers, the NaN
  check, sizing the next chunk);
- the loop time itself, and the sum of the calls' C time.

``--team-first`` calls the loop once for 0 steps before the first run (its time is
printed apart): the OpenMP team's start, the library's first call, without any step.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def child(model: str, size: int, threads: int, duration: float | None, runs: int,
          team_first: bool) -> dict:
    """One process: build, run ``runs`` times, return every call's record."""
    sys.path.insert(0, str(HERE))
    import eqsnn as es
    from eqsnn.runtime import backends
    import models_eqsnn
    import specs
    _, default_duration, dt = specs.MODELS[model]
    duration = default_duration if duration is None else duration
    calls: list[dict] = []
    program_run, loop_run = backends.Program.run, backends.CompiledLoop.run

    def timed_program_run(self, start, n, dt_, seed):
        entered = time.perf_counter()
        done = program_run(self, start, n, dt_, seed)
        calls[-1].update(entered=entered, left=time.perf_counter(), asked=n)
        return done

    def timed_loop_run(self, *args):
        calls.append({})
        faults, tic = _faults(), time.perf_counter()
        done = loop_run(self, *args)
        toc = time.perf_counter()
        calls[-1].update(c=toc - tic, c_start=tic, c_end=toc, done=done,
                         faults=_faults() - faults)
        return done

    backends.Program.run, backends.CompiledLoop.run = timed_program_run, timed_loop_run
    built = models_eqsnn.build(model, size, 1)
    net = es.Network(*built.objects, dt=models_eqsnn.q(dt), seed=1, backend="c",
                     threads=threads)
    first = None
    if team_first:
        program = net._build()
        program.run(0, 0, float(net._loop_dt()), net.seed & 0xFFFFFFFFFFFFFFFF)
        first = calls.pop()["c"]
    out = []
    for _ in range(runs):
        calls.clear()
        started = time.perf_counter()
        net.run(duration * es.units.second, progress=False)
        ended = time.perf_counter()
        loop = net.timing["loop_seconds"]
        loop_start = ended - loop  # (close enough: the loop's clock ends the run)
        records, previous = [], loop_start
        for call in calls:
            records.append({"asked": call["asked"], "done": call["done"], "c": call["c"],
                            "py_before": call["c_start"] - previous,
                            "faults": call["faults"]})
            previous = call["c_end"]
        out.append({"loop": loop, "run": ended - started, "calls": records,
                    "tail": ended - previous, "spikes": int(built.spikes.num_spikes)})
    return {"threads": threads, "team_first": first, "runs": out}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", metavar="MODEL:SIZE")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1, help="runs per process")
    parser.add_argument("--duration", type=float, default=None)
    parser.add_argument("--team-first", action="store_true")
    parser.add_argument("--json", default=None, help="append every process's records")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    model, size = args.model.split(":")
    counts = [int(t) for t in args.threads.split(",")]
    if args.child:
        print(json.dumps(child(model, int(size), counts[0], args.duration, args.runs,
                               args.team_first)))
        return 0
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    results: dict[int, list[dict]] = {t: [] for t in counts}
    for _ in range(args.processes):
        for t in counts:
            command = [sys.executable, __file__, args.model, "--child", "--threads", str(t),
                       "--runs", str(args.runs)]
            command += ["--team-first"] if args.team_first else []
            command += ["--duration", str(args.duration)] if args.duration else []
            out = subprocess.run(command, env=env, capture_output=True, text=True,
                                 check=True)
            results[t].append(json.loads(out.stdout.strip().splitlines()[-1]))
    if args.json:
        with open(args.json, "a") as f:
            for t in counts:
                for r in results[t]:
                    f.write(json.dumps({"model": args.model, **r}) + "\n")
    report(args.model, results)
    return 0


def _median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def report(model: str, results: dict[int, list[dict]]) -> None:
    us = 1e6
    for t, processes in results.items():
        firsts = [p["team_first"] for p in processes if p["team_first"] is not None]
        print(f"{model}, {t} thread(s), {len(processes)} processes"
              + (f"; 0-step first call {_median(firsts) * us:.0f} us" if firsts else ""))
        for k in range(len(processes[0]["runs"])):
            runs = [p["runs"][k] for p in processes]
            n_calls = max(len(r["calls"]) for r in runs)
            print(f"  run {k + 1}: loop {_median(r['loop'] for r in runs) * 1e3:.3f} ms "
                  f"(C {_median(sum(c['c'] for c in r['calls']) for r in runs) * 1e3:.3f}, "
                  f"Python {_median(r['loop'] - sum(c['c'] for c in r['calls']) for r in runs) * us:.0f} us), "
                  f"{_median(len(r['calls']) for r in runs):.0f} calls, "
                  f"spikes {_median(r['spikes'] for r in runs):.0f}")
            for j in range(n_calls):
                cs = [r["calls"][j] for r in runs if j < len(r["calls"])]
                print(f"    call {j + 1}: steps {_median(c['asked'] for c in cs):.0f}/"
                      f"{_median(c['done'] for c in cs):.0f}  C {_median(c['c'] for c in cs) * us:8.0f} us "
                      f"({_median(c['c'] / max(c['done'], 1) for c in cs) * us:6.2f} us/step)  "
                      f"py before {_median(c['py_before'] for c in cs) * us:5.0f} us  "
                      f"faults {_median(c['faults'] for c in cs):.0f}")
            print(f"    after the last call {_median(r['tail'] for r in runs) * us:.0f} us")


if __name__ == "__main__":
    sys.exit(main())
