"""NeuroML 2 and LEMS, in and out.

``load(path)`` imports a NeuroML 2 document or a LEMS simulation as eqsnn
:class:`~eqsnn.NeuronGroup`\\ s and :class:`~eqsnn.Synapses` with equation strings,
translated from the ComponentType definitions (NeuroML's core cells, synapses and
inputs, and your own types). ``write(net, path)`` exports an eqsnn network as a
NeuroML 2 document and a LEMS simulation that jNeuroML runs. ``run_jneuroml`` runs the
reference simulator. Needs the ``neuroml`` extra: ``pip install "eqsnn[neuroml]"``.
"""
from __future__ import annotations

import importlib

_PUBLIC = {
    "load": "importer", "NeuroMLModel": "model", "NeuroMLWarning": "model",
    "write": "exporter",
    "run_jneuroml": "reference", "JNeuroMLResult": "reference",
    "NeuroMLError": "errors", "UnsupportedNeuroMLError": "errors",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(f"eqsnn.neuroml.{_PUBLIC[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'eqsnn.neuroml' has no attribute {name!r}")


def __dir__():
    return __all__
