"""What a pathway costs whose sender runs on a slower clock, before and after it walks its
rows only at the sender's steps (one row per delay of the sender's clock).

The sender, 1000 neurons on a clock of 1 ms (10 loop steps of 0.1 ms), spikes about
20 times a second each; 50 synapses per sender onto 1000 leaky target neurons. Variants:

``one delay``
    every synapse 5 ms: one row per sender;
``delays 0-20 ms``
    spread over 0-20 ms: 21 delays of the sender's clock, which a loop-step pathway
    walks as 201 rows (180 of them always empty) at every loop step;
``network clock``
    the same spread with the sender on the loop's clock: what nothing changes, for scale.

Each tree runs in its own process (``PYTHONPATH=tree``), which builds the network, runs
1 ms (compile or load) and then times 2 s of biological time (20000 steps): the loop's
time (``net.timing["loop_seconds"]``). Rounds interleave the trees and variants; the
table shows medians and after/before. From the repository root:

    env -u PYTHONDONTWRITEBYTECODE nice -n 19 python benchmarks/slow_sender_pathway.py \\
        --trees before=/tmp/before,after=. --rounds 9 --threads 1,2
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

VARIANTS = ("one delay", "delays 0-20 ms", "network clock")


def _network(variant: str, threads: int):
    import eqsnn as es
    from eqsnn.units import ms
    if variant == "network clock":  # (the same rate per second on the faster clock)
        sender = es.NeuronGroup(1000, "x : 1", threshold="rand() < 0.002", name="sender")
    else:
        sender = es.NeuronGroup(1000, "x : 1", threshold="rand() < 0.02", name="sender",
                                dt=1 * ms)
    target = es.NeuronGroup(1000, "dv/dt = -v/(10*ms) : 1", threshold="v > 1", reset="v = 0",
                            method="exact", name="target")
    syn = es.Synapses(sender, target, on_pre="v_post += 0.02", name="syn")
    syn.connect("(i*37 + j*11) % 20 == 0")  # 50 per sender, no random draws
    syn.delay = 5 * ms if variant == "one delay" else "((i*7 + j*3) % 201)*0.1*ms"
    return es.Network(sender, target, syn, dt=0.1 * ms, seed=1, threads=threads)


def worker(variant: str, threads: int) -> None:
    from eqsnn.units import ms, second
    net = _network(variant, threads)
    net.run(1 * ms)
    net.run(2 * second)
    print(json.dumps({"loop": net.timing["loop_seconds"]}))


def measure(tree: str, variant: str, threads: int) -> float:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", variant,
                          str(threads)], env=env, capture_output=True, text=True, check=True,
                         cwd=os.path.abspath(tree))
    return json.loads(out.stdout.strip().splitlines()[-1])["loop"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", default="before=/tmp/before,after=.",
                        help="name=path,... (each run with PYTHONPATH=path)")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--threads", default="1")
    parser.add_argument("--worker", nargs=2, metavar=("VARIANT", "THREADS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]))
        return
    trees = dict(item.split("=", 1) for item in args.trees.split(","))
    threads = [int(t) for t in args.threads.split(",")]
    cells = [(v, t) for t in threads for v in VARIANTS]
    times = {(name, v, t): [] for name in trees for v, t in cells}
    for r in range(args.rounds):
        names = list(trees) if r % 2 == 0 else list(reversed(trees))  # (interleaved)
        for v, t in cells:
            for name in names:
                times[(name, v, t)].append(measure(trees[name], v, t))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    first, *others = trees
    header = f"| variant | threads | {first} loop (ms) | " + " | ".join(
        f"{n} loop (ms) | {n}/{first}" for n in others) + " |"
    print(header)
    print("|" + "---|" * (2 + 1 + 2 * len(others)))
    for v, t in cells:
        base = statistics.median(times[(first, v, t)])
        row = f"| {v} | {t} | {base * 1e3:.1f} | "
        row += " | ".join(f"{statistics.median(times[(n, v, t)]) * 1e3:.1f} | "
                          f"{statistics.median(times[(n, v, t)]) / base:.2f}" for n in others)
        print(row + " |")
    print(f"(medians of {args.rounds} interleaved rounds, 20000 steps each)")


if __name__ == "__main__":
    main()
