"""``Network.store()`` and ``restore()``: the state of every object and the time,
kept under a name to go back to later, in memory or in a file
(:mod:`eqsnn.runtime.state_files`)."""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.runtime import state_files
from eqsnn.runtime.timeline import Segment

__all__ = ["store", "restore"]


def store(net, name: str, filename: Any = None) -> None:
    """Remember the state of every object of ``net`` and its time under ``name``."""
    snapshot = {"step": net._step, "phase": net._phase, "dt": net._dt,
                "timeline": [[s.first, s.origin, s.dt, s.network]
                             for s in net._timeline.segments]}
    objects = [(obj, {k: np.array(v, copy=True) for k, v in obj._state().items()})
               for obj in net.objects if hasattr(obj, "_state")]
    if filename is None:
        net._stored[name] = dict(snapshot, objects=objects)
        return
    names = [obj.name for obj, _ in objects]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidValueError(f"two objects of this network are named {twice[0]!r}: a "
                                f"state file matches objects by name",
                                hint="give them distinct name= when creating them")
    state_files.write(filename, name, snapshot, {obj.name: s for obj, s in objects})


def restore(net, name: str, filename: Any = None) -> None:
    """Put back what :func:`store` kept under ``name``."""
    if filename is None:
        if name not in net._stored:
            raise InvalidValueError(f"nothing was stored under {name!r}",
                                    hint=f"call net.store({name!r}) first; stored: "
                                         f"{sorted(net._stored)}")
        saved = net._stored[name]
        objects = saved["objects"]
    else:
        saved, states = state_files.read(filename, name)
        objects = _by_name(net, states, str(filename))
    net._step, net._phase = saved["step"], saved["phase"]
    # the time steps of the runs until then (objects keep the same Timeline object)
    net._timeline.segments[:] = [Segment(*s) for s in saved["timeline"]]
    if net._dt != saved["dt"]:
        net._dt, net._program = saved["dt"], None
    net._t_wanted = net.t_
    for obj, state in objects:
        obj._set_state(state)
    net._tell_time()


def _by_name(net, states: dict[str, dict], filename: str) -> list:
    """The network's objects with their states from a file, matched by name (as
    Brian2 does): every object must be there, and nothing else."""
    objects = [obj for obj in net.objects if hasattr(obj, "_state")]
    missing = [obj.name for obj in objects if obj.name not in states]
    unknown = sorted(set(states) - {obj.name for obj in objects})
    if missing or unknown:
        raise InvalidValueError(
            f"the state in {filename!r} does not fit this network: "
            + "; ".join(part for part in (
                f"nothing stored for {missing}" if missing else "",
                f"stored objects not in the network: {unknown}" if unknown else "")
                if part),
            hint="restore into a network of the same objects with the same names as "
                 "when it was stored")
    result = []
    for obj in objects:
        # (the model's variables must be the same; internal arrays such as a pathway's
        # ring exist only once the object has run)
        state, expected = states[obj.name], obj._state()
        variables = {k for k in [*state, *expected] if k.startswith(("var:", "rec:"))}
        if not variables <= set(state) & set(expected) or any(
                np.asarray(state[k]).dtype != np.asarray(v).dtype
                for k, v in expected.items() if k in state):
            raise InvalidValueError(f"{obj.name!r} in {filename!r} was stored with other "
                                    f"variables than it has now",
                                    hint="restore into objects made with the same model")
        result.append((obj, state))
    return result
