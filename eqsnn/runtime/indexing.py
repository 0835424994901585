"""Indexing a variable as Brian2 does: ``G.v["i > 1"]``, ``G.v["v > El"] = "El"``,
``S.w["i > j"] = ...``, ``S.w[1, [2, 3]]``, ``S.delay[0, :]``, ``G.v[2:5] = 3*mV``.

``G.v`` is the values themselves (a quantity, or a numpy array when dimensionless), of
a class that also knows where they came from, so that an index can be a condition and
an assignment through an index writes back to the group — with its unit checked and a
string evaluated for the chosen neurons or synapses only. Values computed from it
(``G.v * 2``, ``G.v[3:]``) are ordinary values again.

Indices:

* a neuron variable: an integer, a slice, an integer or boolean array, or a condition
  string over the neurons (``i``, ``N``, the group's variables, constants);
* a synaptic variable: the same over synapse numbers, a condition over synapses (``i``,
  ``j``, ``x_pre``, ``x_post``, synaptic variables), or two indices ``S.w[I, J]``: the
  synapses from the sources ``I`` to the targets ``J`` (each an integer, a slice, or an
  integer array; relative to the source and target groups), and a third ``S.w[I, J, K]``
  (an integer or slice of the ``multisynaptic_index``, see
  :mod:`eqsnn.runtime.multisynaptic`). A read returns the values in synapse order, as
  Brian2 does.

Anything else, or an index out of range, is an :class:`~eqsnn.errors.InvalidValueError`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.errors import IndexOutOfRangeError, InvalidValueError

__all__ = ["indexed", "synapse_numbers", "IndexedArray", "IndexedQuantity"]


def indexed(obj, var: str, values: np.ndarray, dim, *, raw: bool):
    """``values`` of ``obj.var`` (``obj``: a group, subgroup, synapses or pathway) as an
    array or quantity that can be indexed with conditions and written through."""
    target = _Target(obj, var, raw, np.shape(values))
    if raw or dim == units.DIMENSIONLESS:
        result = np.asarray(values).view(IndexedArray)
    else:
        result = IndexedQuantity(np.asarray(values), units.unit_for_dimension(dim))
    result._target = target
    return result


class _Indexing:
    """The part shared by :class:`IndexedArray` and :class:`IndexedQuantity`."""

    _target = None

    def __getitem__(self, item):
        target = self._target
        if target is not None and (isinstance(item, str) or (
                target.synaptic and isinstance(item, tuple) and len(item) > 1
                and not any(x is None or x is Ellipsis for x in item))):
            return super().__getitem__(target.positions(item))
        try:
            result = super().__getitem__(item)
        except IndexError as error:
            where = target.describe() if target is not None else "these values"
            raise IndexOutOfRangeError(f"cannot index {where} with [{_shown(item)}]: {error}",
                                    hint="an index is an integer, a slice, an integer or "
                                         "boolean array, or a condition string such as "
                                         "'i > 1'") from None
        magnitude = getattr(result, "_magnitude", result)
        if target is not None and isinstance(magnitude, np.ndarray) \
                and magnitude.base is not None:  # a copy, as in Brian2: G.v[2:4] is not G.v
            if magnitude is result:
                return result.copy()
            result._magnitude = magnitude.copy()
        return result

    def __setitem__(self, item, value) -> None:
        target = self._target
        if target is None:
            if isinstance(self, units.Quantity) and units.is_quantity(value):
                value = type(self)(value.magnitude, value.units)  # (pint compares classes)
            super().__setitem__(item, value)
            return
        # through the group: the unit is checked, a string evaluated where it is set
        # (these values see the change when they are the stored array itself)
        target.write(target.positions(item), value)


class IndexedArray(_Indexing, np.ndarray):
    """A dimensionless variable's values (or ``G.v_``, in SI), indexable as above."""

    def __array_finalize__(self, obj) -> None:
        self._target = None

    def __array_wrap__(self, array, context=None, return_scalar=False):
        # results of arithmetic (G.x * 2, G.x.mean()) are plain numpy values
        result = np.asarray(array).view(np.ndarray)
        return result[()] if return_scalar else result

    def __getitem__(self, item):
        result = super().__getitem__(item)
        return result.view(np.ndarray) if isinstance(result, IndexedArray) else result

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))


class IndexedQuantity(_Indexing, units.Quantity):
    """A variable's values with their unit, indexable as above."""


class _Target:
    """Where the values live: picks positions from an index and writes to them."""

    def __init__(self, obj, var: str, raw: bool, shape):
        self.obj, self.var, self.raw = obj, var, raw
        self.size = int(shape[0]) if shape else 1
        self.synaptic = hasattr(obj, "connect") or hasattr(obj, "_syn")

    @property
    def syn(self):
        return getattr(self.obj, "_syn", self.obj)  # a pathway's synapses

    def describe(self) -> str:
        name = getattr(self.syn, "name", "?")
        return name if self.var is None else f"{name}.{self.var}{'_' if self.raw else ''}"

    # --- which positions an index picks -----------------------------------------------
    def positions(self, item) -> np.ndarray:
        if isinstance(item, str):
            return np.flatnonzero(self._condition(item))
        if isinstance(item, tuple) and len(item) == 1:  # (numpy's own S.w[(k,)]: print)
            item = item[0]
        if isinstance(item, tuple):
            if not self.synaptic:
                raise InvalidValueError(f"{self.describe()} takes one index, not {len(item)}",
                                        hint="two indices [i, j] are for synaptic variables")
            return self._pairs(item)
        return _positions(item, self.size, f"{self.describe()}[{_shown(item)}]",
                          "synapses" if self.synaptic else "neurons")

    def _pairs(self, item: tuple) -> np.ndarray:
        if len(item) not in (2, 3):
            raise InvalidValueError(f"{self.describe()} takes two indices [i, j] (source, "
                                    f"target) or three [i, j, k], not {len(item)}")
        syn = self.syn
        keep = np.ones(syn.N, dtype=bool)
        if len(item) == 3 and not (isinstance(item[2], slice) and item[2] == slice(None)):
            from eqsnn.runtime.multisynaptic import third_index
            keep &= third_index(syn, item[2], f"{self.describe()}[{_shown(item)}]")
        for index, neurons, size, role in (
                (item[0], syn.i, syn.pre_stop - syn.pre_start, "source"),
                (item[1], syn.j, syn.post_stop - syn.post_start, "target")):
            if isinstance(index, slice) and index == slice(None):
                continue
            chosen = _positions(index, size, f"{self.describe()}[{_shown(item)}]",
                                f"neurons in the {role}")
            keep &= np.isin(neurons, chosen)
        return np.flatnonzero(keep)  # in synapse order

    def _condition(self, text: str) -> np.ndarray:
        if self.synaptic:
            syn = self.syn
            derived = syn._derived_string(text, "index", boolean=True)
            if derived.tree[0] not in ("rel", "and", "or", "not", "n"):  # (a bare name)
                raise InvalidValueError(f"the index must be a comparison such as 'i > j', "
                                        f"but {text!r} is a number",
                                        hint="compare something, e.g. S.w['w > 0']")
            return syn._evaluate(derived.tree, syn._extra(derived)) != 0
        return _group_condition(self.obj, text) if self.size > 1 or not self._shared() \
            else np.ones(1, dtype=bool)

    def _shared(self) -> bool:
        return self.var in getattr(self.obj._owner, "_shared", ())

    # --- writing ----------------------------------------------------------------------
    def write(self, positions: np.ndarray, value: Any) -> None:
        if isinstance(value, (IndexedArray, IndexedQuantity)):
            value = _plain(value)
        if hasattr(self.obj, "_syn"):  # a pathway's delays
            self.obj._set_delays(positions, value, raw=self.raw)
            return
        owner = self.obj._owner
        var = self.var
        if var in getattr(owner, "_linked", ()):
            raise InvalidValueError(f"{self.describe()} is a linked variable: it is linked "
                                    f"for the whole group, not set by index")
        if var not in owner._arrays:
            raise InvalidValueError(f"{var!r} of {owner.name!r} is a subexpression: it is "
                                    f"computed from other variables and cannot be set")
        if self.synaptic:
            owner._write(var, value, positions, raw=self.raw)
        elif self._shared():
            owner._write(var, value, slice(None), raw=self.raw)
        else:  # (a string's i and N are those of the subgroup it was written for)
            first = self.obj._slice.start or 0
            owner._write(var, value, first + positions, raw=self.raw,
                         view=(first, self.obj.N))


def synapse_numbers(syn, item) -> np.ndarray:
    """The synapses an index picks (``S[0, :]``, ``S["i != j"]``), as synapse numbers."""
    return _Target(syn, None, False, (syn.N,)).positions(item)


def _plain(values):
    """An indexed value given as the value of another variable: its plain form."""
    if isinstance(values, IndexedQuantity):
        return units.Quantity(np.asarray(values._magnitude), values._units)
    return np.asarray(values)


def _group_condition(obj, text: str) -> np.ndarray:
    """A condition over the neurons ``obj`` (a group or subgroup) sees."""
    from eqsnn.lowering import cache
    from eqsnn.lowering.namespace import check_namespace, resolve_names
    from eqsnn.lowering.records import ValueRecord
    owner = obj._owner
    namespace = check_namespace(owner._namespace_seen())  # (its values now)

    def derive():
        from eqsnn.lowering.indices import lower_group_condition
        return lower_group_condition(owner.equations, text, owner._all_dims, namespace,
                                     list(owner._dims))
    derived = cache.derived_from_strings("index", owner._build_key, [text], namespace,
                                         ValueRecord, derive)
    extra = resolve_names(derived.extra, namespace, source=text, label="index",
                          known=list(owner._dims))
    return owner._evaluate(derived.tree, obj._slice, extra) != 0


def _positions(index, size: int, where: str, what: str) -> np.ndarray:
    """The positions ``index`` (int, slice, int or bool array) picks among ``size``."""
    if isinstance(index, slice):
        try:
            return np.arange(size)[index]
        except (TypeError, ValueError) as error:
            raise InvalidValueError(f"{where}: the slice {_shown(index)} is not valid: "
                                    f"{error}") from None
    if isinstance(index, (bool, np.bool_)):
        raise InvalidValueError(f"{where}: True/False is not an index",
                                hint="give an integer, a slice, an array or a condition "
                                     "string such as 'i > 1'")
    array = np.asarray(index)
    if array.dtype == bool:
        if array.shape != (size,):
            raise InvalidValueError(f"{where}: a boolean index needs one value for each of "
                                    f"the {size} {what}, not shape {array.shape}")
        return np.flatnonzero(array)
    if array.ndim > 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
        raise InvalidValueError(f"{where}: an index must be an integer, a slice, an array of "
                                f"integers or a condition string, not {_shown(index)}",
                                hint="round floats with int(...); conditions go in quotes, "
                                     "e.g. ['i > 1']")
    array = array.astype(np.int64).ravel()
    bad = (array < -size) | (array >= size)
    if np.any(bad):
        # (also an IndexError: iterating S stops at its last synapse, as for a list)
        raise IndexOutOfRangeError(f"{where}: index {array[bad][0]} is out of range: there "
                                   f"are {size} {what} (0..{size - 1})")
    return np.where(array < 0, array + size, array)


def _shown(index) -> str:
    if isinstance(index, slice):
        parts = ["" if x is None else str(x) for x in (index.start, index.stop, index.step)]
        return ":".join(parts[:2] if index.step is None else parts)
    if isinstance(index, tuple):
        return ", ".join(_shown(x) for x in index)
    return repr(index)
