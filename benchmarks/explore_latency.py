"""Latency of eqsnn.explore: from a slider move to the redrawn figure.

    python benchmarks/explore_latency.py                 # 5 models, 15 moves each
    python benchmarks/explore_latency.py --moves 30 --models LIF AdEx:bursting

Each model gets an explorer (headless: ipywidgets without a front end) simulating 500 ms
of one neuron plus the f–I curve's neurons, at its default dt of 0.05 ms. Moves alternate
between the input and a parameter, interleaved across models (move k of every model,
then move k+1), so load drifting on a shared machine falls on all alike. A move is timed
from setting ``slider.value`` (which runs the observers synchronously, as the widget's
message would) to the new PNG in the Image widget: "run" is building the network from the
cached strings and simulating, "draw" the matplotlib redraw and PNG. CPU time of the
process is shown beside wall time: on an overloaded machine wall time includes waiting
for a core. The table also says how many modules were compiled during the moves (0:
parameters are data).
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

MODELS = ["LIF", "Izhikevich:RS", "AdEx:bursting", "FitzHughNagumo", "HodgkinHuxley"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", default=MODELS)
    parser.add_argument("--moves", type=int, default=15)
    parser.add_argument("--fi-points", type=int, default=12)
    args = parser.parse_args()

    import eqsnn as es
    from eqsnn import models
    from eqsnn.compiler.stats import stats
    from eqsnn.units import ms

    explorers = {name: es.explore(models.get(name), duration=500 * ms,
                                  fi_points=args.fi_points) for name in args.models}
    compiled = stats.compilations
    samples = {name: {"run": [], "draw": [], "total": [], "cpu": []} for name in explorers}
    for move in range(args.moves):
        for name, explorer in explorers.items():
            slider = _slider_for(explorer, move)
            fraction = 0.2 + 0.6 * ((move * 7) % 10) / 10
            cpu, wall = time.process_time(), time.perf_counter()
            slider.value = slider.min + fraction * (slider.max - slider.min)
            wall = time.perf_counter() - wall
            cpu = time.process_time() - cpu
            record = samples[name]
            record["run"].append(explorer.latency["run_seconds"])
            record["draw"].append(explorer.latency["draw_seconds"])
            record["total"].append(wall)
            record["cpu"].append(cpu)
    print(f"eqsnn.explore latency, slider move -> redrawn figure ({args.moves} moves per "
          f"model, medians in ms; 500 ms simulated at dt 0.05 ms, 1 + {args.fi_points} neurons)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'model':<18}{'run':>8}{'draw':>8}{'total':>8}{'CPU':>8}")
    for name, record in samples.items():
        print(f"{name:<18}" + "".join(f"{1e3 * statistics.median(record[k]):8.0f}"
                                      for k in ("run", "draw", "total", "cpu")))
    print(f"modules compiled during the moves: {stats.compilations - compiled}")


def _slider_for(explorer, move: int):
    """The input on even moves, a parameter on odd ones."""
    names = list(explorer.sliders)
    input_name = explorer.session.spec.input
    if move % 2 == 0 and input_name is not None:
        return explorer.sliders[input_name]
    parameters = [n for n in names if n != input_name]
    return explorer.sliders[parameters[(move // 2) % len(parameters)]]


if __name__ == "__main__":
    main()
