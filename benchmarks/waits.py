"""How long each thread works and waits between the loop's barriers, step by step.

    python benchmarks/waits.py cuba:100000 izhikevich:1000 cobahh:16000 [--threads 2]
        [--duration S] [--runs N] [--cache DIR] [--json FILE] [-D NAME=VALUE ...]

Builds each model with the barrier trace compiled in (``EQSNN_CFLAGS`` = eqsnn's
default flags and exp + ``-DEQSNN_TRACE_WAITS``, in a compile cache of its own: a user's
library never has it), runs it in a fresh process of ``worker_eqsnn.py`` (once to compile, then the run that
counts) and reads
the trace (``eqsnn_support.h``: every thread's time stamps on arriving at and leaving
each barrier). Printed per model, over the barriers inside the time loop:

- ``work``: time from leaving one barrier to arriving at the next, per thread;
- ``wait``: time inside the barrier, per thread (the thread that arrives last waits
  only for the release);
- ``gap``: last arrival minus first, per barrier — what the team loses to the slower
  thread — with the thread that arrived last: always the same one means imbalance
  (more work, or thread 0's serial block), either one at random means jitter;
- ``crossing``: per barrier, the time from the last arrival until the thread that waited
  leaves (the first of them to leave, with more threads): what the barrier itself
  costs a step once everyone is there (its cache lines moving between cores, or a
  wake-up when the waiter slept);
- the gaps by size (< 1, 1-5, 5-20, 20-100, >= 100 us): how many barriers and how much of
  the summed gap each class holds (a few stalls of a vCPU, or many small differences);
- the spin budget threads arrive with, the chunks of other threads' neurons each took
  (where the start of a step is shared out), and each block's time per thread.
- steps in batches (no barrier but the one that starts a call): each thread's waits for
  the progress words of the ring (templates/network.c.j2), how many, how many longer
  than 1 us, and their total as a share of the loop.

Times in microseconds, from the time stamp counter (calibrated against
CLOCK_MONOTONIC over each call of the loop).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from eqsnn.compiler.options import DEFAULT_CFLAGS, CompilerOptions, default_exp  # noqa: E402
import specs  # noqa: E402

CLASSES = (0.0, 1.0, 5.0, 20.0, 100.0, float("inf"))
TAKEN = 1000  # (network.c.j2's EQSNN_TRACE_TAKEN: a chunk of another thread's neurons)
RING = 2000  # (eqsnn_support.h's EQSNN_TRACE_RING: a wait for a progress word)


def read_trace(path: Path) -> list[dict]:
    """The calls of the loop in a trace file: per call ``times`` [thread, record, 2],
    (arrive, leave) in microseconds from the call's first record; ``budget`` [thread,
    record], the spin budget on arriving at a barrier (pause loops), and ``block``
    [thread, record], -1 for a barrier, k for the mark at the start of the step's block k
    (every thread records the same sequence)."""
    data = np.fromfile(path, dtype=np.int64)
    by_thread: dict[int, list[tuple[np.ndarray, float]]] = {}
    pos = 0
    while pos < len(data):
        tid, nt, n, scale = (int(x) for x in data[pos:pos + 4])
        records = data[pos + 4:pos + 4 + 3 * n].reshape(n, 3)
        by_thread.setdefault(tid, []).append((records, scale / 1e6 / 1e3))  # us per tick
        pos += 4 + 3 * n
    calls = []
    for k in range(len(by_thread[0])):
        parts = [by_thread[t][k] for t in sorted(by_thread)]
        # the marks of chunks taken from other threads (counted, then left out: the
        # threads' other records match one to one)
        taken = np.array([int((r[:, 2] == ~TAKEN).sum()) for r, _ in parts])
        # the waits for progress words (steps in batches without a barrier: each thread
        # waits when it needs to, so they do not match either), their lengths in us
        ring = [(r[r[:, 2] == ~RING, 1] - r[r[:, 2] == ~RING, 0]) * us for r, us in parts]
        parts = [(r[(r[:, 2] != ~TAKEN) & (r[:, 2] != ~RING)], us) for r, us in parts]
        if len({len(r) for r, _ in parts}) != 1:
            continue  # (a team that did nothing: no matching records)
        origin = min(int(r[0, 0]) for r, _ in parts)
        times = np.stack([(r[:, :2] - origin).astype(np.float64) * us for r, us in parts])
        third = np.stack([r[:, 2] for r, _ in parts])
        block = np.where(third < 0, ~third, -1)  # (~k as a signed integer)
        calls.append({"times": times, "budget": np.where(block < 0, third, 0),
                      "block": block, "taken": taken, "ring": ring})
    return calls


def _dist(x) -> dict:
    return {"median": float(np.median(x)), "p90": float(np.percentile(x, 90)),
            "p99": float(np.percentile(x, 99)), "max": float(x.max()),
            "mean": float(x.mean())}


def _ring(calls: list[dict]) -> dict | None:
    """The waits for progress words, per thread: how many, how many longer than 1 us,
    their total and their lengths' distribution (us); None without any."""
    if not calls or not any(w.size for call in calls for w in call["ring"]):
        return None
    nt = len(calls[0]["ring"])
    waits = [np.concatenate([call["ring"][t] for call in calls]) for t in range(nt)]
    return {"waits": [int(w.size) for w in waits],
            "longer_than_1us": [int((w > 1).sum()) for w in waits],
            "total_us": [float(w.sum()) for w in waits],
            "long": [_dist(w[w > 1]) if (w > 1).any() else None for w in waits]}


def summarise(calls: list[dict]) -> dict:
    work, wait, gap, last, budget, crossing = [], [], [], [], [], []
    blocks: dict[int, list[np.ndarray]] = {}
    taken = sum(call["taken"] for call in calls)
    for call in calls:
        barrier = call["block"][0] < 0
        c = call["times"][:, barrier]
        if c.shape[1] < 3:
            continue
        arrive, leave = c[:, 1:, 0], c[:, 1:, 1]  # (the first barrier starts the call)
        work.append(arrive - c[:, :-1, 1])
        wait.append(leave - arrive)
        gap.append(arrive.max(axis=0) - arrive.min(axis=0))
        last.append(arrive.argmax(axis=0))
        if c.shape[0] > 1:  # (the waiters' first leave after the last arrival)
            waited = leave.copy()
            waited[arrive.argmax(axis=0), np.arange(arrive.shape[1])] = np.inf
            crossing.append(waited.min(axis=0) - arrive.max(axis=0))
        budget.append(call["budget"][:, barrier][:, 1:])
        # each block: from its mark to the next record (mark or barrier arrival)
        starts = call["times"][:, :, 0]
        span = starts[:, 1:] - starts[:, :-1]
        for k in set(call["block"][0].tolist()) - {-1}:
            at = np.flatnonzero(call["block"][0][:-1] == k)
            blocks.setdefault(k, []).append(span[:, at])
    if not work:  # (steps in batches: no barrier but the one that starts each call)
        return {"barriers": 0, "ring": _ring(calls)}
    work, wait = np.concatenate(work, axis=1), np.concatenate(wait, axis=1)
    gap, last = np.concatenate(gap), np.concatenate(last)
    budget = np.concatenate(budget, axis=1)
    nt = work.shape[0]
    classes = []
    for lo, hi in zip(CLASSES, CLASSES[1:]):
        inside = (gap >= lo) & (gap < hi)
        classes.append({"from": lo, "to": hi, "barriers": int(inside.sum()),
                        "share_of_gap": float(gap[inside].sum() / max(gap.sum(), 1e-30))})
    total = float((work + wait).sum(axis=1).mean())
    blocks = {k: np.concatenate(v, axis=1) for k, v in sorted(blocks.items())}
    return {
        "barriers": int(gap.size), "threads": nt,
        "work": [_dist(work[t]) for t in range(nt)],
        "wait": [_dist(wait[t]) for t in range(nt)],
        "gap": _dist(gap),
        "crossing": _dist(np.concatenate(crossing)) if crossing else None,
        "last_arriver": [float((last == t).mean()) for t in range(nt)],
        "wait_share": [float(wait[t].sum() / total) for t in range(nt)],
        "gap_share": float(gap.sum() / total),
        # the work of the same barrier's threads: the difference of the two, per barrier
        "work_diff_0_minus_1": _dist(work[0] - work[1]) if nt > 1 else None,
        "classes": classes,
        # how often a thread came to a barrier with its spin budget at its floor (it
        # sleeps unless the partner is there within a few pauses)
        "at_floor": [float((budget[t] <= 8).mean()) for t in range(nt)],
        "budget_median": [float(np.median(budget[t])) for t in range(nt)],
        # chunks of other threads' neurons each thread took, per barrier
        "taken_per_barrier": [float(taken[t] / max(1, gap.size)) for t in range(nt)],
        # per block of the step (network.c.j2's order), per thread: median and mean us
        "blocks": {str(k): [[float(np.median(v[t])), float(v[t].mean())] for t in range(nt)]
                   for k, v in blocks.items()},
        "ring": _ring(calls),
    }


def run(model: str, size: int, threads: int, duration: float | None, cache: Path,
        trace: Path, defines: tuple[str, ...] = ()) -> dict:
    # the default build's flags and exp (the CPU's choice, or EQSNN_EXP's; -D
    # EQSNN_EXP_INLINE=1 asks for the inline one), and the trace
    cflags = DEFAULT_CFLAGS + ("-DEQSNN_TRACE_WAITS",) + tuple(f"-D{d}" for d in defines)
    inline = any(d.split("=")[0] == "EQSNN_EXP_INLINE" for d in defines)
    options = CompilerOptions(cflags=cflags, exp="inline" if inline else default_exp())
    flags = " ".join(shlex.quote(f) for f in options.cflags)
    env = dict(os.environ, PYTHONPATH=str(ROOT), EQSNN_CACHE_DIR=str(cache),
               EQSNN_CFLAGS=flags, EQSNN_TRACE_WAITS_FILE=str(trace))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    duration = specs.MODELS[model][1] if duration is None else duration
    out = subprocess.run([sys.executable, str(HERE / "worker_eqsnn.py"), model, str(size),
                          "c", "1", str(duration), str(threads)],
                         env=env, cwd=HERE, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def show(name: str, result: dict, s: dict) -> None:
    print(f"{name}: loop {result['loop']:.4f} s, {result['spikes']} spikes, "
          f"{s['barriers']} barriers")
    _show_ring(result, s["ring"])
    if not s["barriers"]:
        return
    row = "  {:<10}" + " {:>8}" * 5
    print(row.format("us", "median", "p90", "p99", "max", "mean"))
    for what in ("work", "wait"):
        for t, d in enumerate(s[what]):
            print(row.format(f"{what} t{t}", *(f"{d[k]:.2f}" for k in
                                              ("median", "p90", "p99", "max", "mean"))))
    for what in ("gap", "crossing", "work_diff_0_minus_1"):
        if s[what]:
            d = s[what]
            print(row.format(what[:10], *(f"{d[k]:.2f}" for k in
                                          ("median", "p90", "p99", "max", "mean"))))
    print("  last to arrive: " + ", ".join(f"t{t} {p:.0%}" for t, p in
                                           enumerate(s["last_arriver"])))
    print("  waiting, share of each thread's loop: " + ", ".join(
        f"t{t} {p:.1%}" for t, p in enumerate(s["wait_share"]))
        + f"; summed gaps {s['gap_share']:.1%}")
    print("  spin budget on arriving: " + ", ".join(
        f"t{t} median {m:g}, at the floor {f:.0%}" for t, (m, f) in
        enumerate(zip(s["budget_median"], s["at_floor"]))))
    print("  chunks of others' neurons taken per barrier: " + ", ".join(
        f"t{t} {x:.2f}" for t, x in enumerate(s["taken_per_barrier"])))
    print("  blocks of a step, median/mean us per thread: " + "; ".join(
        f"{k}: " + " ".join(f"{m:.2f}/{a:.2f}" for m, a in v) for k, v in s["blocks"].items()))
    print("  gaps by size: " + "; ".join(
        f"[{c['from']:g}, {c['to']:g}) us: {c['barriers']} ({c['share_of_gap']:.0%} of gap)"
        for c in s["classes"]))


def _show_ring(result: dict, ring: dict | None) -> None:
    """Steps in batches: each thread's waits for progress words, as a share of the loop."""
    if ring is None:
        return
    loop = result["loop"] * 1e6
    print("  waits for progress words: " + "; ".join(
        f"t{t} {n} ({m} > 1 us), {total / loop:.1%} of the loop"
        + (f", median {d['median']:.1f} max {d['max']:.0f} us" if d else "")
        for t, (n, m, total, d) in enumerate(zip(ring["waits"], ring["longer_than_1us"],
                                                 ring["total_us"], ring["long"]))))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", metavar="MODEL:SIZE")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--duration", type=float, default=None,
                        help="simulated seconds (default: the model's own)")
    parser.add_argument("--cache", default=None, help="compile cache (default: a new one)")
    parser.add_argument("--json", default=None, help="write the summaries here")
    parser.add_argument("-D", dest="defines", action="append", default=[],
                        metavar="NAME=VALUE", help="a macro for the build, e.g. "
                        "-D EQSNN_SHORT_SLEEP=0 (every sleep halves the spin budget, "
                        "as before session 5)")
    parser.add_argument("--runs", type=int, default=1, help="measured runs per model")
    args = parser.parse_args(argv)
    cache = Path(args.cache or tempfile.mkdtemp(prefix="eqsnn-waits-"))
    summaries = {}
    for spec in args.models:
        model, size = spec.split(":")
        defines = tuple(args.defines)
        with tempfile.TemporaryDirectory() as tmp:
            trace = Path(tmp) / "trace.bin"
            run(model, int(size), args.threads, args.duration, cache, trace, defines)
            for k in range(args.runs):  # (the first run compiled)
                trace.unlink(missing_ok=True)
                result = run(model, int(size), args.threads, args.duration, cache, trace,
                             defines)
                s = summarise(read_trace(trace))
                show(spec, result, s)
                summaries.setdefault(spec, []).append({"result": result, "summary": s})
                sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(summaries, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
