"""Interleaved rounds of eqsnn's loop and the hand-written OpenMP C at 1 and 2 threads,
with the VM's capacity probed at the start of every round (capacity.c).

    python benchmarks/handc_threads/rounds.py --prepare            # fill caches, build (niced is fine)
    python benchmarks/handc_threads/rounds.py --rounds 6           # measure (a quiet machine)
    python benchmarks/handc_threads/rounds.py --summary            # tables from what was measured

Every cell is a fresh process: eqsnn through benchmarks/run.py's worker (warm compile
cache, filled by --prepare), hand C as the program of this folder. A round runs every
model's cells once, in an order rotated by one cell per round, so that no cell always
follows the same one. Results are appended as JSON lines to ``WORK/runs.jsonl`` (one
line per cell, and one per round for the capacity probes), so several windows add up.
``--summary`` prints, per model, each round's 2-thread speed-ups of eqsnn and of the hand
C, their medians, and eqsnn's 2-thread loop divided by the hand C's; then the medians of
the probes' lowest and highest 2-thread capacity over the same rounds.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import handc  # noqa: E402
import run  # noqa: E402

#: hand C cell -> extra gcc flags; "omp" is the default build of every program
VARIANTS = {"omp": [], "spin": ["-DSPIN_BARRIER"], "plain": ["-DPREFETCH=0"],
            "libm": ["-DHH_LIBM", "-lmvec"],
            "libm512": ["-DHH_LIBM", "-mprefer-vector-width=512", "-lmvec"]}
#: model -> the hand C variants measured beside the default: the spinning barrier, CUBA
#: without software prefetch, HH and COBAHH on libmvec's exp instead of the inline one,
#: with gcc's default 256-bit vectors (libmvec's 4-lane AVX2 exp in COBAHH) or 512-bit
#: ones (its 8-lane AVX-512 exp; eqsnn's flags since session 7) (HH has no barrier in its
#: loop)
EXTRA = {"cuba": ("spin", "plain"), "izhikevich": ("spin",), "hh": ("libm", "libm512"),
         "cobahh": ("libm", "libm512", "spin")}
DEFAULT_MODELS = "cuba:100000,hh:1000,izhikevich:1000,cuba:16000,cobahh:16000,cobahh:4000"
#: eqsnn cells besides eqsnn-c -> their EQSNN_CFLAGS (--eqsnn-cflags)
EQSNN_CFLAGS: dict[str, str] = {}
#: the cells to run (--only; empty: all)
ONLY: set[str] = set()
#: the VM's 2-thread capacity probes (capacity.c, built into WORK/build)
PROBE_SOURCE = HERE / "capacity.c"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default=DEFAULT_MODELS, help="MODEL:N,... (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=0)
    parser.add_argument("--until", default=None, metavar="HH:MM:SS",
                        help="UTC: start no round that the last one's length would take past it")
    parser.add_argument("--prepare", action="store_true", help="fill eqsnn's caches, build the C")
    parser.add_argument("--summary", action="store_true")
    parser.add_argument("--between", default=None, metavar="HH:MM-HH:MM",
                        help="summarise only the rounds that started in this UTC interval")
    parser.add_argument("--work", default="/tmp/handc2/rounds", help="caches, builds, runs.jsonl")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--probes", default="capacity",
                        help="programs run at each round's start, their output logged; "
                             "'capacity' is capacity.c built into WORK/build, '' none")
    parser.add_argument("--eqsnn-cflags", action="append", default=[], metavar="NAME=FLAGS",
                        help="one more eqsnn cell, eqsnn-NAME, compiled with EQSNN_CFLAGS=FLAGS "
                             "(its own cache); may be repeated")
    parser.add_argument("--only", default=None, metavar="CELL,...",
                        help="run only these cells, CELL for every model or MODEL/CELL for one "
                             "(e.g. eqsnn-c,handc-omp,hh/handc-libm)")
    args = parser.parse_args(argv)
    for item in args.eqsnn_cflags:
        name, flags = item.split("=", 1)
        EQSNN_CFLAGS[f"eqsnn-{name}"] = flags
    if args.only:
        ONLY.update(args.only.split(","))
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    models = [(m, int(n)) for m, n in (item.split(":") for item in args.models.split(","))]
    if args.prepare:
        prepare(models, work, args.seed)
    probes = [str(build_probe(work)) if p == "capacity" else p
              for p in args.probes.split(",") if p]
    last = 0.0
    for k in range(args.rounds):
        if args.until and _utc_seconds(time.time() + last) > _utc_seconds_of(args.until):
            print(f"stopping before round {k}: it would end after {args.until}")
            break
        started = time.time()
        one_round(models, work, args.seed, k, probes)
        last = time.time() - started
    if args.summary or args.rounds:
        print(summary(work / "runs.jsonl", models, args.between))
    return 0


def _utc_seconds(stamp: float) -> float:
    t = datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc)
    return t.hour * 3600 + t.minute * 60 + t.second


def _utc_seconds_of(text: str) -> float:
    h, m, *sec = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + (sec[0] if sec else 0)


def cells(model: str) -> list[tuple[str, int]]:
    """(simulator cell, threads) of a model: eqsnn-c and hand C at 1 and 2 threads."""
    names = ["eqsnn-c", *EQSNN_CFLAGS, "handc-omp", *(f"handc-{v}" for v in EXTRA.get(model, ()))]
    wanted = [n for n in names if not ONLY or n in ONLY or f"{model}/{n}" in ONLY]
    return [(name, threads) for name in wanted for threads in (1, 2)]


def build_c(model: str, variant: str, work: Path) -> Path:
    source = handc.THREADED_DIR / handc.THREADED[model][0]
    executable = work / "build" / f"{source.stem}_{variant}"
    if not executable.exists():
        executable.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", *handc.CFLAGS, "-fopenmp", "-o", str(executable), str(source),
                        *VARIANTS[variant], "-lm"], check=True)
    return executable


def build_probe(work: Path) -> Path:
    """capacity.c, compiled as the hand C is (its exp probe on libmvec)."""
    executable = work / "build" / "capacity"
    if not executable.exists():
        executable.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", *handc.CFLAGS, "-fopenmp", "-o", str(executable),
                        str(PROBE_SOURCE), "-lmvec", "-lm"], check=True)
    return executable


def prepare(models, work: Path, seed: int) -> None:
    build_probe(work)
    for model, size in models:
        for name, threads in cells(model):
            if name.startswith("eqsnn-"):   # one untimed run per thread count fills the cache
                _eqsnn(name, model, size, threads, 0.001, seed, work)
            else:
                build_c(model, name.removeprefix("handc-"), work)


def _eqsnn(name: str, model: str, size: int, threads: int, duration: float, seed: int,
           work: Path) -> dict:
    """One run of benchmarks/run.py's eqsnn worker; a cell of --eqsnn-cflags with its
    flags and its own cache."""
    if name == "eqsnn-c":
        return run._one(name, model, size, threads, duration, seed, work / "eqsnn-cache")
    saved = os.environ.get("EQSNN_CFLAGS")
    os.environ["EQSNN_CFLAGS"] = EQSNN_CFLAGS[name]
    try:
        return run._one("eqsnn-c", model, size, threads, duration, seed, work / f"{name}-cache")
    finally:
        if saved is None:
            del os.environ["EQSNN_CFLAGS"]
        else:
            os.environ["EQSNN_CFLAGS"] = saved


def measure(name: str, model: str, size: int, threads: int, work: Path, seed: int) -> dict:
    duration = run.specs.MODELS[model][1]
    if name.startswith("eqsnn-"):
        result = _eqsnn(name, model, size, threads, duration, seed, work)
        return {"loop": result["loop"], "spikes": result["spikes"], "whole": result["whole"]}
    executable = build_c(model, name.removeprefix("handc-"), work)
    done = subprocess.run([str(executable), *handc.THREADED[model][1](size, seed, duration, threads)],
                          capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    return {"loop": out["loop_s"], "spikes": out["spikes"], "spike_hash": out["spike_hash"],
            "checksum_v": out["checksum_v"], "thread_cpu_s": out["thread_cpu_s"]}


def one_round(models, work: Path, seed: int, k: int, probes: list[str]) -> None:
    with open(work / "runs.jsonl", "a") as out:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%H:%M:%S")
        capacity = " | ".join(subprocess.run([p], capture_output=True, text=True).stdout.strip()
                              for p in probes)
        out.write(json.dumps({"capacity": capacity, "time": stamp}) + "\n")
        print(f"{stamp} round {k}: {capacity}", flush=True)
        for model, size in models:
            todo = cells(model)
            shift = k % len(todo)
            for name, threads in todo[shift:] + todo[:shift]:
                result = measure(name, model, size, threads, work, seed)
                result.update(model=model, size=size, cell=name, threads=threads, time=stamp)
                out.write(json.dumps(result) + "\n")
                out.flush()
                print(f"  {model} {size} {name} {threads}t: loop {result['loop']:.4f} s, "
                      f"{result['spikes']} spikes", flush=True)


def _capacity(text: str) -> str:
    """The probes' output in one table cell (session 6's probes printed
    "2-thread capacity LOW-HIGH (0) | chain LOW-HIGH ...")."""
    return text.replace("2-thread capacity ", "chain ").replace(" (0)", "").replace(" | ", "; ")


def _probe_ranges(text: str) -> dict[str, tuple[float, float]]:
    """{probe: (lowest, highest) 2 t1/t2} of one round's capacity line (capacity.c's)."""
    return {name: (float(low), float(high))
            for name, low, high in re.findall(r"([a-z]+) (\d+\.\d+)-(\d+\.\d+)", text)}


def probe_medians(rounds: list[dict]) -> str:
    """Per probe: the median over the rounds of its lowest and of its highest capacity."""
    ranges: dict[str, list[tuple[float, float]]] = {}
    for r in rounds:
        for name, pair in _probe_ranges(_capacity(r["capacity"])).items():
            ranges.setdefault(name, []).append(pair)
    if not ranges:
        return ""
    parts = [f"{name} {statistics.median(lo for lo, _ in pairs):.2f}-"
             f"{statistics.median(hi for _, hi in pairs):.2f}" for name, pairs in ranges.items()]
    return (f"capacity probes, medians over {len(rounds)} rounds of each round's lowest-highest "
            "2 t1/t2: " + ", ".join(parts))


def summary(path: Path, models, between: str | None = None) -> str:
    """Per model: a line per round (the runs after one capacity probe), every cell's loop
    at 1 and 2 threads and its 2t/1t, then the medians of the per-round ratios."""
    rounds, current = [], None
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if "capacity" in record:
            current = {"capacity": record["capacity"], "time": record["time"], "runs": {}}
            first, last = (between or "00:00-99:99").split("-")
            if first <= record["time"][:5] < last:
                rounds.append(current)
        else:
            current["runs"][(record["model"], record["size"], record["cell"], record["threads"])] = record
    parts = []
    for model, size in models:
        names = []
        for r in rounds:
            for (m, n, cell, _t) in r["runs"]:
                if (m, n) == (model, size) and cell not in names:
                    names.append(cell)
        header = ("| round | " + " | ".join(f"{n} 1t | 2t | 2t/1t" for n in names)
                  + " | eqsnn-c 2t ÷ handc-omp 2t | capacity (2 t1/t2 of each probe) |")
        lines = [f"**{model} {size}** (loop s)", "", header, "|" + "---|" * (header.count("|") - 1)]
        ratios: dict[str, list[float]] = {n: [] for n in names + ["x"]}
        loops: dict[tuple, list[float]] = {(n, t): [] for n in names for t in (1, 2)}
        same = True
        for r in rounds:
            runs = r["runs"]
            row, seen = [r["time"]], False
            for n in names:
                one, two = runs.get((model, size, n, 1)), runs.get((model, size, n, 2))
                if not (one and two):
                    row += ["–", "–", "–"]
                    continue
                seen = True
                same &= one["spikes"] == two["spikes"] and one.get("spike_hash") == two.get("spike_hash")
                ratios[n].append(one["loop"] / two["loop"])
                loops[(n, 1)].append(one["loop"])
                loops[(n, 2)].append(two["loop"])
                row += [f"{one['loop']:.4f}", f"{two['loop']:.4f}", f"{ratios[n][-1]:.2f}"]
            if not seen:
                continue
            eq, hc = runs.get((model, size, "eqsnn-c", 2)), runs.get((model, size, "handc-omp", 2))
            if eq and hc:
                ratios["x"].append(eq["loop"] / hc["loop"])
            row += [f"{ratios['x'][-1]:.2f}" if eq and hc else "–", _capacity(r["capacity"])]
            lines.append("| " + " | ".join(row) + " |")
        med = ["**median**"]
        for n in names:
            med += ["", "", f"**{statistics.median(ratios[n]):.2f}**" if ratios[n] else "–"]
        med += [f"**{statistics.median(ratios['x']):.2f}**" if ratios["x"] else "–",
                f"{max(len(v) for v in ratios.values())} rounds"]
        lines.append("| " + " | ".join(med) + " |")
        med = ["median loop"]
        for n in names:
            med += [f"{statistics.median(loops[(n, t)]):.4f}" if loops[(n, t)] else "–" for t in (1, 2)]
            med.append("")
        lines.append("| " + " | ".join(med + ["", ""]) + " |")
        lines.append("")
        lines.append("spikes equal at 1 and 2 threads in every round: " + ("yes" if same else "NO"))
        parts.append("\n".join(lines))
    parts.append(probe_medians(rounds))
    return "\n\n".join(part for part in parts if part)


if __name__ == "__main__":
    sys.exit(main())
