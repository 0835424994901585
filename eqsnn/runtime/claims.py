"""Which network is running an object right now.

A network refuses a second ``run()`` of itself (its own lock); this module refuses a
run of another network that holds one of the same objects while the first runs in
another thread: both loops would write the same arrays, and a monitor growing its
buffer for one would leave the other writing into freed memory (the crash of issue 19,
with two networks instead of two calls).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from eqsnn.errors import InvalidValueError

__all__ = ["claimed", "running"]

_LOCK = threading.Lock()
_RUNNING_IN: dict[int, Any] = {}  # id(object) -> the network running it


@contextmanager
def claimed(network: Any, objects: Sequence[Any]) -> Iterator[None]:
    """Mark ``objects`` as run by ``network`` for the duration of the block, or raise
    if another network is running one of them."""
    with _LOCK:
        for obj in objects:
            other = _RUNNING_IN.get(id(obj))
            if other is not None and other is not network:
                name = getattr(obj, "name", type(obj).__name__)
                raise InvalidValueError(
                    f"{name!r} is part of another network that is running now (in another "
                    f"thread, or the run whose code called this one): two networks cannot "
                    f"run the same object at the same time",
                    hint="wait for the other run to finish, or give each network its own "
                         "objects")
        mine = [obj for obj in objects if id(obj) not in _RUNNING_IN]
        for obj in mine:
            _RUNNING_IN[id(obj)] = network
    try:
        yield
    finally:
        with _LOCK:
            for obj in mine:
                _RUNNING_IN.pop(id(obj), None)


def running(obj: Any) -> Any:
    """The network running ``obj`` now, or ``None``."""
    with _LOCK:
        return _RUNNING_IN.get(id(obj))
