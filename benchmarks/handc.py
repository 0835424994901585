"""The hand-written C references (``shared/reference/handc/``, see its README), run as
one more simulator of the benchmark.

They are single-threaded C programs with the same dt, duration, integration scheme and
event semantics as Brian2's examples; they bound how fast a generated loop can be here.
They live outside the repository: ``EQSNN_HANDC_DIR`` says where, default
``../shared/reference/handc`` beside the repository (where CI lays its copy of shared/).
Each program is compiled once per benchmark invocation with Brian2's flags for C++
(``b2flags`` of the README) and run in a fresh process per measurement; its own
``loop_s`` is CLOCK_MONOTONIC around its time-step loop.

Where a program is not the benchmark's model:

* ``cuba.c`` connects with p = 0.02 at every size (the benchmark: 80 inputs per neuron),
  so only size 4000 is the same network; other sizes are not run.
* ``izhikevich.c`` steps at dt = 0.1 ms (the benchmark: 0.5 ms) and holds noise for
  1 ms instead of ``xi``; 1000 neurons only. Compare its cost per neuron-step and event.
* ``hh.c`` uses threshold and refractoriness ``v > -40 mV`` (the benchmark: ``v > -20 mV``,
  3 ms): the same exponential-Euler work per neuron-step.

The programs of ``benchmarks/handc_threads/`` (see its README) are OpenMP C written for
the benchmark's own models (CUBA, COBAHH, HH and Izhikevich at any size and thread
count), compiled with the same flags and ``-fopenmp``. Two simulators, so that no
speed-up divides one program's time by another's:

* ``handc``: the shared single-threaded program, at 1 thread only, where it is the
  benchmark's network (the yardstick of issue 17's "1-thread loop within 1.25x");
* ``handc-mt``: the OpenMP program at every thread count (its speed-up is the floor to
  set beside eqsnn's).
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREADED_DIR = ROOT / "benchmarks" / "handc_threads"
TIME = "/usr/bin/time"
CFLAGS = ["-O3", "-ffast-math", "-fno-finite-math-only", "-march=native"]

#: benchmark model -> (source, sizes it matches or None for any, argv(size, seed, duration))
PROGRAMS = {
    "cuba": ("cuba.c", {4000}, lambda n, seed, d: [str(seed), repr(d), str(n)]),
    # noise redrawn every 10 steps (1 ms), as Brian2's example: with a new draw every
    # 0.1 ms step the network hardly fires (3 spikes in 1 s)
    "izhikevich": ("izhikevich.c", {1000}, lambda n, seed, d: [str(seed), "10", repr(d)]),
    "hh": ("hh.c", None, lambda n, seed, d: [str(n), repr(d)]),
}


#: benchmark model -> (source in THREADED_DIR, argv(size, seed, duration, threads)); every
#: size is the benchmark's network
THREADED = {
    "cuba": ("cuba_mt.c", lambda n, seed, d, t: [str(seed), repr(d), str(n), str(t)]),
    "izhikevich": ("izhikevich_mt.c", lambda n, seed, d, t: [str(seed), repr(d), str(n), str(t)]),
    "hh": ("hh_mt.c", lambda n, seed, d, t: [str(n), repr(d), str(t)]),
    "cobahh": ("cobahh_mt.c", lambda n, seed, d, t: [str(seed), repr(d), str(n), str(t)]),
}
#: ``-DSPIN_BARRIER`` (see handc_threads/mt.h) when set to "spin"
BARRIER_VARIABLE = "HANDC_BARRIER"


def source_dir() -> Path:
    return Path(os.environ.get("EQSNN_HANDC_DIR",
                               ROOT.parent / "shared" / "reference" / "handc"))


def runs(model: str, size: int) -> bool:
    """Whether a hand-written program is the benchmark's ``model`` at ``size``."""
    if model not in PROGRAMS or not (source_dir() / PROGRAMS[model][0]).exists():
        return False
    sizes = PROGRAMS[model][1]
    return sizes is None or size in sizes


def threaded(simulator: str, model: str, size: int, threads: int) -> bool | None:
    """Whether ``simulator`` runs ``model`` at ``size`` and ``threads`` with a program of
    ``handc_threads/`` (True: ``handc-mt``), the shared single-threaded one (False:
    ``handc``, at 1 thread where it is the benchmark's network), or not at all (None)."""
    if simulator == "handc":
        return False if threads == 1 and runs(model, size) else None
    return True if model in THREADED else None


def compile_program(model: str, build: Path, threads_dir: bool = False) -> Path:
    """The executable of ``model``'s program in ``build``, compiled if it is not there:
    the shared single-threaded one, or with ``threads_dir`` the OpenMP one (with the
    barrier ``HANDC_BARRIER`` names)."""
    if threads_dir:
        spin = os.environ.get(BARRIER_VARIABLE, "omp") == "spin"
        source = THREADED_DIR / THREADED[model][0]
        flags = [*CFLAGS, "-fopenmp", *(["-DSPIN_BARRIER"] if spin else [])]
        executable = build / (source.stem + ("_spin" if spin else ""))
    else:
        source = source_dir() / PROGRAMS[model][0]
        flags, executable = CFLAGS, build / source.stem
    if not executable.exists():
        build.mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", *flags, "-o", str(executable), str(source), "-lm"],
                       check=True, capture_output=True)
    return executable


def measure(model: str, size: int, seed: int, duration: float, build: Path,
            threads: int = 1, threads_dir: bool = False) -> dict:
    """One run in a fresh process, in the fields of the other workers (and the work it
    counted itself: ``neuron_steps``, ``events``)."""
    executable = str(compile_program(model, build, threads_dir))
    if threads_dir:
        command = [executable, *THREADED[model][1](size, seed, duration, threads)]
    else:
        command = [executable, *PROGRAMS[model][2](size, seed, duration)]
    rss_file = build / "rss_kb"
    if os.path.exists(TIME):   # peak memory of the program itself
        command = [TIME, "-f", "%M", "-o", str(rss_file), *command]
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    whole = time.perf_counter() - started
    out = json.loads(done.stdout.strip().splitlines()[-1])
    rss_mb = int(rss_file.read_text().split()[-1]) / 1024 if rss_file.exists() else None
    return {"import": 0.0, "loop": out["loop_s"], "run": out["loop_s"],
            "inside": out["process_internal_s"], "whole": whole, "rss_mb": rss_mb,
            "spikes": out["spikes"], "rate": out["rate_hz"],
            "synapses": out.get("synapses", 0), "events": out.get("syn_events", 0),
            "neuron_steps": out["n"] * out["steps"], "program": Path(executable).name,
            **({"spike_hash": out["spike_hash"]} if "spike_hash" in out else {})}
