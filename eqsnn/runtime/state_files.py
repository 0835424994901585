"""The file behind ``Network.store(name, filename=)`` / ``restore(name, filename=)``.

Brian2 pickles the state into the file, and unpickling runs whatever code the file
names: opening a state file from someone else would run their code. eqsnn's file holds
nothing that can run: it is a numpy ``.npz`` archive (a zip of plain ``.npy`` arrays,
read with ``allow_pickle=False``, so an array of Python objects is refused, never
unpickled) with one member ``__eqsnn__``, the UTF-8 bytes of a JSON document that says
what the arrays are:

``{"format": "eqsnn-network-state", "version": 1, "snapshots": {name: {"step": …,
"phase": …, "dt": …, "timeline": [[first, origin, dt, network dt], …], "objects":
{object name: {state key: array member}}}}}``

As in Brian2, one file holds several named snapshots (storing under a new name keeps
the others), objects are matched by name when restored, and the objects themselves
(equations, connections' structure in code) are not in the file: create the same
network, then restore. The file is replaced atomically (written aside, then renamed).
"""
from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from eqsnn.errors import InvalidValueError

__all__ = ["read", "write"]

FORMAT, VERSION, META = "eqsnn-network-state", 1, "__eqsnn__"


def write(filename: Any, name: str, snapshot: dict, states: dict[str, dict]) -> None:
    """Store ``snapshot`` (plain JSON data) and ``states`` (object name -> {key: array})
    under ``name`` in ``filename``, keeping the file's other snapshots."""
    path = Path(filename)
    meta, arrays = _load(path) if path.exists() else ({"snapshots": {}}, {})
    meta["snapshots"].pop(name, None)
    kept = {member for snap in meta["snapshots"].values()
            for keys in snap["objects"].values() for member in keys.values()}
    arrays = {member: arrays[member] for member in kept}
    objects, n = {}, len(arrays)
    for obj_name, state in states.items():
        objects[obj_name] = {}
        for key, value in state.items():
            value = np.asarray(value)
            if value.dtype.hasobject:
                raise InvalidValueError(
                    f"{key!r} of {obj_name!r} holds Python objects, which a state file "
                    f"cannot keep (it holds plain arrays only)",
                    hint="store() without filename= keeps it in memory")
            while f"a{n}" in arrays:
                n += 1
            arrays[f"a{n}"] = value
            objects[obj_name][key] = f"a{n}"
    meta["snapshots"][name] = dict(snapshot, objects=objects)
    meta.update(format=FORMAT, version=VERSION)
    arrays[META] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            np.savez(f, **arrays)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def read(filename: Any, name: str) -> tuple[dict, dict[str, dict]]:
    """The snapshot stored under ``name`` in ``filename`` and its objects' states."""
    path = Path(filename)
    if not path.exists():
        raise InvalidValueError(f"there is no state file {str(path)!r}",
                                hint="net.store(name, filename=...) writes one")
    meta, arrays = _load(path)
    if name not in meta["snapshots"]:
        raise InvalidValueError(f"{str(path)!r} holds no state stored under {name!r}",
                                hint=f"it holds {sorted(meta['snapshots'])}")
    snapshot = dict(meta["snapshots"][name])
    states = {obj_name: {key: arrays[member] for key, member in keys.items()}
              for obj_name, keys in snapshot.pop("objects").items()}
    return snapshot, states


def _load(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The file's JSON document and every array in it (read without unpickling)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {member: archive[member] for member in archive.files}
        meta = json.loads(bytes(arrays.pop(META)).decode("utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError("another format")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        why = "it holds pickled data, which eqsnn never opens" if "pickle" in str(error) \
            else str(error)
        raise InvalidValueError(
            f"{str(path)!r} is not a state file written by eqsnn's Network.store ({why})",
            hint="eqsnn reads only its own files (npz + JSON; never a pickle, such as "
                 "Brian2's)") from None
    if meta.get("version") != VERSION:
        raise InvalidValueError(f"{str(path)!r} has version {meta.get('version')} of "
                                f"eqsnn's state file; this eqsnn reads version {VERSION}")
    return meta, arrays
