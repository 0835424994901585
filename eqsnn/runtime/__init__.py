"""Stage 5: the objects a user simulates, and the run loop around the compiled module.

Names are imported on first use (PEP 562), so a script that only builds neuron groups
never imports the synapses' machinery, and a warm run never imports SymPy through it.
"""
from __future__ import annotations

import importlib

# public name -> module that defines it (so a script that uses spike monitors only
# imports neither the state monitor's module nor eqsnn.runtime.monitors, which names all)
_PUBLIC = {
    "NeuronGroup": "groups", "Subgroup": "groups",
    "PoissonGroup": "inputs", "SpikeGeneratorGroup": "inputs", "TimedArray": "inputs",
    "PoissonInput": "poisson_input", "BinomialFunction": "binomial",
    "SpikeMonitor": "spike_monitors", "PopulationRateMonitor": "spike_monitors",
    "StateMonitor": "state_monitor", "EventMonitor": "event_monitor",
    "Network": "network", "Synapses": "synapses",
    "linked_var": "links", "Clock": "clocks",
    "NetworkOperation": "operations", "network_operation": "operations",
    "Function": "functions", "implementation": "functions", "check_units": "functions",
}

__all__ = list(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f"eqsnn.runtime.{_PUBLIC[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'eqsnn.runtime' has no attribute {name!r}")


def __dir__():
    return __all__
