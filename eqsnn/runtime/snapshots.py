"""``Network.store()`` and ``restore()``: the state of every object and the time,
kept under a name to go back to later."""
from __future__ import annotations

import numpy as np

from eqsnn.errors import InvalidValueError

__all__ = ["store", "restore"]


def store(net, name: str) -> None:
    """Remember the state of every object of ``net`` and its time under ``name``."""
    net._stored[name] = {
        "step": net._step, "phase": net._phase, "runs": net._runs, "dt": net._dt,
        "timeline": list(net._timeline.segments),
        "objects": [(obj, {k: np.array(v, copy=True) for k, v in obj._state().items()})
                    for obj in net.objects if hasattr(obj, "_state")],
    }


def restore(net, name: str) -> None:
    """Put back what :func:`store` kept under ``name``."""
    if name not in net._stored:
        raise InvalidValueError(f"nothing was stored under {name!r}",
                                hint=f"call net.store({name!r}) first; stored: "
                                     f"{sorted(net._stored)}")
    saved = net._stored[name]
    net._step, net._phase = saved["step"], saved["phase"]
    # the time steps of the runs until then (objects keep the same Timeline object)
    net._timeline.segments[:] = saved["timeline"]
    if net._dt != saved["dt"]:
        net._dt, net._program = saved["dt"], None
    net._t_wanted = net.t_
    for obj, state in saved["objects"]:
        obj._set_state(state)
    net._tell_time()
