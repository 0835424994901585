"""Reading and writing a group's variables with units: ``G.v``, ``G.v = -70*mV``,
``G.I = "0.3*nA*i/N"``, ``G.v_`` (SI floats, no units), ``G[10:20].v``.

Shared by :class:`NeuronGroup`, its subgroups and :class:`Synapses`: each provides
``_owner`` (the object holding the arrays) and ``_slice`` (the part it sees).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError, SourceSpan
from eqsnn.runtime.namespaces import BuiltOnUse

__all__ = ["VariableAccess", "as_dtype", "convert_value", "array_binding", "C_TYPES"]


class VariableAccess:
    """Mixin: attribute access to the state variables of ``self._owner``."""

    _owner: Any
    _slice: slice

    def _accept_variables(self) -> None:
        """Called at the end of ``__init__``: from now on ``obj.x = …`` sets variable x."""
        object.__setattr__(self, "_variables_accepted", True)

    # -- reading -------------------------------------------------------------------
    def __getattr__(self, name: str):
        # Private names are never variables: raising here (rather than looking them up
        # in ``_dims``) keeps attribute access safe while ``__init__`` is still running.
        if name.startswith("_"):
            raise AttributeError(name)
        name = _identifier(name)
        owner = object.__getattribute__(self, "_owner")
        raw = name.endswith("_") and name[:-1] in owner._dims
        var = name[:-1] if raw else name
        if var not in owner._dims:
            raise AttributeError(
                f"{type(self).__name__} {owner.name!r} has no variable {name!r}; "
                f"its variables are {sorted(owner._dims)}")
        from eqsnn.runtime.indexing import indexed
        return indexed(self, var, owner._read(var, self._slice), owner._dims[var], raw=raw)

    # -- writing -------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        name = _identifier(name)
        # The size and structure are fixed once built: the compiled loop sizes its
        # arrays from them (group.N = 50_000_000 walked 50 M neurons over 3 values).
        if (name in _STRUCTURAL and self.__dict__.get("_variables_accepted", False)
                and (name in self.__dict__
                     or isinstance(getattr(type(self), name, None), property))):
            raise InvalidValueError(
                f"{name} of {type(self).__name__} {self.name!r} is fixed when it is "
                f"created and cannot be changed", hint=f"create a new {type(self).__name__}")
        # Private names, existing attributes, class attributes and anything set while
        # ``__init__`` runs (until it calls ``_accept_variables``) are ordinary
        # attributes; after that, a new public name must be a state variable.
        if (name.startswith("_") or name in self.__dict__
                or not self.__dict__.get("_variables_accepted", False)
                or any(name in klass.__dict__ for klass in type(self).__mro__)):
            object.__setattr__(self, name, value)
            return
        owner = self._owner
        if isinstance(owner, BuiltOnUse) and owner._later(
                lambda: VariableAccess.__setattr__(self, name, value)):
            return  # (set when the owner is built, at run(): a name is still missing)
        if name in getattr(owner, "_linked", ()):
            owner._set_link(name, value, self._slice)
            return
        raw = name.endswith("_") and name[:-1] in owner._arrays
        var = name[:-1] if raw else name
        if var not in owner._arrays:
            if var in owner._dims:
                raise InvalidValueError(
                    f"{var!r} is a subexpression of {owner.name!r}: it is computed from "
                    f"other variables and cannot be set")
            raise InvalidValueError(
                f"{type(self).__name__} {owner.name!r} has no variable {name!r} to set; "
                f"its variables are {sorted(owner._arrays)}")
        owner._write(var, value, self._slice, raw=raw)


def _identifier(name: str) -> str:
    """``name`` in the NFKC form Python gives identifiers (and the parser gives model
    names): ``G.aﬁ`` in source code already reads ``G.afi``, ``getattr(G, "aﬁ")`` must
    too."""
    if name.isascii():  # (nearly always: no unicodedata in a run's process)
        return name
    import unicodedata
    return unicodedata.normalize("NFKC", name)


#: Attributes that define an object's size and structure.
_STRUCTURAL = frozenset({"N", "model", "source", "target", "method_requested"})


def convert_value(name: str, value: Any, dim, shape: tuple[int, ...], *,
                  raw: bool = False) -> np.ndarray:
    """Check the unit and shape of a value given for variable ``name``; SI float64 out."""
    if raw:
        magnitude, given = value, dim
    else:
        magnitude, given = units.to_si(value, what=f"the values given for {name}")
    if given == units.DIMENSIONLESS and _all_zero(magnitude):
        given = dim  # a plain 0 fits any unit, as in Brian2 (G.v = 0)
    if given != dim:
        if given == units.DIMENSIONLESS:
            raise DimensionMismatchError(
                f"{name} has unit {units.format_dimension(dim)}, but a plain number was given",
                hint=f"give a quantity, e.g. {name} = 10*{_example_unit(dim)}, or set "
                     f"{name}_ (underscore) to values in SI units")
        raise DimensionMismatchError(
            f"{name} has unit {units.format_dimension(dim)}, but the value given has unit "
            f"{units.format_dimension(given)}")
    try:
        array = np.asarray(magnitude, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidValueError(f"cannot use {value!r} as a value for {name}: {error}") from None
    try:
        return np.broadcast_to(array, shape)
    except ValueError:
        raise InvalidValueError(
            f"{name} needs {shape[0]} values (or one), but an array of shape {array.shape} "
            f"was given") from None


def as_dtype(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Computed values (float64) as a variable of ``dtype`` holds them: an integer
    truncated toward zero, a boolean true where non-zero (what storing them does, in
    the generated code and in numpy alike)."""
    return values if dtype == np.float64 else np.asarray(values).astype(dtype)


#: The C type of the elements of a variable's array, by numpy dtype.
C_TYPES = {np.dtype(np.float64): "double", np.dtype(np.int32): "int32_t",
           np.dtype(np.bool_): "_Bool"}


def array_binding(local: str, cname: str, dtype) -> list:
    """A template's ``arrays`` entry: ``[local, module name]`` for doubles, with the C
    type as a third element for an integer or boolean variable."""
    dtype = np.dtype(dtype)
    return [local, cname] if dtype == np.float64 else [local, cname, C_TYPES[dtype]]


def _example_unit(dim) -> str:
    return str(units.unit_for_dimension(dim)).replace("ampere", "amp")


def string_span(text: str, label: str) -> SourceSpan:
    return SourceSpan(text, 1, 0, len(text), label)


def _all_zero(magnitude) -> bool:
    try:
        array = np.asarray(magnitude, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return array.size > 0 and not np.any(array)
