"""The user functions (TimedArrays, ``eqsnn.Function``) a model's strings call, found in
its namespace: shared by neurons, events and synapses."""
from __future__ import annotations

from typing import Any, Mapping

from eqsnn.errors import UnknownNameError
from eqsnn.lowering.namespace import find_span

__all__ = ["model_source", "resolve_functions", "resolve_function_names"]


def model_source(equations_source: str, *texts: str | None) -> str:
    return "\n".join(filter(None, [equations_source, *texts]))


def resolve_functions(equations, namespace: Mapping[str, Any]) -> dict[str, Any]:
    return resolve_function_names(getattr(equations, "external_functions", ()), namespace,
                                  equations.source, "equations")


def resolve_function_names(names, namespace: Mapping[str, Any], source: str,
                           label: str) -> dict[str, Any]:
    """The function objects (TimedArray, Function) the namespace gives for ``names``."""
    functions = {}
    for name in sorted(names):
        value = namespace.get(name)
        if value is None or not hasattr(value, "_eqsnn_function"):
            raise UnknownNameError(
                f"unknown function {name!r}", span=find_span(source, name, label),
                hint=f"pass a TimedArray or an es.Function as namespace={{'{name}': ...}} "
                     f"or use a built-in function (exp, log, sqrt, sin, clip, exprel, …)")
        functions[name] = value
    return functions
