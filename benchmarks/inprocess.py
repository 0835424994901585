"""Thread counts of one network compared inside one process, in turn, many times.

    PYTHONPATH=. python benchmarks/inprocess.py hh:1000 --threads 1,2 --rounds 10 --seconds 0.2

The network is built and compiled once; then each round runs it ``--seconds`` of model
time at every thread count in turn (``net.threads`` never recompiles). The host of this
project's VM drifts by 10-40 % over minutes, and fresh processes (``ab.py``) see that
drift between runs; runs a fraction of a second apart inside one process see nearly the
same machine, so their ratio is the thread count's own. Printed per thread count: the
median loop time with its range, the median of the per-round speed-up against the first
count, and each thread's CPU time (the kernel's account of the process's busiest
threads: a thread that waits by sleeping is not charged, one that spins is), summed
against the first count's - what threads cost beyond the work itself. ``--forever``
makes it a victim for ``vcpu.py onoff``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import models_eqsnn  # noqa: E402
import specs  # noqa: E402


def thread_cpu() -> dict[int, float]:
    """Seconds each thread of this process has run (Linux: /proc/self/task/*/sched)."""
    seconds = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            text = Path(f"/proc/self/task/{tid}/sched").read_text()
        except OSError:  # (a thread that just ended)
            continue
        for line in text.splitlines():
            if line.startswith("se.sum_exec_runtime"):
                seconds[int(tid)] = float(line.split(":")[1]) / 1e3  # (ms)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", metavar="MODEL:SIZE")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=0.2, help="model time per run")
    parser.add_argument("--forever", action="store_true",
                        help="run at the first thread count until killed, printing "
                             "START END LOOP_SECONDS per run (a victim of vcpu.py onoff)")
    args = parser.parse_args(argv)
    import eqsnn as es
    model, size = args.model.split(":")
    counts = [int(t) for t in args.threads.split(",")]
    built = models_eqsnn.build(model, int(size), 1)
    net = es.Network(*built.objects, dt=models_eqsnn.q(specs.MODELS[model][2]), seed=1,
                     backend="c", threads=max(counts))
    net.run(0.01 * es.units.second, progress=False)  # (compiles, starts the team)
    while args.forever:
        net.threads = counts[0]
        started = time.time()
        net.run(args.seconds * es.units.second, progress=False)
        print(f"{started:.6f} {time.time():.6f} {net.timing['loop_seconds']:.6f}", flush=True)
    loops = {t: [] for t in counts}
    cpus = {t: [] for t in counts}
    for _ in range(args.rounds):
        for t in counts:
            net.threads = t
            before = thread_cpu()
            net.run(args.seconds * es.units.second, progress=False)
            after = thread_cpu()
            used = sorted((after[k] - before.get(k, 0.0) for k in after), reverse=True)
            loops[t].append(net.timing["loop_seconds"])
            cpus[t].append(used[:t])
    print(f"{args.model} (eqsnn {es.__file__}), {args.rounds} rounds of {args.seconds} s")
    first = counts[0]
    median = statistics.median
    for t in counts:
        ratio = [a / b for a, b in zip(loops[first], loops[t])]
        per_thread = [median(c[k] for c in cpus[t]) for k in range(t)]
        base = median(sum(c) for c in cpus[first])
        total = median(sum(c) for c in cpus[t]) / base if base > 0 else float("nan")
        print(f"{t} threads: loop {median(loops[t]):.4f} s ({min(loops[t]):.4f}-"
              f"{max(loops[t]):.4f}), speed-up {median(ratio):.2f} ({min(ratio):.2f}-"
              f"{max(ratio):.2f}), thread CPU {' '.join(f'{c:.4f}' for c in per_thread)} s"
              f" (sum {total:.2f}x the {first}-thread run's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
