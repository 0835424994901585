"""eqsnn against Brian2, NEST and hand-written C: same models, same machine, same run.

    python benchmarks/run.py --models cuba,hh --sizes 4000 --repeat 3
    python benchmarks/run.py --plan threads     # issue 17's table: 1 and 2 threads
    python benchmarks/run.py --quick            # eqsnn only, tiny sizes: a smoke test

Every measurement is a fresh process, timed from outside ("whole": interpreter start,
imports, building, compiling, running — what a user feels running ``python script.py``)
and reporting its stages from inside. Configurations:

====================  ======================================================
eqsnn-c cold     empty compile cache (a new ``EQSNN_CACHE_DIR`` per run)
eqsnn-c warm     the same cache, after one untimed run that filled it
eqsnn-numpy           the numpy backend
brian2-numpy          Brian2's numpy target
brian2-cython cold    Brian2's Cython target, empty extension cache per run
brian2-cython warm    … the same cache, after one untimed run
brian2-cpp            C++ standalone, a new project folder per run (it always compiles);
                      ``openmp_threads`` = the thread count
nest                  NEST 3 (``iaf_psc_exp``; CUBA only), ``local_num_threads``
handc                 the hand-written C of ``shared/reference/handc`` (single-threaded), at 1
                      thread where it is the benchmark's network
handc-mt              ``benchmarks/handc_threads`` (OpenMP) at every thread count: the
                      hand C's speed-up
====================  ======================================================

``--threads 1,2`` measures every configuration that can use threads at each count
(eqsnn once ``Network`` takes ``threads=``; Brian2 C++ standalone, NEST); the others run
at 1. Repetitions are interleaved across configurations (see :func:`_measure`). Brian2
and NEST run in their own venvs (see :mod:`venvs`), created on first use. The tables
(see :mod:`report`) show medians; "÷eqsnn" columns divide a row's time by eqsnn-c's
at the same thread count and cache state (cold rows and C++ standalone by eqsnn cold,
the rest by eqsnn warm). Results are also written as JSON (``--json``, default
``benchmarks/results/``).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import handc  # noqa: E402
import report  # noqa: E402
import specs  # noqa: E402


@dataclass(frozen=True)
class Simulator:
    worker: str                  # eqsnn, brian2, nest, handc (also handc-mt)
    backend: str                 # eqsnn backend / Brian2 target ("-": none)
    caches: tuple[str, ...]      # cache states it has
    threaded: bool = False       # runs at thread counts above 1
    models: frozenset | None = None   # the models it has (None: every model)


CONFIGS = {
    "eqsnn-c": Simulator("eqsnn", "c", ("cold", "warm"), threaded=True),
    "eqsnn-numpy": Simulator("eqsnn", "numpy", ("-",)),
    "brian2-numpy": Simulator("brian2", "numpy", ("-",)),
    "brian2-cython": Simulator("brian2", "cython", ("cold", "warm")),
    "brian2-cpp": Simulator("brian2", "cpp_standalone", ("cold",), threaded=True),
    "nest": Simulator("nest", "-", ("-",), threaded=True,
                      models=frozenset({"cuba", "cuba-neurons"})),
    "handc": Simulator("handc", "-", ("-",), models=frozenset(handc.PROGRAMS)),
    "handc-mt": Simulator("handc", "-", ("-",), threaded=True,
                          models=frozenset(handc.THREADED)),
}
DEFAULT_SIMULATORS = ("eqsnn-c", "eqsnn-numpy", "brian2-numpy", "brian2-cython",
                      "brian2-cpp")
#: numpy runs left out unless --all-numpy: a second of Hodgkin–Huxley cells on a numpy
#: target takes many minutes (Brian2 numpy: 152 s for 0.05 s of ``hh``, 15 s for 0.05 s
#: of ``cobahh`` at 1000 cells, measured here).
SLOW_NUMPY = {"hh", "cobahh"}
QUICK_MODELS = ("cuba-neurons",)
QUICK_SIZE, QUICK_DURATION = 50, 0.02
TIMEOUT_SECONDS = 3600

#: --plan NAME: models with their sizes, and the defaults of --simulators and --threads
PLANS = {
    # issue 17: loop and whole process at 1 and 2 threads; handc's single-threaded CUBA
    # is only the benchmark's network at 4000 (see handc.py), handc-mt is every model's
    "threads": ({"cuba": (4000, 16000, 100000), "cobahh": (4000, 16000),
                 "izhikevich": (1000,), "hh": (1000,)},
                "eqsnn-c,brian2-cpp,nest,handc,handc-mt", "1,2"),
    # the speed-up targets alone: eqsnn's loop at 1 and 2 threads, hand C beside
    "speedup": ({"cuba": (4000, 100000), "cobahh": (16000,), "izhikevich": (1000,),
                 "hh": (1000,)}, "eqsnn-c,handc,handc-mt", "1,2"),
    # cost per neuron-step and synaptic event from 10^3 to 10^6 neurons
    "growth": ({"cuba": (1000, 4000, 16000, 100000, 1000000)}, "eqsnn-c", "1,2"),
}


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.report:
        runs = [report.renamed(r) for path in args.report
                for r in json.loads(Path(path).read_text())["runs"]]
        print(report.format_all(report.summarise(runs)))
        return 0
    runs: list[dict] = []
    for model, sizes in args.plan:
        for size in sizes:
            runs += _measure(model, size, args)
    summary = report.summarise(runs)
    print(report.format_all(summary))
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
    parser.add_argument("--plan", default=None, choices=sorted(PLANS),
                        help="a named set of models and sizes, with its own default "
                             "simulators and thread counts (threads: issue 17's table; "
                             "speedup: eqsnn at 1 and 2 threads and hand C; growth: CUBA "
                             "10^3 to 10^6); --models/--sizes ignored")
    parser.add_argument("--repeat", type=int, default=3, help="runs per configuration")
    parser.add_argument("--numpy-repeat", type=int, default=1,
                        help="runs per numpy configuration (slow; default 1)")
    parser.add_argument("--all-numpy", action="store_true",
                        help=f"also run the numpy targets on {', '.join(sorted(SLOW_NUMPY))}")
    parser.add_argument("--report", nargs="+", default=None, metavar="JSON",
                        help="measure nothing: print the table of earlier result files "
                             "together (e.g. Brian2 runs and eqsnn runs of another commit)")
    parser.add_argument("--simulators", default=None,
                        help=f"comma-separated, from {', '.join(CONFIGS)} (default: "
                             f"{','.join(DEFAULT_SIMULATORS)}, or the plan's)")
    parser.add_argument("--threads", default=None,
                        help="comma-separated thread counts (default 1, or the plan's); "
                             "simulators without threads run at 1 only")
    parser.add_argument("--duration", type=float, default=None,
                        help="simulated seconds (default: each model's own)")
    parser.add_argument("--caches", default="cold,warm,-",
                        help="cache states to measure: cold, warm, and - (configurations "
                             "without one: eqsnn-numpy, brian2-numpy, nest, handc)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=None, help="where to write the results")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke test: eqsnn only (warm cache and numpy), "
                             f"{', '.join(QUICK_MODELS)} with {QUICK_SIZE} neurons for "
                             f"{QUICK_DURATION} s, once")
    args = parser.parse_args(argv)
    if args.quick:
        args.models, args.simulators = ",".join(QUICK_MODELS), "eqsnn-c,eqsnn-numpy"
        args.sizes, args.repeat, args.caches = str(QUICK_SIZE), 1, "warm,-"
        args.duration = QUICK_DURATION if args.duration is None else args.duration
    simulators, threads = ",".join(DEFAULT_SIMULATORS), "1"
    if args.plan:
        sized, simulators, threads = PLANS[args.plan]
        args.plan = list(sized.items())
    else:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        args.plan = [(m, sizes or specs.MODELS[m][0])
                     for m in _names(args.models, specs.MODELS, "model")]
    args.simulators = _names(args.simulators or simulators, CONFIGS, "simulator")
    args.threads = [int(t) for t in (args.threads or threads).split(",") if t.strip()]
    args.caches = [c.strip() for c in args.caches.split(",") if c.strip()]
    return args


def _names(text: str, known, what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown {what} {unknown}; choose from {', '.join(known)}")
    return names


# --- measuring ---------------------------------------------------------------------
def _configurations(model: str, size: int, args) -> list[tuple[str, str, int]]:
    """(simulator, cache state, threads) triples measured for ``model`` at ``size``."""
    triples = []
    for name in args.simulators:
        simulator = CONFIGS[name]
        if simulator.models is not None and model not in simulator.models:
            continue
        if simulator.backend == "numpy" and model in SLOW_NUMPY and not args.all_numpy:
            continue
        counts = [t for t in args.threads if t == 1 or simulator.threaded]
        if simulator.worker == "handc":
            counts = [t for t in counts if handc.threaded(name, model, size, t) is not None]
        if simulator.worker == "eqsnn" and not _eqsnn_has_threads():
            counts = [t for t in counts if t == 1]
        triples += [(name, cache, t) for cache in simulator.caches if cache in args.caches
                    for t in counts]
    return triples


_THREADS_PROBE: list[bool] = []


def _eqsnn_has_threads() -> bool:
    """Whether this eqsnn's ``Network`` takes ``threads=`` (asked once, in a subprocess:
    the harness itself never imports eqsnn)."""
    if not _THREADS_PROBE:
        probe = ("import inspect, eqsnn; "
                 "print('threads' in inspect.signature(eqsnn.Network).parameters)")
        answer = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                text=True, check=True).stdout.strip()
        _THREADS_PROBE.append(answer == "True")
        if answer != "True":
            print("  (eqsnn's Network has no threads= yet: eqsnn runs at 1 thread only)")
    return _THREADS_PROBE[0]


def _measure(model: str, size: int, args) -> list[dict]:
    """Every configuration of one model and size.

    Repetitions are interleaved: the first run of every configuration, then the second
    of every one, and so on. On a shared machine the load drifts over minutes; measured
    one configuration after another, a busy minute would fall on one simulator only and
    skew its ratio. Warm caches are filled first, by one untimed run each (one per
    thread count, in one folder: a warm cache is one the user has already filled, at
    whatever thread count)."""
    duration = args.duration if args.duration is not None else specs.MODELS[model][1]
    configurations = _configurations(model, size, args)
    results = []
    with tempfile.TemporaryDirectory(prefix="eqsnn-bench-") as scratch:
        warm: dict[tuple[str, str], Path] = {}
        for name, cache, threads in configurations:
            if cache in ("warm", "-"):
                place = warm.setdefault((name, cache), Path(scratch) / f"{name}-warm")
                if CONFIGS[name].worker == "handc":
                    handc.compile_program(model, place,
                                          handc.threaded(name, model, size, threads))
                else:
                    _one(name, model, size, threads, duration, args.seed, place)
        for rep in range(max(args.repeat, args.numpy_repeat)):
            for name, cache, threads in configurations:
                numpy = CONFIGS[name].backend == "numpy"
                if rep >= (args.numpy_repeat if numpy else args.repeat):
                    continue
                place = warm.get((name, cache)) or Path(scratch) / f"{name}-cold{rep}"
                result = _one(name, model, size, threads, duration, args.seed, place)
                if place not in warm.values():
                    shutil.rmtree(place, ignore_errors=True)  # cold builds are large
                result.update(model=model, size=size, simulator=name, cache=cache,
                              threads=threads, rep=rep, duration=duration)
                results.append(result)
                print(_progress_line(result), flush=True)
    return results


def _command(name: str, model: str, size: int, threads: int, duration: float, seed: int,
             place: Path) -> list[str]:
    simulator = CONFIGS[name]
    if simulator.worker == "eqsnn":
        return [sys.executable, str(HERE / "worker_eqsnn.py"), model, str(size),
                simulator.backend, str(seed), repr(duration), str(threads)]
    if simulator.worker == "brian2":
        from brian2_env import brian2_python
        return [str(brian2_python()), str(HERE / "worker_brian2.py"), model, str(size),
                simulator.backend, str(seed), repr(duration), str(place), str(threads)]
    from nest_env import nest_python
    return [str(nest_python()), str(HERE / "worker_nest.py"), model, str(size),
            str(threads), str(seed), repr(duration)]


def _one(name: str, model: str, size: int, threads: int, duration: float, seed: int,
         place: Path) -> dict:
    place.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    if CONFIGS[name].worker == "handc":
        result = handc.measure(model, size, seed, duration, place, threads,
                               handc.threaded(name, model, size, threads))
    else:
        result = _worker(name, model, size, threads, duration, seed, place)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the process and its children (compilers): less sensitive than wall
    # time to other load on the machine
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["prep"] = result["inside"] - result["import"] - result["loop"]
    return result


def _eqsnn_path(pythonpath: str | None) -> str:
    """The workers' PYTHONPATH: a path given by the caller first (to measure another
    checkout, as the before/after comparisons do), then this checkout's root, so that
    ``python benchmarks/run.py`` measures the eqsnn beside it and never an installed copy
    that happens to come first on ``sys.path`` (a worker's own folder is benchmarks/)."""
    return os.pathsep.join([p for p in (pythonpath or "").split(os.pathsep) if p]
                           + [str(HERE.parent)])


def _worker(name: str, model: str, size: int, threads: int, duration: float, seed: int,
            place: Path) -> dict:
    """One run of a Python worker: its JSON line, and its whole time seen from here."""
    env = dict(os.environ)
    # An installed package has its bytecode (pip compiles it); with this variable set
    # (some CI images and sandboxes do), every run would compile eqsnn's modules from
    # source again and the warm rows would measure Python's compiler.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if CONFIGS[name].worker == "eqsnn":
        env["EQSNN_CACHE_DIR"] = str(place)
        env["PYTHONPATH"] = _eqsnn_path(env.get("PYTHONPATH"))
    if CONFIGS[name].backend == "cpp_standalone":
        shutil.rmtree(place / "project", ignore_errors=True)
    command = _command(name, model, size, threads, duration, seed, place)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(place),
                          timeout=TIMEOUT_SECONDS)
    whole = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["whole"] = whole
    return result


def _progress_line(r: dict) -> str:
    return (f"  {r['model']:>18} {r['size']:>7} {r['simulator']:>14} {r['cache']:>4} "
            f"{r['threads']}t #{r['rep']}: whole {r['whole']:7.3f} s, loop {r['loop']:7.4f} s, "
            f"{r['spikes']} spikes")


def _write_json(args, runs: list[dict], summary: list[dict]) -> Path:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=HERE).stdout.strip() or "unknown"
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(args.json) if args.json else HERE / "results" / f"{stamp}-{commit}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {"commit": commit, "date": stamp, "python": sys.version.split()[0],
            "machine": platform.machine(), "cpu": _cpu_name(), "cores": os.cpu_count(),
            "command": " ".join(sys.argv), "repeat": args.repeat,
            "eqsnn_path": _eqsnn_path(os.environ.get("PYTHONPATH"))}  # (what was measured)
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
