"""Reading and writing the variables of a Synapses object from Python (``S.w``,
``S.w = "rand()*wmax"``, ``S.w[...]``): values held in arrays, subexpressions evaluated
on demand, strings derived once per model and then loaded from the build cache."""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from eqsnn.errors import InvalidValueError
from eqsnn.lowering import cache
from eqsnn.lowering.namespace import Constant, check_namespace, resolve_names
from eqsnn.lowering.records import ValueRecord
from eqsnn.runtime.pair_values import pair_values
from eqsnn.runtime.variables import as_dtype, convert_value

__all__ = ["SynapseValues"]


class SynapseValues:
    """Mixin of :class:`~eqsnn.runtime.synapses.Synapses`: its variables' values."""

    def _read(self, var: str, part: slice) -> np.ndarray:
        if var in self._arrays:  # (a shared variable: its one value)
            return self._arrays[var] if var in self._shared else self._arrays[var][part]
        values = np.atleast_1d(self._evaluate(self._record.trees[var]))  # a subexpression
        # (shared: computed once; typed: as the type stores it)
        return as_dtype(values[:1] if var in self._shared else values[part], self._dtypes[var])

    def _write(self, var: str, value: Any, part, *, raw: bool = False) -> None:
        """Set ``var`` for the synapses ``part`` (a slice or an index array); a shared
        variable has its one value."""
        array = self._arrays[var]
        if var in self._shared:
            part = slice(None)
        if isinstance(value, str):
            values = self._evaluate_string(value, var, self._dims[var])
            array[part] = _one_value(values, var, value) if var in self._shared \
                else values[part]
        else:
            array[part] = convert_value(var, value, self._dims[var], array[part].shape,
                                        raw=raw)

    def _evaluate_string(self, text: str, var: str, dim) -> np.ndarray:
        """``S.var = text``: parsed and checked once per model, then from the cache;
        the namespace's values are read now (as Brian2 does)."""
        self._resolve()
        derived = self._derived_string(text, f"value of {var}", want=dim)
        return self._evaluate(derived.tree, self._extra(derived))

    def _derived_string(self, text: str, label: str, **options) -> ValueRecord:
        """The tree of a string (initialiser, condition, probability): derived with SymPy
        the first time, then loaded from the build cache."""
        namespace = check_namespace(self._namespace_seen())

        def derive():
            from eqsnn.lowering.synapses import lower_string
            return lower_string(self._symbolic(), text, label, namespace=namespace, **options)
        return cache.derived_from_strings(
            "Synapses-string", self._build_key, [label, text, repr(sorted(options.items()))],
            namespace, ValueRecord, derive)

    def _extra(self, derived: ValueRecord) -> dict[str, Any]:
        """Values of the namespace entries and units a string uses beyond the model's."""
        resolved = resolve_names(derived.extra, check_namespace(self._namespace_seen()), source="",
                                 label="value")
        # (a user function the string calls, e.g. a BinomialFunction, comes as itself)
        return {name: c.value if isinstance(c, Constant) else c for name, c in resolved.items()}

    def _string_functions(self, extra: Mapping[str, Any]) -> dict[str, Any]:
        """What a string's tree calls: the model's user functions and its own."""
        functions = {name: f.evaluate for name, f in self._functions.items()}
        functions.update({name: f.evaluate for name, f in dict(extra).items()
                          if hasattr(f, "_eqsnn_function")})
        return functions

    def _evaluate(self, tree, extra: Mapping[str, float] = ()) -> np.ndarray:
        from eqsnn.runtime.evaluate import LazyValues, evaluate_tree
        values: dict[str, Any] = {name: c.value for name, c in self._constants.items()}
        values.update(dict(extra))
        values.update(self._arrays)
        values["t"] = getattr(self, "_t", 0.0)  # (the time of its network's last run)
        lazy = pair_values(self, self._pre, self._post, relative=False)
        lazy["lastupdate"] = self._lastupdate_values
        values = LazyValues(values, lazy)
        return evaluate_tree(tree, values, size=self.N, rng=self._rng,
                             functions=self._string_functions(extra))


def _one_value(values: np.ndarray, var: str, text: str) -> np.ndarray:
    """A shared variable set from a string takes one value, so (as in Brian2) the
    string may only use shared values, constants and sizes."""
    values = np.atleast_1d(values)
    if values.size > 1 and np.ptp(values) != 0:
        raise InvalidValueError(
            f"{var!r} is shared (one value for all synapses), but {text!r} has a value per "
            f"synapse", hint="use only shared variables, constants, N and t in its string")
    return values[:1]
