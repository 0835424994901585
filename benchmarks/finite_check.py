"""The cost of the NaN check the run makes after every chunk of steps, for a network of
many neuron groups with parameters (eqsnn/runtime/finite.py).

Builds GROUPS groups of N neurons, each with two differential variables and eight
parameters (a drive, time constants, a threshold, a reset value, a gain, a counter the
reset increments, one more constant) and a Synapses onto the next group that
increments a parameter of it, runs 1 ms (so a run has been set up), then times the
check alone, hot: median over ROUNDS rounds of CALLS calls, in microseconds per call.
Also prints how many arrays and elements it reads.

    PYTHONPATH=TREE python TREE/benchmarks/finite_check.py [--groups 20] [--n 5000]

Runs with a tree from before session 6 too (then the check is
``chunks.check_finite(objects, ...)``, which rebuilds what it reads at every call).
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import eqsnn as es
from eqsnn.units import ms, mV

MODEL = """
dv/dt = (El - v + I*gain)/tau : volt
dw/dt = -w/tau_w : volt
I : volt
gain : 1
El : volt
tau : second
tau_w : second
theta : volt
v_reset : volt
count : 1
"""


def build(groups: int, n: int):
    cells = []
    for k in range(groups):
        group = es.NeuronGroup(n, MODEL, threshold="v > theta",
                               reset="v = v_reset; count += 1", method="euler", seed=k)
        group.v, group.El, group.theta, group.v_reset = -65 * mV, -65 * mV, -50 * mV, -65 * mV
        group.I, group.gain, group.tau, group.tau_w = "20*mV*rand()", 1, 10 * ms, 100 * ms
        cells.append(group)
    links = []
    for a, b in zip(cells, cells[1:]):
        syn = es.Synapses(a, b, on_pre="w_post += 0.1*mV")
        syn.connect(j="i")
        links.append(syn)
    return es.Network(*cells, *links, threads=1)


def checker(net):
    """A call of the check as the run makes it after a chunk, and what it reads."""
    step, dt = net._step, float(net._loop_dt())
    try:
        from eqsnn.runtime.finite import check_finite, watched
    except ImportError:  # a tree from before session 6
        from eqsnn.runtime.chunks import check_finite
        arrays = [a for obj in net.objects if hasattr(obj, "_state_arrays_to_check")
                  for a in obj._state_arrays_to_check().values()]
        return (lambda: check_finite(net.objects, step - 1, step, dt)), arrays
    watch = watched(net.objects)
    arrays = [obj._arrays[name] for obj, names in watch for name in names]
    return (lambda: check_finite(watch, step - 1, step, dt)), arrays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    net = build(args.groups, args.n)
    net.run(1 * ms)
    check, arrays = checker(net)
    check()  # (warm)
    per_call = []
    for _ in range(args.rounds):
        tic = time.perf_counter()
        for _ in range(args.calls):
            check()
        per_call.append((time.perf_counter() - tic) / args.calls * 1e6)
    elements = sum(int(np.size(a)) for a in arrays)
    print(f"eqsnn {es.__file__}")
    print(f"{args.groups} groups x {args.n} neurons: {len(arrays)} arrays, {elements} "
          f"elements read per check; {statistics.median(per_call):.1f} us per check "
          f"(median of {args.rounds} rounds of {args.calls}; range "
          f"{min(per_call):.1f}-{max(per_call):.1f})")


if __name__ == "__main__":
    main()
