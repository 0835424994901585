"""The Brian2 side of sweep_throughput.py: the f-I loop written by hand with ``run_args``.

Runs in the Brian2 venv (see brian2_env.py), never imports eqsnn. Reads one JSON object
on stdin — the model's strings, its constants and initial values as SI numbers with
dimension exponents, the currents, duration and a work folder — and prints one JSON
line: compile time, loop time and the spike count of every run.

This is the way Brian2 documents for many runs of one model without recompiling: C++
standalone with ``build_on_run=False``, one ``device.build(run=False)``, then
``device.run(run_args={G.I: value})`` once per value.
"""
from __future__ import annotations

import json
import sys
import time

_DIMENSIONS = {"[length]": "length", "[mass]": "mass", "[time]": "time",
               "[current]": "current", "[temperature]": "temperature",
               "[substance]": "substance", "[luminosity]": "luminosity"}


def quantity(b2, value: float, dims: dict):
    from brian2.units.fundamentalunits import get_or_create_dimension
    dimension = get_or_create_dimension(**{_DIMENSIONS[k]: v for k, v in dims.items()})
    return b2.Quantity(value, dim=dimension)


def main() -> None:
    spec = json.load(sys.stdin)
    import brian2 as b2
    b2.prefs.logging.file_log = False
    b2.set_device("cpp_standalone", directory=spec["workdir"], build_on_run=False,
                  with_output=False)
    b2.defaultclock.dt = spec["dt"] * b2.second
    namespace = {k: quantity(b2, *v) for k, v in spec["namespace"].items()}
    cell = b2.NeuronGroup(1, spec["equations"], threshold=spec["threshold"],
                          refractory=spec["refractory"] * b2.second,
                          method=spec["method"], namespace=namespace)
    for name, (value, dims) in spec["initial"].items():
        setattr(cell, name, quantity(b2, value, dims))
    spikes = b2.SpikeMonitor(cell)
    net = b2.Network(cell, spikes)
    net.run(spec["duration"] * b2.second)
    started = time.perf_counter()
    b2.device.build(run=False)
    built = time.perf_counter()
    current_dims = spec["current_dims"]
    counts = []
    for value in spec["currents"]:
        b2.device.run(run_args={cell.I: quantity(b2, value, current_dims)})
        counts.append(int(spikes.num_spikes))
    finished = time.perf_counter()
    print(json.dumps({"compile_seconds": built - started, "loop_seconds": finished - built,
                      "counts": counts, "brian2": b2.__version__}))


if __name__ == "__main__":
    main()
