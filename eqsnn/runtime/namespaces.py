"""An object's namespace, read when ``run()`` starts (as in Brian2).

A group or Synapses object keeps the mapping the user passed as ``namespace=`` itself,
not a copy (``obj.namespace``; a new dict if none was passed; a built-in model's values
lie under it). Its external names are resolved against that mapping when the object is
created — the derivation needs their units — and again at the start of every run,
before a ``connect()`` and before a string value is computed. A new value reaches the
compiled loop as run-time data: the constant objects the loop's getters read are
updated in place, so nothing is rendered or compiled again. A constant's unit is part
of the derivation (the equations were checked with it), so a change of unit is refused
with a message, never run with wrong numbers.

A name missing from the namespace when the object is created may be added before the
object is used (:class:`BuiltOnUse`): the object is then built when it is first needed
— at ``run()``, or when a variable is read, a monitor made … — and the unknown name is
reported there if it is still missing. Values set and ``connect()`` calls made while it
waits are kept and done, in order, once it is built (:meth:`BuiltOnUse._later`).

``net.run(duration, namespace={...})`` gives a namespace to every object of the network
(Brian2's "run namespace"): a name the object's own namespace lacks is looked up there
(:meth:`BuiltOnUse._namespace_seen`). It stays the objects' until a later ``run(namespace=)``
replaces it (``namespace={}`` removes it), so string values set between runs see it too.
"""
from __future__ import annotations

import warnings
from collections import ChainMap
from typing import Any, Callable, Mapping, MutableMapping

import numpy as np

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError, UnknownNameError
from eqsnn.lowering.namespace import Constant, check_namespace, resolve_names

__all__ = ["own_namespace", "read_names", "give_run_namespace", "BuiltOnUse"]


def own_namespace(namespace: Mapping[str, Any] | None,
                  defaults: Mapping[str, Any] | None = None) -> MutableMapping[str, Any]:
    """The mapping an object keeps as ``obj.namespace``: the user's own one (checked
    here, so a bad key is reported at creation), over a built-in model's values."""
    check_namespace(namespace)
    own = {} if namespace is None else namespace
    if defaults:
        return ChainMap(own, dict(defaults))  # writes go to the user's mapping
    return own


def give_run_namespace(objects, namespace: Mapping[str, Any]) -> None:
    """``run(namespace=)``: the namespace (checked once) for every object that reads
    names (groups and synapses)."""
    checked = check_namespace(namespace)
    for obj in objects:
        if isinstance(obj, BuiltOnUse):
            obj._set_run_namespace(checked)


def read_names(obj, names, *, source: str, label: str) -> None:
    """Resolve ``names`` (the object's record's constants and functions) in
    ``obj.namespace`` and set ``obj._constants``, ``obj._functions`` and
    ``obj._resolved``; on every call after the first, the values of the constants are
    updated in the same :class:`Constant` objects (the compiled loop's getters hold
    them), and a change of unit or kind is an error."""
    namespace = check_namespace(obj._namespace_seen())
    resolved = resolve_names(names, namespace, source=source, label=label,
                             known=list(obj._dims))
    _warn_of_two_values(obj, names)
    before = obj.__dict__.get("_resolved")
    if before is not None:
        resolved = {name: _same_kind(obj, name, before[name], value)
                    for name, value in resolved.items()}
    obj._resolved = resolved
    obj._constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
    obj._functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}


def _warn_of_two_values(obj, names) -> None:
    """Brian2's warning when a name the object uses has one value in its own namespace
    and another in the run's (the object's own is used); once per name and run
    namespace."""
    run = obj.__dict__.get("_run_namespace")
    if not run:
        return
    warned = obj.__dict__.setdefault("_warned_names", set())
    own = check_namespace(obj.namespace)
    for name in sorted(set(names) & set(own) & set(run) - warned):
        try:
            same = bool(np.all(own[name] == run[name]))
        except Exception:  # (values that do not compare: different units, functions)
            same = own[name] is run[name]
        if not same:
            warned.add(name)
            warnings.warn(f"{name!r} is {own[name]!r} in the namespace of {obj.name!r} and "
                          f"{run[name]!r} in the run's: {obj.name!r} uses its own",
                          stacklevel=4)


def _same_kind(obj, name: str, before: Any, now: Any) -> Any:
    """``before`` with the value of ``now`` if they are the same kind of entry."""
    where = f"namespace entry {name!r} of {obj.name!r}"
    if isinstance(before, Constant) and isinstance(now, Constant):
        if now.dim != before.dim:
            raise DimensionMismatchError(
                f"{where} had unit {units.format_dimension(before.dim)} when "
                f"{obj.name!r} was created and now has unit "
                f"{units.format_dimension(now.dim)}; the equations were checked and "
                f"derived with the first",
                hint="a constant's value may change between runs, its unit may not: give "
                     f"the value in {units.format_dimension(before.dim)}, or create "
                     f"{obj.name!r} (and its Network) again")
        before.value = now.value
        return before
    if now is before:
        return before
    was = "a constant" if isinstance(before, Constant) else f"the function {before!r}"
    raise InvalidValueError(
        f"{where} was {was} when {obj.name!r} was created and is now "
        f"{'a constant' if isinstance(now, Constant) else repr(now)}",
        hint="a constant's value may change between runs; a function (such as a "
             "TimedArray) is compiled into the network: change its values in place, or "
             f"create {obj.name!r} and its Network again")


class BuiltOnUse:
    """Mixin of NeuronGroup and Synapses (before VariableAccess): ``_build_or_wait``
    builds the object, or, if a name is missing from its namespace, keeps the builder;
    the first attribute the object lacks then builds it (Brian2 resolves names at
    ``run()``). Building again raises the same error, caret included, while the name is
    still missing."""

    def _namespace_seen(self) -> Mapping[str, Any]:
        """The names the object's strings see: its own namespace, over the namespace
        of the last ``run(namespace=)`` it took part in (Brian2's order: the object's
        own entry wins)."""
        run = self.__dict__.get("_run_namespace")
        return ChainMap(self.namespace, run) if run else self.namespace

    def _set_run_namespace(self, namespace: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_run_namespace", dict(namespace))
        self.__dict__.pop("_warned_names", None)  # (a new run namespace: warn again)

    def _build_or_wait(self, build: Callable[[], None]) -> None:
        try:
            build()
        except UnknownNameError as error:
            if getattr(error, "missing_name", None) is None:
                raise
            object.__setattr__(self, "_waiting_for_names", build)

    def _finish_build(self) -> None:
        build = self.__dict__.pop("_waiting_for_names", None)
        if build is None:
            return
        try:
            build()
        except UnknownNameError as error:
            if getattr(error, "missing_name", None) is not None:
                object.__setattr__(self, "_waiting_for_names", build)
            raise
        for action in self.__dict__.pop("_later_actions", []):
            action()

    def _later(self, action: Callable[[], None]) -> bool:
        """While the object waits for a name (one ``run(namespace=)`` may give), keep
        ``action`` — a value set, a ``connect()`` — to do in order once it is built, and
        say so; ``False`` (do it now) once it is built."""
        if "_waiting_for_names" not in self.__dict__:
            return False
        self.__dict__.setdefault("_later_actions", []).append(action)
        return True

    def __getattr__(self, name: str):
        if "_waiting_for_names" in self.__dict__ and not name.startswith("__"):
            self._finish_build()
            return getattr(self, name)
        return super().__getattr__(name)
