"""One Brian2 benchmark run in a fresh process of the Brian2 virtual environment.

``python worker_brian2.py MODEL SIZE TARGET SEED DURATION WORKDIR [THREADS]`` prints one
JSON line.
``TARGET`` is ``numpy``, ``cython`` (its extension cache under ``WORKDIR``: a fresh
folder for an empty cache, the same one for a warm cache) or ``cpp_standalone`` (the
project written and compiled in ``WORKDIR``, ``THREADS`` its
``prefs.devices.cpp_standalone.openmp_threads``; the runtime targets have one thread).
Never imports eqsnn.
"""
from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402


def main(argv: list[str]) -> None:
    model, size, target, seed = argv[0], int(argv[1]), argv[2], int(argv[3])
    duration, workdir = float(argv[4]), argv[5]
    threads = int(argv[6]) if len(argv) > 6 else 1
    import brian2 as b2
    import models_brian2
    import specs
    imported = time.perf_counter()
    b2.prefs.logging.file_log = False
    b2.prefs.logging.delete_log_on_exit = True
    binary_rss = os.path.join(workdir, "binary_rss_kb")
    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=os.path.join(workdir, "project"),
                      with_output=False)
        # 1 is OpenMP with one thread (Brian2's default 0 compiles without OpenMP)
        b2.prefs.devices.cpp_standalone.openmp_threads = threads
        if shutil.which("time") or os.path.exists("/usr/bin/time"):
            # the simulation is a separate program: measure its own peak memory
            b2.prefs.devices.cpp_standalone.run_cmd_unix = [
                "/usr/bin/time", "-f", "%M", "-o", binary_rss, "./main"]
    elif threads != 1:
        raise SystemExit(f"Brian2's {target} target has one thread (asked for {threads})")
    else:
        b2.prefs.codegen.target = target
        b2.prefs.codegen.runtime.cython.cache_dir = os.path.join(workdir, "cython")
    _, _, dt = specs.MODELS[model]
    b2.defaultclock.dt = models_brian2.q(dt)
    b2.seed(seed)
    objects, spikes, n_recorded = models_brian2.build(model, size)
    net = b2.Network(*objects)
    constructed = time.perf_counter()
    net.run(duration * b2.second)
    finished = time.perf_counter()
    loop = float(b2.get_device()._last_run_time)
    count = int(spikes.num_spikes)
    synapses = sum(len(o) for o in objects if isinstance(o, b2.Synapses))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if target == "cpp_standalone" and os.path.exists(binary_rss):
        with open(binary_rss) as handle:
            rss_mb = max(rss_mb, int(handle.read().split()[-1]) / 1024)
    print(json.dumps({
        "import": imported - STARTED,
        "build": constructed - imported,
        "run": finished - constructed,
        "loop": loop,
        "inside": finished - STARTED,
        "spikes": count,
        "rate": count / (n_recorded * duration),
        "rss_mb": rss_mb,
        "synapses": synapses,
        "threads": threads,
        "brian2": b2.__version__,
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
