"""One eqsnn benchmark run in a fresh process; prints one JSON line of measurements.

Run by ``run.py`` (``python worker_eqsnn.py MODEL SIZE BACKEND SEED [DURATION [THREADS]]``),
never imported. ``THREADS`` goes to ``Network(threads=)`` when eqsnn has it; without it,
only 1 is accepted.
The whole process — interpreter start, imports, building, compiling, running — is
what a user feels; ``run.py`` times it from outside, and this script reports the
stages inside it. ``started_at`` and ``finished_at`` are ``time.perf_counter()`` (the
system's monotonic clock, the same in every process on Linux) at the script's first
line and after its last stage: ``trees.py --stages`` subtracts them from its own clock
at the start and end of the process (interpreter start-up, exit).
"""
from __future__ import annotations

import time

STARTED = time.perf_counter()

import inspect  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402


def main(argv: list[str]) -> None:
    model, size, backend, seed = argv[0], int(argv[1]), argv[2], int(argv[3])
    import eqsnn as es
    import models_eqsnn
    import specs
    imported = time.perf_counter()
    built = models_eqsnn.build(model, size, seed)
    _, duration, dt = specs.MODELS[model]
    duration = float(argv[4]) if len(argv) > 4 else duration
    threads = int(argv[5]) if len(argv) > 5 else 1
    options = {"dt": models_eqsnn.q(dt), "seed": seed, "backend": backend}
    if "threads" in inspect.signature(es.Network).parameters:
        options["threads"] = threads
    elif threads != 1:
        raise SystemExit(f"this eqsnn's Network has no threads= (asked for {threads})")
    net = es.Network(*built.objects, **options)
    constructed = time.perf_counter()
    net.run(duration * es.units.second, progress=False)
    finished = time.perf_counter()
    timing = net.timing
    spikes = int(built.spikes.num_spikes)
    synapses = sum(o.N for o in built.objects if getattr(o, "_kind", None) == "synapses")
    print(json.dumps({
        "import": imported - STARTED,
        "build": constructed - imported,      # objects: parse, units, SymPy, connect
        "codegen": timing["codegen_seconds"],
        "compile": timing["compile_seconds"],  # compile, or load from the cache
        "loop": timing["loop_seconds"],
        "run": finished - constructed,         # the whole net.run()
        "inside": finished - STARTED,
        "spikes": spikes,
        "rate": spikes / (built.n_recorded * duration),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "synapses": synapses,
        "threads": threads,
        "sympy_imported": "sympy" in sys.modules,
        "started_at": STARTED,
        "finished_at": time.perf_counter(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
