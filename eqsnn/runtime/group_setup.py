"""What a :class:`~eqsnn.runtime.groups.NeuronGroup` does with its arguments before it
builds: size and refractoriness checks, a built-in model's defaults, the build-cache key,
default names; and :class:`StateUpdateView`, the ``state_update`` of groups and synapses.
"""
from __future__ import annotations

import sys
from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.lowering import cache
from eqsnn.lowering.names import BUILTIN_DIMS

__all__ = ["StateUpdateView", "MAX_NEURONS"]

_SECOND = BUILTIN_DIMS["t"]


class StateUpdateView:
    """``group.state_update``: the method, its reason and notes straight from the
    record (no SymPy on a warm start); anything else (``statements``, ``derivation``)
    from the SymPy objects, derived again on demand."""

    def __init__(self, method, derive):
        self.method, self.reason, self.notes = method.name, method.reason, method.notes
        self._derive = derive

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._derive(), name)

    def __repr__(self) -> str:
        return f"StateUpdate(method={self.method!r})"


_group_counter = 0


def _default_name(prefix: str) -> str:
    global _group_counter
    _group_counter += 1
    return f"{prefix}_{_group_counter}"


#: Neuron and spike indices are 32-bit in the compiled loop.
MAX_NEURONS = 2**31 - 1


def _check_size(N: Any) -> int:
    """A positive whole number of neurons; a float that is a whole number (``NE/4`` with
    ``NE = 4000``, as Brian2 scripts write it) counts as that integer."""
    if isinstance(N, (float, np.floating)) and np.isfinite(N) and float(N).is_integer():
        N = int(N)
    if isinstance(N, (bool, np.bool_)) or not isinstance(N, (int, np.integer)) or N < 1:
        hint = (f"round it yourself if you mean it: int({N!r}) or round({N!r})"
                if isinstance(N, (float, np.floating)) and np.isfinite(N) and N >= 1 else None)
        raise InvalidValueError(f"the number of neurons must be a positive integer, not {N!r}",
                                hint=hint)
    if N > MAX_NEURONS:
        raise InvalidValueError(f"a group holds at most {MAX_NEURONS:,} neurons (32-bit "
                                f"indices in the compiled loop), not {int(N):,}",
                                hint="split the population into several groups")
    return int(N)


def _check_refractory(refractory: Any) -> float | str | None:
    """A period in seconds (``None`` for none; ``0*ms`` is a period, as in Brian2: a
    neuron is refractory in the step it spikes, for synaptic writes of its ``(unless
    refractory)`` variables), or a string (a time or a condition: the build stage
    checks it, see :mod:`eqsnn.lowering.refractory`)."""
    if isinstance(refractory, str):
        if not refractory.strip():
            raise InvalidValueError("the refractory string is empty",
                                    hint="give a time ('2*ms') or a condition ('v > 0*mV')")
        return refractory
    if refractory is None or (not units.is_quantity(refractory) and refractory == 0):
        return None
    value, dim = units.to_si(refractory)
    if dim != _SECOND:
        raise DimensionMismatchError(
            f"refractory must be a time, but has unit {units.format_dimension(dim)}",
            hint="write it like refractory=2*ms")
    if np.ndim(value) != 0 or not value >= 0:  # (nan is neither < 0 nor >= 0)
        raise InvalidValueError(f"refractory must be a single non-negative duration, not "
                                f"{units.describe(refractory)}",
                                hint="write it like refractory=2*ms (inf*ms: refractory "
                                     "forever after the first spike)")
    return float(value)


def _unpack_model(model, threshold, reset, refractory, method, namespace):
    """A built-in model supplies defaults; explicit arguments win."""
    if isinstance(model, str) or _is_equations(model):
        return model, threshold, reset, refractory, method, namespace
    if not hasattr(model, "equations"):
        raise InvalidValueError(
            f"model must be an equation string, an Equations object or a built-in model, "
            f"not {type(model).__name__}")
    from eqsnn.runtime.namespaces import own_namespace
    merged = own_namespace(namespace, getattr(model, "namespace", None))
    return (model.equations,
            threshold if threshold is not None else getattr(model, "threshold", None),
            reset if reset is not None else getattr(model, "reset", None),
            refractory if refractory is not None else getattr(model, "refractory", None),
            method if method is not None else getattr(model, "method", None),
            merged)


def _is_equations(value) -> bool:
    # an Equations object exists only if its module (and so SymPy) was imported
    module = sys.modules.get("eqsnn.equations.model")
    return module is not None and isinstance(value, module.Equations)


def _build_key(model, threshold, reset, method, namespace,
               refractory: str | None = None) -> str | None:
    """The build-cache entry of a group made from these strings (``None``: not cached,
    e.g. for an :class:`~eqsnn.equations.Equations` object, which holds SymPy already).

    A refractory period given as a quantity is not part of it: it is data (the
    templates test it); one given as a string is code.
    """
    if not isinstance(model, str) or not all(
            x is None or isinstance(x, str) for x in (threshold, reset, method)):
        return None
    parts = [model, threshold, reset, method, cache.namespace_signature(namespace)]
    return cache.key("NeuronGroup", parts + ([refractory] if refractory is not None else []))
