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
"""
from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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


def source_dir() -> Path:
    return Path(os.environ.get("EQSNN_HANDC_DIR",
                               ROOT.parent / "shared" / "reference" / "handc"))


def runs(model: str, size: int) -> bool:
    """Whether a hand-written program is the benchmark's ``model`` at ``size``."""
    if model not in PROGRAMS or not (source_dir() / PROGRAMS[model][0]).exists():
        return False
    sizes = PROGRAMS[model][1]
    return sizes is None or size in sizes


def compile_program(model: str, build: Path) -> Path:
    """The executable of ``model``'s program in ``build``, compiled if it is not there."""
    source = PROGRAMS[model][0]
    executable = build / source.removesuffix(".c")
    if not executable.exists():
        build.mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", *CFLAGS, "-o", str(executable), str(source_dir() / source),
                        "-lm"], check=True, capture_output=True)
    return executable


def measure(model: str, size: int, seed: int, duration: float, build: Path) -> dict:
    """One run in a fresh process, in the fields of the other workers (and the work it
    counted itself: ``neuron_steps``, ``events``)."""
    command = [str(compile_program(model, build)), *PROGRAMS[model][2](size, seed, duration)]
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
            "neuron_steps": out["n"] * out["steps"]}
