"""Interleaved A/B runs of eqsnn source trees: the loop time of each, model by model.

    python benchmarks/ab.py main=/work/main fused=/work/wt-fuse hand=handc \
        --models cuba:4000,cuba:100000,izhikevich:1000,hh:1000,cobahh:4000 --repeat 7 \
        [--caches DIR [--warm-only]] [--cflags NAME='FLAGS' ...]

Each variant is a checkout of eqsnn (its root folder, put first on ``PYTHONPATH``), or
``handc`` for the hand-written C of the model (``handc.py``: CUBA 4000, Izhikevich 1000,
HH). Every run is a fresh process of ``worker_eqsnn.py`` with that variant's code and a
compile cache of its own (warmed by one run first, not counted; with ``--caches`` warm
them beforehand with ``--warm-only``). The runs go round the variants in turn (A B A B
...), so a slow minute of a noisy machine hits all of them alike. Printed: the median
loop time of each variant with its range, the ratio of medians to the first variant,
and the spike count (which must agree where the variants compute the same).
``--cflags NAME=FLAGS`` runs variant NAME with ``EQSNN_CFLAGS=FLAGS`` (the same tree may
then be two variants: ``inline=/work/wt-exp libm=/work/wt-exp --cflags libm='...'``).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import handc  # noqa: E402
import specs  # noqa: E402  (plain data: the models' durations)


def _run(root: str, cache: str, model: str, size: int, threads: int,
         cflags: str | None = None) -> dict:
    duration = specs.MODELS[model][1]  # (the model's own, as run.py runs it)
    if root == "handc":  # the hand-written C (handc.py), one thread
        return handc.measure(model, size, 1, duration, Path(cache))
    env = dict(os.environ, PYTHONPATH=root, EQSNN_CACHE_DIR=cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cflags is not None:
        env["EQSNN_CFLAGS"] = cflags
    out = subprocess.run([sys.executable, str(HERE / "worker_eqsnn.py"), model, str(size),
                          "c", "1", str(duration), str(threads)],
                         env=env, cwd=HERE, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+", metavar="NAME=ROOT")
    parser.add_argument("--models", default="cuba:4000",
                        help="MODEL:SIZE[:REPEAT],... (REPEAT: runs per variant, "
                             "default --repeat)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--caches", default=None, metavar="DIR",
                        help="keep each variant's compile cache in DIR/NAME (warm it "
                             "beforehand with --warm-only, e.g. under nice)")
    parser.add_argument("--warm-only", action="store_true",
                        help="only build every variant's modules into the caches")
    parser.add_argument("--cflags", action="append", default=[], metavar="NAME=FLAGS",
                        help="run variant NAME with EQSNN_CFLAGS=FLAGS (repeatable)")
    args = parser.parse_args(argv)
    variants = [v.split("=", 1) for v in args.variants]
    flags = dict(f.split("=", 1) for f in args.cflags)
    cache_root = Path(args.caches or tempfile.mkdtemp(prefix="eqsnn-ab-"))
    caches = {name: str(cache_root / name) for name, _ in variants}
    models = [(m.split(":") + [str(args.repeat)])[:3] for m in args.models.split(",")]
    print(f"{'model':>16} {'variant':>10} {'median s':>9} {'range':>17} {'/first':>7} spikes")
    for model, size, repeat in models:
        size, repeat = int(size), int(repeat)
        here = [(name, root) for name, root in variants
                if root != "handc" or handc.runs(model, size)]
        times = {name: [] for name, _ in here}
        spikes = {}
        if args.warm_only or args.caches is None:
            for name, root in here:  # warm each cache (compile), not counted
                spikes[name] = _run(root, caches[name], model, size, args.threads,
                                    flags.get(name))["spikes"]
        if args.warm_only:
            print(f"{model + ':' + str(size):>16} warm: {spikes}")
            continue
        for _ in range(repeat):
            for name, root in here:
                result = _run(root, caches[name], model, size, args.threads, flags.get(name))
                times[name].append(result["loop"])
                spikes[name] = result["spikes"]
        first = statistics.median(times[here[0][0]])
        for name, _ in here:
            t = times[name]
            median = statistics.median(t)
            print(f"{model + ':' + str(size):>16} {name:>10} {median:9.4f} "
                  f"{min(t):8.4f}-{max(t):<8.4f} {median / first:7.3f} {spikes[name]}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
