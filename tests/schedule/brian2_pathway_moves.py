"""Brian2's numbers for tests/schedule/test_pathway_moves.py (not a test: it imports
Brian2, which eqsnn's test environment lacks).

Runs every case of _pathway_moves.py with Brian2 and writes the arrival steps into
brian2_pathway_moves.json beside this file. Reproduce with the Brian2 2.9.0 venv of
benchmarks/brian2_env.py, from the repository root:

    ~/.cache/eqsnn/bench/brian2-2.9.0/bin/python tests/schedule/brian2_pathway_moves.py

(numpy target, dt = 0.1 ms). What it shows: with no spikes in flight at the move, the
arrivals follow the new slot from then on; with spikes in flight, Brian2 keeps the due
steps of the spikes it has queued, but the spike of the first run's last step (1.9 ms)
arrives twice when the pathway moves before the threshold (it was queued in the last
step, and the moved pathway finds it again in the first) and never when it moves after
it (the moved pathway no longer sees the step before). eqsnn refuses that move.
"""
from __future__ import annotations

import json
import pathlib
import sys

import brian2

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
import _pathway_moves as moves  # noqa: E402

brian2.prefs.codegen.target = "numpy"


def run(first, second, delay, times) -> list[int]:
    objects = moves.build(brian2, brian2.ms, first, delay, times)
    net = brian2.Network(*objects)
    moves.move_and_run(net, objects, brian2.ms, second)
    return moves.arrivals(objects)


def main() -> None:
    cases = {moves.key(*case): run(*case) for case in moves.CASES}
    result = {"brian2": brian2.__version__, "cases": cases}
    path = HERE / "brian2_pathway_moves.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {path} ({len(cases)} cases, Brian2 {brian2.__version__})")


if __name__ == "__main__":
    main()
