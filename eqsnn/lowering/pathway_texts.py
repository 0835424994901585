"""The pathways a Synapses object's ``on_pre`` / ``on_post`` arguments make, in Brian2's
order (no SymPy: the runtime reads this on a warm start too).

``on_pre="v += w"`` is short for ``on_pre={"pre": "v += w"}``; a dictionary makes one
pathway per entry, each with its own code, delay and triggering event. Brian2 runs
them in the synapses slot with order -1 (triggered by the source) or +1 (by the
target), ties broken by name: every ``on_pre`` pathway by name, then every
``on_post`` pathway by name.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Mapping

from eqsnn.errors import InvalidValueError

__all__ = ["PathwayText", "pathway_texts", "old_pathway_names"]


@dataclass(frozen=True)
class PathwayText:
    """One pathway as written: its ``name``, the ``side`` whose events trigger it
    (``"pre"``: the source; ``"post"``: the target), its statements and the label
    under which errors in them are reported."""

    name: str
    side: str
    text: str

    @property
    def label(self) -> str:
        default = self.name == self.side
        return f"on_{self.side}" if default else f"on_{self.side}[{self.name!r}]"


def pathway_texts(on_pre: Any, on_post: Any) -> tuple[PathwayText, ...]:
    """``on_pre`` / ``on_post`` (a string, a dictionary of name → string, or ``None``)
    as pathways, in the order they run."""
    paths: dict[str, PathwayText] = {}
    for side, given in (("pre", on_pre), ("post", on_post)):
        if not given:  # None, "" or {}: no pathway (as in Brian2)
            continue
        entries = given.items() if isinstance(given, Mapping) else ((side, given),)
        found = []
        for name, text in entries:
            if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
                raise InvalidValueError(
                    f"on_{side}={{...}}: {name!r} cannot name a pathway",
                    hint="pathway names are identifiers that do not start with '_', e.g. "
                         "on_pre={'up': 'I += w', 'down': 'I -= w'}")
            if name in paths:
                raise InvalidValueError(
                    f"the pathway name {name!r} is used by both on_pre and on_post",
                    hint="give each pathway its own name")
            if not isinstance(text, str):
                raise InvalidValueError(
                    f"on_{side} must be a string of statements such as 'v_post += w' or a "
                    f"dictionary of pathway names to such strings, not "
                    f"{type(text).__name__}" + (f" (pathway {name!r})"
                                                 if isinstance(given, Mapping) else ""))
            found.append(PathwayText(name, side, text))
        for path in sorted(found, key=lambda p: p.name):
            paths[path.name] = path
    return tuple(paths.values())


def statements_by_label(paths) -> dict[str, str]:
    """The pathways' texts under their labels (what a record keeps of its inputs)."""
    return {path.label: path.text for path in paths}


def old_pathway_names(on_pre: Any, on_post: Any, pre: Any, post: Any,
                      *, stacklevel: int = 3) -> tuple[Any, Any]:
    """Brian2's old ``Synapses(pre=..., post=...)``: taken for ``on_pre``/``on_post``
    with a :class:`DeprecationWarning`, as Brian2 2.9.0 does (it warns and goes on);
    giving both names for one pathway is an error, as in Brian2."""
    for old, new, given in (("pre", "on_pre", pre), ("post", "on_post", post)):
        if given is None:
            continue
        if (on_pre if new == "on_pre" else on_post) is not None:
            raise InvalidValueError(
                f"Synapses got both {old}= and {new}=: {old}= is Brian2's old name for "
                f"{new}=", hint=f"keep only {new}=")
        warnings.warn(f"Synapses({old}=...) is Brian2's old name for {new}=; write {new}=",
                      DeprecationWarning, stacklevel=stacklevel)
    return (on_pre if pre is None else pre), (on_post if post is None else post)
