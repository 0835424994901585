"""eqsnn — spiking neural networks from equation strings.

Public names are imported lazily (PEP 562) so that ``import eqsnn`` stays cheap: SymPy
is only imported when a model has to be parsed or derived, never on a warm run whose
compiled module and derivation are already cached.
"""
from __future__ import annotations

import importlib

from eqsnn.brian2_hints import install_import_hints

__version__ = "0.1.0"

# public name -> module that defines it
_PUBLIC = {
    "Equations": "eqsnn.equations",
    "parse_equations": "eqsnn.equations",
    "integrate": "eqsnn.integrators",
    "derive": "eqsnn.lowering.teaching",
    "Derivation": "eqsnn.integrators",
    "SynapseDerivation": "eqsnn.lowering.synapse_teaching",
    "NeuronGroup": "eqsnn.runtime",
    "Synapses": "eqsnn.runtime",
    "Network": "eqsnn.runtime",
    "SpikeMonitor": "eqsnn.runtime",
    "EventMonitor": "eqsnn.runtime",
    "StateMonitor": "eqsnn.runtime",
    "PopulationRateMonitor": "eqsnn.runtime",
    "PoissonGroup": "eqsnn.runtime",
    "PoissonInput": "eqsnn.runtime",
    "BinomialFunction": "eqsnn.runtime",
    "SpikeGeneratorGroup": "eqsnn.runtime",
    "TimedArray": "eqsnn.runtime",
    "linked_var": "eqsnn.runtime",
    "Clock": "eqsnn.runtime",
    "NetworkOperation": "eqsnn.runtime",
    "network_operation": "eqsnn.runtime",
    "Function": "eqsnn.runtime",
    "implementation": "eqsnn.runtime",
    "check_units": "eqsnn.runtime",
    "EqsnnError": "eqsnn.errors",
    "CompilerOptions": "eqsnn.compiler",
    "sweep": "eqsnn.sweeps",
    "explore": "eqsnn.explorer",
}
_SUBMODULES = {"units", "errors", "models", "plot", "equations", "integrators", "codegen",
               "compiler", "runtime", "sweeps"}

__all__ = sorted(_PUBLIC) + sorted(_SUBMODULES)
install_import_hints()  # from eqsnn import run: the hint, though hasattr(es, "run") is False


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"eqsnn.{name}")
        globals()[name] = module
        return module
    if not name.startswith("__"):  # a Brian2 name spelt differently here: say how
        from eqsnn.brian2_hints import missing_name
        error = missing_name(name)
        if error is not None:
            raise error
    raise AttributeError(f"module 'eqsnn' has no attribute {name!r}")


def __dir__():
    return __all__
