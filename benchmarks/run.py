"""eqsnn against Brian2, same models, same machine, same run.

    python benchmarks/run.py --models cuba,hh --sizes 4000 --repeat 3
    python benchmarks/run.py --quick            # eqsnn only, tiny sizes: a smoke test

Every measurement is a fresh process, timed from outside ("whole": interpreter start,
imports, building, compiling, running — what a user feels running ``python script.py``)
and reporting its stages from inside. Configurations:

====================  ======================================================
eqsnn-cython cold     empty compile cache (a new ``EQSNN_CACHE_DIR`` per run)
eqsnn-cython warm     the same cache, after one untimed run that filled it
eqsnn-numpy           the numpy backend
brian2-numpy          Brian2's numpy target
brian2-cython cold    Brian2's Cython target, empty extension cache per run
brian2-cython warm    … the same cache, after one untimed run
brian2-cpp            C++ standalone, a new project folder per run (it always compiles)
====================  ======================================================

Repetitions are interleaved across configurations (see :func:`_measure`). Brian2 runs
in its own venv (see :mod:`brian2_env`), created on first use. The table
shows medians; "÷eqsnn" columns divide a row's time by eqsnn-cython's for the same
cache state (cold rows and C++ standalone by eqsnn cold, the rest by eqsnn warm).
Results are also written as JSON (``--json``, default ``benchmarks/results/``).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import specs  # noqa: E402

#: name -> (worker, backend/target, cache states)
CONFIGS = {
    "eqsnn-cython": ("eqsnn", "cython", ("cold", "warm")),
    "eqsnn-numpy": ("eqsnn", "numpy", ("-",)),
    "brian2-numpy": ("brian2", "numpy", ("-",)),
    "brian2-cython": ("brian2", "cython", ("cold", "warm")),
    "brian2-cpp": ("brian2", "cpp_standalone", ("cold",)),
}
DEFAULT_SIMULATORS = ("eqsnn-cython", "eqsnn-numpy", "brian2-numpy", "brian2-cython",
                      "brian2-cpp")
#: numpy runs left out unless --all-numpy: a second of Hodgkin–Huxley cells on a numpy
#: target takes many minutes (Brian2 numpy: 152 s for 0.05 s of ``hh``, 15 s for 0.05 s
#: of ``cobahh`` at 1000 cells, measured here).
SLOW_NUMPY = {"hh", "cobahh"}
QUICK_MODELS = ("cuba-neurons",)
QUICK_SIZE, QUICK_DURATION = 50, 0.02
TIMEOUT_SECONDS = 3600


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.report:
        runs = [r for path in args.report for r in json.loads(Path(path).read_text())["runs"]]
        summary = summarise(runs)
        print(format_table(summary))
        print("\n" + format_growth(summary))
        return 0
    runs: list[dict] = []
    for model in args.models:
        sizes = args.sizes or specs.MODELS[model][0]
        for size in sizes:
            runs += _measure(model, size, args)
    summary = summarise(runs)
    print(format_table(summary))
    print("\n" + format_growth(summary))
    path = _write_json(args, runs, summary)
    print(f"\nresults written to {path}")
    return 0


def _parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="cuba,cobahh,izhikevich,stdp,hh",
                        help=f"comma-separated, from {', '.join(specs.MODELS)}")
    parser.add_argument("--sizes", default="",
                        help="comma-separated sizes for every model (default: each "
                             "model's own series, e.g. 1000,4000,16000 for cuba)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration")
    parser.add_argument("--numpy-repeat", type=int, default=1,
                        help="runs per numpy configuration (slow; default 1)")
    parser.add_argument("--all-numpy", action="store_true",
                        help=f"also run the numpy targets on {', '.join(sorted(SLOW_NUMPY))}")
    parser.add_argument("--report", nargs="+", default=None, metavar="JSON",
                        help="measure nothing: print the table of earlier result files "
                             "together (e.g. Brian2 runs and eqsnn runs of another commit)")
    parser.add_argument("--simulators", default=",".join(DEFAULT_SIMULATORS),
                        help=f"comma-separated, from {', '.join(CONFIGS)}")
    parser.add_argument("--duration", type=float, default=None,
                        help="simulated seconds (default: each model's own)")
    parser.add_argument("--caches", default="cold,warm,-",
                        help="cache states to measure: cold, warm, and - (configurations "
                             "without one: eqsnn-numpy, brian2-numpy)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=None, help="where to write the results")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke test: eqsnn only (warm cache and numpy), "
                             f"{', '.join(QUICK_MODELS)} with {QUICK_SIZE} neurons for "
                             f"{QUICK_DURATION} s, once")
    args = parser.parse_args(argv)
    if args.quick:
        args.models, args.simulators = ",".join(QUICK_MODELS), "eqsnn-cython,eqsnn-numpy"
        args.sizes, args.repeat, args.caches = str(QUICK_SIZE), 1, "warm,-"
        args.duration = QUICK_DURATION if args.duration is None else args.duration
    args.models = _names(args.models, specs.MODELS, "model")
    args.simulators = _names(args.simulators, CONFIGS, "simulator")
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.caches = [c.strip() for c in args.caches.split(",") if c.strip()]
    return args


def _names(text: str, known, what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown {what} {unknown}; choose from {', '.join(known)}")
    return names


# --- measuring ---------------------------------------------------------------------
def _configurations(model: str, args) -> list[tuple[str, str]]:
    """(simulator, cache state) pairs measured for ``model``."""
    pairs = []
    for simulator in args.simulators:
        _, backend, caches = CONFIGS[simulator]
        if backend == "numpy" and model in SLOW_NUMPY and not args.all_numpy:
            continue
        pairs += [(simulator, cache) for cache in caches if cache in args.caches]
    return pairs


def _measure(model: str, size: int, args) -> list[dict]:
    """Every configuration of one model and size.

    Repetitions are interleaved: the first run of every configuration, then the second
    of every one, and so on. On a shared machine the load drifts over minutes; measured
    one configuration after another, a busy minute would fall on one simulator only and
    skew its ratio. Warm caches are filled first, by one untimed run each."""
    duration = args.duration if args.duration is not None else specs.MODELS[model][1]
    configurations = _configurations(model, args)
    results = []
    with tempfile.TemporaryDirectory(prefix="eqsnn-bench-") as scratch:
        warm: dict[tuple[str, str], Path] = {}
        for simulator, cache in configurations:
            if cache in ("warm", "-"):
                worker, backend, _ = CONFIGS[simulator]
                warm[simulator, cache] = Path(scratch) / f"{simulator}-warm"
                _one(worker, model, size, backend, duration, args.seed,
                     warm[simulator, cache])
        for rep in range(max(args.repeat, args.numpy_repeat)):
            for simulator, cache in configurations:
                worker, backend, _ = CONFIGS[simulator]
                if rep >= (args.numpy_repeat if backend == "numpy" else args.repeat):
                    continue
                place = warm.get((simulator, cache)) or Path(scratch) / f"{simulator}-cold{rep}"
                result = _one(worker, model, size, backend, duration, args.seed, place)
                if place not in warm.values():
                    shutil.rmtree(place, ignore_errors=True)  # cold builds are large
                result.update(model=model, size=size, simulator=simulator, cache=cache,
                              rep=rep, duration=duration)
                results.append(result)
                print(_progress_line(result), flush=True)
    return results


def _one(worker: str, model: str, size: int, backend: str, duration: float, seed: int,
         place: Path) -> dict:
    place.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # An installed package has its bytecode (pip compiles it); with this variable set
    # (some CI images and sandboxes do), every run would compile eqsnn's modules from
    # source again and the warm rows would measure Python's compiler.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if worker == "eqsnn":
        env["EQSNN_CACHE_DIR"] = str(place)
        command = [sys.executable, str(HERE / "worker_eqsnn.py"), model, str(size), backend,
                   str(seed), repr(duration)]
    else:
        from brian2_env import brian2_python
        command = [str(brian2_python()), str(HERE / "worker_brian2.py"), model, str(size),
                   backend, str(seed), repr(duration), str(place)]
        if backend == "cpp_standalone":
            shutil.rmtree(place / "project", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(place),
                          timeout=TIMEOUT_SECONDS)
    whole = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["whole"] = whole
    # CPU seconds of the process and its children (compilers): less sensitive than wall
    # time to other load on the machine
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["prep"] = result["inside"] - result["import"] - result["loop"]
    return result


def _progress_line(r: dict) -> str:
    return (f"  {r['model']:>18} {r['size']:>6} {r['simulator']:>14} {r['cache']:>4} "
            f"#{r['rep']}: whole {r['whole']:7.3f} s, loop {r['loop']:7.4f} s, "
            f"{r['spikes']} spikes")


# --- summarising -------------------------------------------------------------------
FIELDS = ("whole", "cpu", "import", "prep", "loop", "run", "rss_mb", "spikes", "rate")


def summarise(runs: list[dict]) -> list[dict]:
    """Medians per (model, size, simulator, cache), with ratios to eqsnn-cython."""
    groups: dict[tuple, list[dict]] = {}
    for r in runs:
        groups.setdefault((r["model"], r["size"], r["simulator"], r["cache"]), []).append(r)
    rows = []
    for (model, size, simulator, cache), members in groups.items():
        row = {"model": model, "size": size, "simulator": simulator, "cache": cache,
               "n": len(members)}
        for field in FIELDS:
            row[field] = statistics.median(m[field] for m in members)
        row.update(_work(model, size, members))
        rows.append(row)
    for row in rows:
        reference = _reference(rows, row)
        for field in ("whole", "loop"):
            row[f"x_{field}"] = (row[field] / reference[field]
                                 if reference and reference[field] > 0 else None)
    return rows


#: models whose spike monitor records the senders of all synaptic events
_EVENTS_SEEN = {"cuba", "cobahh", "izhikevich", "hh", "cuba-neurons", "izhikevich-neurons"}
_UNIT_SECONDS = {"ms": 1e-3, "second": 1.0, "us": 1e-6}


def _work(model: str, size: int, members: list[dict]) -> dict:
    """Neuron-steps and synaptic events of a run, and loop nanoseconds per unit of both:
    flat across sizes when cost grows like neurons × steps + events."""
    value, unit = specs.MODELS[model][2]
    steps = round(members[0]["duration"] / (value * _UNIT_SECONDS[unit]))
    synapses = statistics.median(m.get("synapses", 0) for m in members)
    if model not in _EVENTS_SEEN:
        return {"neuron_steps": size * steps, "events": None, "ns_per_unit": None}
    events = statistics.median(m["spikes"] for m in members) * synapses / size
    loop = statistics.median(m["loop"] for m in members)
    return {"neuron_steps": size * steps, "events": events,
            "ns_per_unit": loop / (size * steps + events) * 1e9}


def format_growth(rows: list[dict]) -> str:
    """Loop cost per (neuron-step + synaptic event) for the compiled rows."""
    lines = ["| model | N | simulator | loop s | neuron-steps | events | ns per unit |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("ns_per_unit") is None or r["cache"] == "cold" and r["simulator"] != "brian2-cpp":
            continue
        if r["simulator"] not in ("eqsnn-cython", "brian2-cpp"):
            continue
        lines.append(f"| {r['model']} | {r['size']} | {r['simulator']} | {r['loop']:.4f} | "
                     f"{r['neuron_steps']:.3g} | {r['events']:.3g} | {r['ns_per_unit']:.2f} |")
    return "\n".join(lines)


def _reference(rows: list[dict], row: dict) -> dict | None:
    """The eqsnn-cython row the given row is compared with."""
    wanted = row["cache"] if row["cache"] in ("cold", "warm") else (
        "cold" if row["simulator"] == "brian2-cpp" else "warm")
    for other in rows:
        if (other["model"], other["size"], other["simulator"], other["cache"]) == (
                row["model"], row["size"], "eqsnn-cython", wanted):
            return other
    return None


def format_table(rows: list[dict]) -> str:
    header = ("| model | N | simulator | cache | whole s | ÷eqsnn | CPU s | import s "
              "| build+compile s | loop s | ÷eqsnn | RSS MB | spikes | rate Hz |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['size']} | {r['simulator']} | {r['cache']} | "
            f"{r['whole']:.3f} | {_ratio(r['x_whole'])} | {r['cpu']:.2f} | {r['import']:.3f} | "
            f"{r['prep']:.3f} | {r['loop']:.4f} | {_ratio(r['x_loop'])} | "
            f"{r['rss_mb']:.0f} | {r['spikes']:.0f} | {r['rate']:.2f} |")
    return "\n".join(lines)


def _ratio(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _write_json(args, runs: list[dict], summary: list[dict]) -> Path:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=HERE).stdout.strip() or "unknown"
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(args.json) if args.json else HERE / "results" / f"{stamp}-{commit}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"commit": commit, "date": stamp, "python": sys.version.split()[0],
            "machine": platform.machine(), "cpu": _cpu_name(), "cores": os.cpu_count(),
            "command": " ".join(sys.argv), "repeat": args.repeat}
    path.write_text(json.dumps({"meta": meta, "summary": summary, "runs": runs}, indent=1))
    return path


def _cpu_name() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    sys.exit(main())
