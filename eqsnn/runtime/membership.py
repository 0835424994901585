"""Which objects a Network holds: ``add()``, ``remove()`` and lookups by name, as
Brian2's ``Network`` (``net.add(G, [S, M])``, ``net.remove(M)``, ``net["G"]``, ``del
net["G"]``, ``"G" in net``, ``len(net)``, ``for obj in net``).

Objects can be added and removed between runs. A removed object keeps its state and
does nothing while it is out (its variables stay as they are, a monitor records
nothing); added again, it continues from there. An object added later starts at the
network's current time.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from eqsnn.errors import InvalidValueError

__all__ = ["members", "position", "named"]


def members(objects: Iterable[Any]) -> list:
    """The objects of ``objects``, containers opened (lists, tuples, sets, the values
    of a dict, any other iterable but a string), each checked to be something a
    network simulates."""
    found = []
    for obj in objects:
        if isinstance(obj, Mapping):
            found += members(obj.values())
        elif _simulated(obj):
            found.append(obj)
        elif isinstance(obj, Iterable) and not isinstance(obj, (str, bytes)):
            found += members(obj)
        else:
            raise InvalidValueError(
                f"a Network holds groups, synapses, monitors and network operations (or "
                f"lists or dicts of them), not {type(obj).__name__}")
    return found


def _simulated(obj: Any) -> bool:
    return hasattr(obj, "_contribution") or getattr(obj, "_kind", None) == "operation"


def position(objects: list, obj: Any) -> int:
    """Where ``obj`` (the object itself, not an equal one) is in ``objects``; an eqsnn
    error naming what the network holds if it is not there."""
    for k, known in enumerate(objects):
        if known is obj:
            return k
    raise InvalidValueError(f"{getattr(obj, 'name', obj)!r} is not in this network",
                            hint=f"it holds {_names(objects)}")


def named(objects: list, name: Any) -> Any:
    """The object called ``name``; an eqsnn error if there is none."""
    if not isinstance(name, str):
        raise InvalidValueError(f"objects of a network are looked up by name, not by "
                                f"{type(name).__name__}", hint='net["neurongroup_1"]')
    for obj in objects:
        if obj.name == name:
            return obj
    raise InvalidValueError(f"this network holds no object named {name!r}",
                            hint=f"it holds {_names(objects)}")


def _names(objects: list) -> str:
    return ", ".join(repr(o.name) for o in objects) or "nothing"
