"""Whole-process cost of two eqsnn source trees, side by side, in one interleaved run.

    git worktree add /tmp/eqsnn-before <commit>
    python benchmarks/trees.py /tmp/eqsnn-before . --repeat 9

For a change that touches what every script imports (units, quantities), this measures
what a user feels: a fresh interpreter per measurement, timed from outside, for

* ``import``: ``python -c "import eqsnn.units"`` (the floor of every script),
* ``cuba 4000``, ``izhikevich 1000`` and ``hh 1000``: ``worker_eqsnn.py`` on the compiled backend with a
  warm cache (filled by one untimed run per tree; each tree has its own cache),
* ``<case> cold`` (``cuba 4000 cold`` ...): the same
  with the tree's compile cache emptied before every run, so each one generates and
  compiles its C as a user's first run does.

Repetitions are interleaved (run k of every tree and case, then run k+1): load on a
shared machine drifts over minutes. The table shows medians and the after/before ratio
of wall time and of CPU time (user+sys of the process), which load inflates less.
Each tree runs with ``PYTHONPATH=<tree>``, bytecode writing allowed.

``--stages`` adds, for the worker cases, where each process spent its wall time (medians,
milliseconds, and after - before): ``start`` (interpreter start-up to the worker's first
line), ``import`` (eqsnn and the benchmark's models), ``build`` (the objects: equations,
connect, initial values), ``run`` (``net.run()``), of which ``codegen`` (the network's
C source), ``compile`` (its compile, or the cache hit, and loading it) and ``loop`` (the
compiled loop alone), and ``exit`` (the worker's last line to the process's end:
interpreter and library teardown).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKER = str(HERE / "worker_eqsnn.py")
#: model and size of each worker case; every one also runs cold ("<case> cold")
RUNS = {"cuba 4000": ("cuba", "4000"), "izhikevich 1000": ("izhikevich", "1000"),
        "hh 1000": ("hh", "1000")}
CASES = {"import": ["-c", "import eqsnn.units"]}
CASES.update({case: [WORKER, model, size, "c", "1"] for case, (model, size) in RUNS.items()})
COLD = {f"{case} cold": CASES[case] for case in RUNS}
CASES.update(COLD)
DEFAULT_CASES = ("import", "cuba 4000", "izhikevich 1000")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES),
                        help=f"comma-separated, from: {', '.join(CASES)}")
    parser.add_argument("--stages", action="store_true",
                        help="also a table of each worker case's stages (see above)")
    args = parser.parse_args(argv)
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    cases = args.cases.split(",")
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    stages: dict[tuple[str, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="eqsnn-trees-") as scratch:
        for tree in trees:
            for case in cases:
                if case not in COLD:
                    _run(trees[tree], Path(scratch) / tree / "warm", CASES[case])  # fill the cache
        for rep in range(args.repeat):
            for case in cases:
                for tree in trees:
                    cache = Path(scratch) / tree / ("cold" if case in COLD else "warm")
                    if case in COLD:
                        shutil.rmtree(cache, ignore_errors=True)
                    wall, cpu, parts = _run(trees[tree], cache, CASES[case])
                    times.setdefault((case, tree), []).append((wall, cpu))
                    if parts:
                        stages.setdefault((case, tree), []).append(parts)
                    print(f"rep {rep} {case:16s} {tree:6s} wall {wall:.3f} s  cpu {cpu:.3f} s",
                          flush=True)
    print(f"\nmedians of {args.repeat} fresh processes, interleaved, whole process: wall "
          f"time and CPU time (user+sys; less sensitive to other load on the machine)")
    print(f"{'case':18s} {'wall before':>12s} {'after':>8s} {'ratio':>6s}   "
          f"{'cpu before':>11s} {'after':>8s} {'ratio':>6s}")
    for case in cases:
        row = [f"{case:18s}"]
        for k, width in ((0, 12), (1, 11)):
            before = statistics.median(t[k] for t in times[case, "before"])
            after = statistics.median(t[k] for t in times[case, "after"])
            row.append(f"{before:{width - 1}.3f}s {after:7.3f}s {after / before:6.3f}")
        print("   ".join(row))
    if args.stages:
        _print_stages(cases, stages)
    return 0


STAGES = ("start", "import", "build", "run", "codegen", "compile", "loop", "exit")


def _print_stages(cases: list[str], stages: dict) -> None:
    print("\nmedian milliseconds of each stage (see the docstring), before / after / after - before")
    print(f"{'case':18s} " + " ".join(f"{name:>19s}" for name in STAGES))
    for case in cases:
        if (case, "before") not in stages:
            continue
        row = [f"{case:18s}"]
        for name in STAGES:
            before = 1e3 * statistics.median(s[name] for s in stages[case, "before"])
            after = 1e3 * statistics.median(s[name] for s in stages[case, "after"])
            row.append(f"{before:6.1f}/{after:6.1f}/{after - before:+5.1f}")
        print(" ".join(row))


def _run(tree: Path, cache: Path, arguments: list[str]) -> tuple[float, float, dict]:
    cache.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(tree), EQSNN_CACHE_DIR=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], capture_output=True, text=True,
                          env=env, cwd=str(cache), timeout=3600)
    seconds = time.perf_counter() - started
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    if done.returncode != 0:
        raise RuntimeError(f"{tree}: {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return seconds, cpu, _stages(done.stdout, started, started + seconds)


def _stages(stdout: str, spawned: float, ended: float) -> dict[str, float]:
    """The worker's stages (seconds) from its JSON line and the parent's clock (the
    same monotonic clock: perf_counter); {} for a case without that line."""
    lines = stdout.strip().splitlines()
    try:
        report = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        return {}
    if "started_at" not in report:
        return {}
    return {"start": report["started_at"] - spawned, "import": report["import"],
            "build": report["build"], "run": report["run"], "codegen": report["codegen"],
            "compile": report["compile"], "loop": report["loop"],
            "exit": ended - report["finished_at"]}


if __name__ == "__main__":
    sys.exit(main())
