"""A neuron group's variables as Python sees them: reading (``G.v``, a subexpression
computed on demand, a linked variable through its link), writing (values with their
unit checked, or a string evaluated for the chosen neurons), and the tree walk that
evaluates string values and subexpressions (:mod:`eqsnn.runtime.evaluate`).

:class:`GroupValues` is a mixin of :class:`~eqsnn.runtime.groups.NeuronGroup`; the
attribute syntax (``G.v = ...``) is :mod:`eqsnn.runtime.variables`'.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.lowering import cache
from eqsnn.lowering.names import VIEW_NAMES
from eqsnn.lowering.namespace import Constant, check_namespace, resolve_names
from eqsnn.lowering.records import ValueRecord
from eqsnn.runtime.evaluate import evaluate_tree
from eqsnn.runtime.variables import as_dtype, convert_value

__all__ = ["GroupValues"]


class GroupValues:
    """Mixin: the Python side of a group's variables (``_arrays``, ``_dims``, ``_shared``,
    ``_linked``, ``_links``, ``_constants``, ``_functions`` are the group's)."""
    def _read(self, var: str, part: slice) -> np.ndarray:
        if var in self._linked:
            from eqsnn.runtime.links import link_values
            return link_values(self._link(var), part, self.N)
        if var in self._arrays:
            array = self._arrays[var]
            return array if var in self._shared else array[part]
        part = slice(0, 1) if var in self._shared else part  # (shared: one value)
        return as_dtype(self._evaluate(self._record.trees[var], part), self._dtypes[var])

    def _write(self, var: str, value: Any, part, *, raw: bool = False,
               view: tuple[int, int] | None = None) -> None:
        """Set ``var`` for the neurons ``part`` (a slice or an index array). A string is
        evaluated with the ``i`` and ``N`` of ``view``, the (first neuron, size) of the
        group or subgroup it was written for (default: the slice ``part``)."""
        array = self._arrays[var]
        where = slice(None) if var in self._shared else part
        if isinstance(value, str):
            array[where] = self._evaluate_string(value, var, part, view)
        else:
            array[where] = convert_value(var, value, self._dims[var], array[where].shape,
                                         raw=raw)

    def _set_link(self, var: str, link: Any, part: slice) -> None:
        from eqsnn.runtime.links import check_link
        if part != slice(None):
            raise InvalidValueError(f"a linked variable is linked for the whole group: "
                                    f"{self.name}.{var} = linked_var(...)")
        check_link(self, var, link)
        self._links[var] = link

    def _link(self, var: str):
        link = self._links.get(var)
        if link is None:
            raise InvalidValueError(
                f"{var!r} of {self.name!r} is a linked variable that was never linked",
                hint=f"link it before running: {self.name}.{var} = linked_var(group, 'x')")
        return link

    def _dependencies(self) -> list:
        """The groups whose variables this group's linked variables read."""
        return [self._link(var).group._owner for var in sorted(self._linked)]

    def _evaluate_string(self, text: str, var: str, part, view=None) -> np.ndarray:
        """``group.var = text``: parsed and checked once per model, then from the cache;
        the namespace's values are read now (as Brian2 does)."""
        self._resolve()
        namespace = check_namespace(self._namespace_seen())

        def derive():
            from eqsnn.lowering.initialisers import lower_initialiser
            return lower_initialiser(self.equations, text, var, self._dims[var],
                                     self._all_dims, namespace, list(self._dims))
        derived = cache.derived_from_strings("initialiser", self._build_key, [var, text],
                                             namespace, ValueRecord, derive)
        extra = resolve_names(derived.extra, namespace, source=text,
                              label=f"value of {var}", known=list(self._dims))
        return self._evaluate(derived.tree, part, extra, view)

    def _evaluate(self, tree, part, extra: Mapping[str, Any] = (),
                  view: tuple[int, int] | None = None) -> np.ndarray:
        """``tree`` for the neurons ``part``: its ``i`` and ``N`` are the group's, those
        of the string itself (``VIEW_NAMES``) count the neurons of ``view`` (first, size;
        default: the slice ``part``, or the whole group)."""
        index = np.arange(self.N)[part]
        first, size = view if view is not None else _view_of(part, self.N)
        values: dict[str, Any] = {name: c.value for name, c in self._constants.items()}
        values.update({name: c.value for name, c in dict(extra).items()
                       if isinstance(c, Constant)})
        for name, array in self._arrays.items():
            values[name] = array[0] if name in self._shared else array[part]
        for name in self._links:  # (an initialiser may run before the link is made)
            values[name] = self._read(name, part)
        values.update(i=index.astype(np.float64), N=float(self.N),
                      t=getattr(self, "_t", 0.0))  # (the time of its network's last run)
        values[VIEW_NAMES["i"]] = (index - first).astype(np.float64)
        values[VIEW_NAMES["N"]] = float(size)
        functions = {name: f.evaluate for name, f in self._functions.items()}
        functions.update({name: f.evaluate for name, f in dict(extra).items()
                          if not isinstance(f, Constant)})
        return evaluate_tree(tree, values, size=index.size, rng=self._rng, functions=functions)


def _view_of(part, n: int) -> tuple[int, int]:
    """(first neuron, size) of the neurons a slice selects; the whole group otherwise."""
    if isinstance(part, slice):
        start, stop, _ = part.indices(n)
        return start, stop - start
    return 0, n
