"""Brian2's numbers for tests/schedule/test_pathway_slots.py (not a test: it imports
Brian2, which eqsnn's test environment lacks).

Runs the network of _pathway_slots.py with Brian2 for every case (every pathway in one
slot, at one order) and writes what its StateMonitor saw into
brian2_pathway_slots.json beside this file. Reproduce with the Brian2 2.9.0 venv of
benchmarks/brian2_env.py, from the repository root:

    ~/.cache/eqsnn/bench/brian2-2.9.0/bin/python tests/schedule/brian2_pathway_slots.py

(numpy target, dt = 0.1 ms; the Cython target gives the same steps).
"""
from __future__ import annotations

import json
import pathlib
import sys

import brian2

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
import _pathway_slots as slots  # noqa: E402

brian2.prefs.codegen.target = "numpy"


def run(when: str, order, schedule=None):
    objects = slots.build(brian2, brian2.ms, when, order)
    net = brian2.Network(*objects)
    if schedule is not None:
        net.schedule = list(schedule)
    net.run(slots.DURATION * brian2.ms)
    return slots.arrivals(objects[-1])


def main() -> None:
    cases = {slots.key(when, order): run(when, order) for when, order in slots.CASES}
    cases[slots.SYNAPSES_FIRST_KEY] = run("synapses", None, slots.SYNAPSES_FIRST)
    result = {"brian2": brian2.__version__, "cases": cases}
    path = HERE / "brian2_pathway_slots.json"
    path.write_text(json.dumps(result, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(result['cases'])} cases, Brian2 {brian2.__version__})")


if __name__ == "__main__":
    main()
