"""The record of one custom-event string of a neuron group: an event's condition
(``events={"burst": "v > 1*mV and n > 2"}``) or the code run on it
(``G.run_on_event("burst", "n = 0")``), printed for every backend with plain local
names (``v[_i]``, ``tau``) as a group's threshold and reset are. JSON-cached, so a warm
run loads it without SymPy (see :mod:`eqsnn.lowering.events` for how it is made).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from eqsnn.lowering.records import Code, Expression

__all__ = ["EventCode", "EventRecord"]


@dataclass(frozen=True)
class EventCode:
    """One backend's printed condition (an :class:`Expression`) or statements (a
    :class:`Code`), and the local names that differ from the model's."""

    locals: Mapping[str, str]
    printed: Expression | Code

    def local(self, name: str) -> str:
        return self.locals.get(name, name)

    @property
    def reads(self) -> tuple[str, ...]:
        return self.printed.reads

    def to_json(self) -> list:
        return [dict(self.locals), self.printed.to_json()]


@dataclass(frozen=True)
class EventRecord:
    """``kind`` is ``"condition"`` or ``"code"``; ``constants`` the namespace entries
    the string uses (the model's and its own), whose values are read at every run;
    ``written`` the group's variables the code assigns, sorted (none for a condition;
    ``None``: not known, a record from an older cache), for the run's NaN check."""

    kind: str
    constants: tuple[str, ...]
    code: Mapping[str, EventCode]
    written: tuple[str, ...] | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "constants": list(self.constants),
                "code": {backend: c.to_json() for backend, c in self.code.items()},
                "written": None if self.written is None else list(self.written)}

    @classmethod
    def from_json(cls, data) -> "EventRecord":
        printed = Expression.from_json if data["kind"] == "condition" else Code.from_json
        written = data.get("written")
        return cls(data["kind"], tuple(data["constants"]),
                   {backend: EventCode(dict(locals_), printed(body))
                    for backend, (locals_, body) in data["code"].items()},
                   None if written is None else tuple(written))
