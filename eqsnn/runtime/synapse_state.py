"""What ``Network.store()`` keeps of a Synapses object and how ``restore()`` puts it
back: variables, indices, each pathway's delays and its spikes in flight."""
from __future__ import annotations

from typing import Mapping

import numpy as np

__all__ = ["state", "set_state"]


def state(syn) -> dict[str, np.ndarray]:
    """The arrays to store (not copies: the network copies them)."""
    state = {f"var:{k}": v for k, v in syn._arrays.items()}
    state.update({"lastupdate": syn._lastupdate, "pre_index": syn._pre,
                  "post_index": syn._post})
    for path in syn._pathways.values():  # one delay for all: kept as a 0-d array
        state[f"delay:{path.name}"] = np.array(path._default) if path._delay is None \
            else path._delay
    for path, ring in getattr(syn, "_rings", {}).items():
        state[f"ring:{path}:spikes"], state[f"ring:{path}:n"] = ring["spikes"], ring["n"]
        if "before" in ring:  # (the side of the threshold it was filled for)
            state[f"ring:{path}:before"] = np.array(ring["before"])
    return state


def set_state(syn, state: Mapping[str, np.ndarray]) -> None:
    # Copies: the stored arrays must survive the runs after a restore.
    resized = state["pre_index"].size != syn.N
    syn._arrays = {key[4:]: value.copy() for key, value in state.items()
                   if key.startswith("var:")}
    syn._lastupdate = state["lastupdate"].copy()
    syn._pre, syn._post = state["pre_index"].copy(), state["post_index"].copy()
    for path in syn._pathways.values():
        delays = state[f"delay:{path.name}"]
        if delays.ndim == 0:
            path._default, path._delay = float(delays), None
        else:
            path._delay = delays.copy()
    syn._structure_version += 1
    rings = {}
    for key, value in state.items():
        if key.startswith("ring:"):
            _, path, part = key.split(":")
            rings.setdefault(path, {})[part] = bool(value) if part == "before" else value.copy()
    syn._rings = rings
    if resized:
        syn._propagation = {}
