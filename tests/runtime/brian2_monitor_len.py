"""Brian2's numbers for tests/runtime/test_monitor_len.py (not a test: it imports
Brian2, which eqsnn's test environment lacks).

Runs the network of _monitor_len.py with Brian2 and writes ``len()`` of every monitor
after each piece of the run into brian2_monitor_len.json beside this file. Reproduce
with the Brian2 2.9.0 venv of benchmarks/brian2_env.py, from the repository root:

    ~/.cache/eqsnn/bench/brian2-2.9.0/bin/python tests/runtime/brian2_monitor_len.py

(numpy target, dt = 0.1 ms).
"""
from __future__ import annotations

import json
import pathlib
import sys

import brian2

HERE = pathlib.Path(__file__).parent
sys.path.insert(0, str(HERE))
import _monitor_len as case  # noqa: E402

brian2.prefs.codegen.target = "numpy"


def main() -> None:
    group, monitors = case.build(brian2, brian2.ms)
    net = brian2.Network(group, *monitors)
    result = {"brian2": brian2.__version__, "len": case.runs(net, monitors, brian2.ms)}
    path = HERE / "brian2_monitor_len.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {path} (Brian2 {brian2.__version__})")


if __name__ == "__main__":
    main()
