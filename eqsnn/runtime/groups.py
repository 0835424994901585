"""Neuron groups: a model's equations, threshold, reset and refractoriness for N neurons.

A group turns its strings into SymPy once, at creation (parse, resolve names, check
units, discretise), so every mistake is reported where the user wrote it; that cold
path is :mod:`eqsnn.runtime.neuron_derivation`. What the runtime needs from it is a
plain record, stored in :mod:`eqsnn.runtime.build_cache`: the next process that builds
the same model loads the record and never imports SymPy (it is imported on demand if
the SymPy objects — ``group.equations``, ``group.state_update`` … — are asked for). At
run time a group only describes its arrays and operations to the network's module
builder.
"""
from __future__ import annotations

import sys
import time
from types import SimpleNamespace
from typing import Any, Mapping

import numpy as np

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.runtime import build_cache
from eqsnn.runtime.evaluate import evaluate_tree
from eqsnn.runtime.namespace import Constant, resolve_names
from eqsnn.runtime.variables import VariableAccess, convert_value

__all__ = ["NeuronGroup", "Subgroup"]

_NEVER = -(2**62)  # "last spike" of a neuron that never spiked, in steps
BUILTIN_NAMES = {"t", "dt", "i", "N", "not_refractory"}
BUILTIN_DIMS = {"t": (1 * units.ureg.second).dimensionality,
                "dt": (1 * units.ureg.second).dimensionality,
                "i": units.DIMENSIONLESS, "N": units.DIMENSIONLESS,
                "not_refractory": units.DIMENSIONLESS}
_BUILTIN_NAMES, _BUILTIN_DIMS = BUILTIN_NAMES, BUILTIN_DIMS  # older spellings

# Placeholders in a record's printed code, filled in by NeuronGroup._contribute: the
# group's prefix (its position in the network), the refractoriness flag, and the k-th
# user function. '@' never occurs in printed C or Python otherwise.
PREFIX = "@G@"
NOT_REFRACTORY = "@NR@"


def function_token(k: int) -> str:
    return f"@F{k}@"


# User names get an infix (v_ for variables, c_ for constants) that no internal array
# uses, so a variable called 'n' or 'spikes' cannot clash with one.
def variable_cname(prefix: str, var: str) -> str:
    return f"{prefix}_v_{var}"


def constant_cname(prefix: str, name: str) -> str:
    return f"{prefix}_c_{name}"


_group_counter = 0


def _default_name(prefix: str) -> str:
    global _group_counter
    _group_counter += 1
    return f"{prefix}_{_group_counter}"


class NeuronGroup(VariableAccess):
    """A group of ``N`` neurons sharing one model.

    Parameters
    ----------
    N
        Number of neurons.
    model
        Equation string, :class:`~eqsnn.equations.Equations`, or a built-in model
        (an object with ``equations`` and optionally ``threshold``, ``reset``,
        ``refractory``, ``namespace``, ``method``). A built-in model also sets the
        neurons' initial values (its resting state unless it says otherwise).
    threshold
        Spike condition, e.g. ``"v > -50*mV"``.
    reset
        Statements run for each neuron that spiked, e.g. ``"v = El; w += b"``.
    refractory
        Dead time after a spike (a quantity of time). Variables flagged
        ``(unless refractory)`` are clamped during it and the threshold is not tested.
    method
        Integration method (``"exact"``, ``"euler"``, ``"rk4"``, …) or ``None`` to choose
        by capability; the choice and its reason are in ``group.state_update.reason``.
    namespace
        Values of the external constants used in the strings (units allowed).
    name
        A name for messages and plots.
    seed
        Seed for ``rand()``/``randn()`` in string initialisers of this group.
    """

    def __init__(self, N: int, model: Any, *, threshold: str | None = None,
                 reset: str | None = None, refractory: Any = None, method: str | None = None,
                 namespace: Mapping[str, Any] | None = None, name: str | None = None,
                 seed: int | None = None):
        started = time.perf_counter()
        object.__setattr__(self, "_owner", self)
        object.__setattr__(self, "_slice", slice(None))
        self.N = _check_size(N)
        self.name = name or _default_name("neurongroup")
        built_in = model if hasattr(model, "initialise") else None
        model, threshold, reset, refractory, method, namespace = _unpack_model(
            model, threshold, reset, refractory, method, namespace)
        self.model = model
        self.method_requested = method
        self._sources = (model, threshold, reset, method, dict(namespace or {}))
        self._build_key = _build_key(*self._sources)
        record = build_cache.load(self._build_key) if self._build_key else None
        self._derivation = None
        if record is None:  # the cold path: SymPy, and every error the strings can cause
            self._derivation = self._derive(lambda: _check_refractory(refractory))
            record = self._derivation.record()
            if self._build_key:
                build_cache.store(self._build_key, record)
        self._record = record
        self._init_storage()
        self._resolve()
        self.refractory = _check_refractory(refractory)
        self._rng = np.random.default_rng(seed)
        self.timing = {"build_seconds": time.perf_counter() - started}
        self._accept_variables()
        if built_in is not None:
            # A built-in model knows where its neurons start (its resting state, or the
            # values its paper uses); a group of it starts there, not at v = 0.
            built_in.initialise(self)

    # --- construction ---------------------------------------------------------------
    def _derive(self, check_refractory=lambda: None):
        from eqsnn.runtime.neuron_derivation import NeuronDerivation
        model, threshold, reset, method, namespace = self._sources
        return NeuronDerivation(self.name, model, threshold, reset, method, namespace,
                                check_refractory)

    def _symbolic(self):
        """The SymPy side of the group, derived again on demand after a warm start."""
        if self._derivation is None:
            self._derivation = self._derive()
        return self._derivation

    @property
    def equations(self):
        """The parsed :class:`~eqsnn.equations.Equations`."""
        return self._symbolic().equations

    @property
    def threshold(self):
        """The threshold condition as a SymPy expression (``None`` if none)."""
        return self._symbolic().threshold

    @property
    def reset(self):
        """The reset as SymPy assignments (empty if none)."""
        return self._symbolic().reset

    @property
    def state_update(self):
        """The discretised update (``.method``, ``.reason``, ``.statements``), or ``None``."""
        return self._symbolic().state_update

    def _init_storage(self) -> None:
        record = self._record
        self._dims: dict[str, Any] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._shared: set[str] = set()
        for name, dim, shared in record["variables"]:
            if shared:
                self._shared.add(name)
            self._arrays[name] = np.zeros(1 if shared else self.N, dtype=np.float64)
            self._dims[name] = build_cache.dimension_from_json(dim)
        for name, dim in record["subexpressions"]:
            self._dims[name] = build_cache.dimension_from_json(dim)
        self._lastspike = np.full(self.N, _NEVER, dtype=np.int64)
        self._spikes = np.zeros(self.N, dtype=np.int32)
        self._nspikes = np.zeros(1, dtype=np.int64)

    def _resolve(self) -> None:
        """The namespace entries the model uses (their values are read at every run)."""
        model, threshold, reset, _, namespace = self._sources
        source = "\n".join(filter(None, [model if isinstance(model, str) else "",
                                         threshold, reset]))
        resolved = resolve_names(self._record["external"], namespace, source=source,
                                 label="model", known=list(self._dims))
        resolved.update({name: namespace[name] for name in self._record["functions"]})
        self.namespace = resolved
        self._constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self._functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}
        dims = {name: c.dim for name, c in self._constants.items()}
        dims.update(BUILTIN_DIMS)
        self._all_dims = {**dims, **self._dims}

    # --- variables --------------------------------------------------------------------
    def _read(self, var: str, part: slice) -> np.ndarray:
        if var in self._arrays:
            array = self._arrays[var]
            return array if var in self._shared else array[part]
        return self._evaluate(self._record["subexpression_trees"][var], part)

    def _write(self, var: str, value: Any, part: slice, *, raw: bool = False) -> None:
        array = self._arrays[var]
        view = array if var in self._shared else array[part]
        if isinstance(value, str):
            view[:] = self._evaluate_string(value, var, part)
        else:
            view[:] = convert_value(var, value, self._dims[var], view.shape, raw=raw)

    def _evaluate_string(self, text: str, var: str, part: slice) -> np.ndarray:
        """``group.var = text``: parsed and checked once per model, then from the cache."""
        key = build_cache.key("initialiser", [self._build_key, var, text]) \
            if self._build_key else None
        derived = build_cache.load(key) if key else None
        if derived is None:
            from eqsnn.runtime.neuron_derivation import derive_initialiser
            derived = derive_initialiser(self.equations, text, var, self._dims[var],
                                         self._all_dims, self._sources[4], list(self._dims))
            if key:
                build_cache.store(key, derived)
        extra = resolve_names(derived["extra"], self._sources[4], source=text,
                              label=f"value of {var}", known=list(self._dims))
        return self._evaluate(derived["tree"], part, extra)

    def _evaluate(self, tree, part: slice, extra: Mapping[str, Any] = ()) -> np.ndarray:
        index = np.arange(self.N)[part]
        values: dict[str, Any] = {name: c.value for name, c in self._constants.items()}
        values.update({name: c.value for name, c in dict(extra).items()
                       if isinstance(c, Constant)})
        for name, array in self._arrays.items():
            values[name] = array[0] if name in self._shared else array[part]
        values.update(i=index.astype(np.float64), N=float(self.N), t=0.0)
        functions = {name: f.evaluate for name, f in self._functions.items()}
        functions.update({name: f.evaluate for name, f in dict(extra).items()
                          if not isinstance(f, Constant)})
        return evaluate_tree(tree, values, size=index.size, rng=self._rng, functions=functions)

    def __getitem__(self, item: slice) -> "Subgroup":
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise InvalidValueError(f"subgroups are contiguous slices like G[10:20], not {item!r}")
        start, stop, _ = item.indices(self.N)
        if stop <= start:
            raise InvalidValueError(f"the subgroup {self.name}[{item.start}:{item.stop}] is empty")
        return Subgroup(self, start, stop)

    def __len__(self) -> int:
        return self.N

    def __repr__(self) -> str:
        return f"NeuronGroup({self.N}, name={self.name!r}, method={self.method!r})"

    @property
    def method(self) -> str | None:
        return self._record["method"]

    @property
    def lastspike(self):
        """Time of each neuron's last spike (-inf if none); valid after a run."""
        steps = self._lastspike.astype(np.float64)
        steps[self._lastspike == _NEVER] = -np.inf
        return units.from_si(steps * getattr(self, "_dt", np.nan), _BUILTIN_DIMS["t"])

    # --- state for store()/restore() -----------------------------------------------
    def _state(self) -> dict[str, np.ndarray]:
        state = {f"var:{k}": v for k, v in self._arrays.items()}
        state.update(lastspike=self._lastspike, spikes=self._spikes, nspikes=self._nspikes)
        return state

    def _set_state(self, state: Mapping[str, np.ndarray]) -> None:
        for key, value in state.items():
            if key.startswith("var:"):
                self._arrays[key[4:]][:] = value
        self._lastspike[:] = state["lastspike"]
        self._spikes[:] = state["spikes"]
        self._nspikes[:] = state["nspikes"]

    # --- code generation ------------------------------------------------------------
    def _contribute(self, builder, index: int, dt: float) -> None:
        """Describe arrays and operations to the network's module builder."""
        self._dt = dt
        self._check_held_functions(dt)
        prefix = f"_g{index}"
        names = self._declare_variables(builder, prefix)
        group = SimpleNamespace(
            # The label names the type and slot, never the user's name: a comment that
            # changed with the name would change the source and force a recompile.
            label=f"{type(self).__name__} {prefix}", N=f"{prefix}_N",
            lastspike=builder.array(f"{prefix}_lastspike", lambda: self._lastspike, np.int64),
            refsteps=builder.int_scalar(f"{prefix}_refsteps", lambda: self._refractory_steps()))
        spikes = SimpleNamespace(
            array=builder.array(f"{prefix}_spikes", lambda: self._spikes, np.int32),
            count=builder.counter(f"{prefix}_nspikes", lambda: self._nspikes))
        user_functions = self._declare_functions(builder)
        refractory = self.refractory is not None
        if not refractory:
            names["not_refractory"] = "1.0"
        fill = _filler(prefix, refractory, [user_functions[name]
                                            for name in self._record["functions"]])
        self._code = SimpleNamespace(prefix=prefix, spikes=spikes, names=names, group=group,
                                     user_functions=user_functions, fill=fill)
        code = self._record["code"][builder.backend]
        update = code["stateupdate"]
        if update is not None:
            builder.add("groups", "stateupdate", op=builder.next_op(), group=group,
                        lines=[fill(line) for line in update["lines"]],
                        temporaries=update["temporaries"], uses_random=update["uses_random"],
                        refractory=refractory)
        if code["threshold"] is not None:
            builder.add("thresholds", "threshold", op=builder.next_op(), group=group,
                        condition=fill(code["threshold"]["condition"]),
                        uses_random=code["threshold"]["uses_random"],
                        refractory=refractory, spikes=spikes)
        if code["reset"] is not None:
            builder.add("resets", "reset", op=builder.next_op(), group=group,
                        lines=[fill(line) for line in code["reset"]["lines"]],
                        temporaries=code["reset"]["temporaries"],
                        uses_random=code["reset"]["uses_random"], spikes=spikes)

    def _monitor_expression(self, var: str, builder) -> str:
        """How ``var`` of neuron ``_i`` is written in the module (after ``_contribute``)."""
        return self._code.fill(self._record["code"][builder.backend]["records"][var])

    def _declare_variables(self, builder, prefix: str) -> dict[str, str]:
        names: dict[str, str] = {}
        for var in self._arrays:
            cname = builder.array(variable_cname(prefix, var), lambda var=var: self._arrays[var])
            names[var] = f"{cname}[0]" if var in self._shared else f"{cname}[_i]"
        for const in self._constants.values():
            names[const.name] = builder.scalar(constant_cname(prefix, const.name),
                                               lambda c=const: c.value)
        builder.int_scalar(f"{prefix}_N", lambda: self.N)
        names["N"] = builder.as_double(f"{prefix}_N")
        names["i"] = builder.index_name()
        return names

    def _check_held_functions(self, dt: float) -> None:
        """``exact`` took each TimedArray as constant over a step: true only on its grid."""
        if self.method != "exact":
            return
        for name, function in self._functions.items():
            if hasattr(function, "holds_over_step") and not function.holds_over_step(dt):
                raise InvalidValueError(
                    f"{self.name!r} is integrated with method 'exact', which takes "
                    f"{name}(t) as constant over each step, but {name} changes every "
                    f"{function.dt * 1e3:g} ms, which is not a multiple of dt = "
                    f"{dt * 1e3:g} ms",
                    hint=f"give {name} a dt that is a multiple of the simulation's dt, or "
                         f"use method='rk4'")

    def _declare_functions(self, builder) -> dict[str, str]:
        return {name: function._declare(builder) for name, function in self._functions.items()}

    def _refractory_steps(self) -> int:
        if self.refractory is None:
            return 0
        return int(round(self.refractory / self._dt))

    def _state_arrays_to_check(self) -> dict[str, np.ndarray]:
        differential = self._record["differential"]
        return {name: array for name, array in self._arrays.items() if name in differential}


class Subgroup(VariableAccess):
    """Neurons ``start`` to ``stop - 1`` of a group: a view, for setting values,
    monitoring and connecting (``G[:800]``)."""

    def __init__(self, parent: NeuronGroup, start: int, stop: int):
        object.__setattr__(self, "_owner", parent)
        object.__setattr__(self, "_slice", slice(start, stop))
        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "stop", stop)
        object.__setattr__(self, "N", stop - start)
        object.__setattr__(self, "name", f"{parent.name}[{start}:{stop}]")
        self._accept_variables()

    def __len__(self) -> int:
        return self.N

    def __repr__(self) -> str:
        return f"Subgroup({self.name})"


def source_range(group) -> tuple[NeuronGroup, int, int]:
    """``(group, start, stop)`` for a group or a subgroup."""
    if isinstance(group, Subgroup):
        return group.parent, group.start, group.stop
    return group, 0, group.N


# --- helpers ------------------------------------------------------------------------
def _check_size(N: Any) -> int:
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 1:
        raise InvalidValueError(f"the number of neurons must be a positive integer, not {N!r}")
    return int(N)


def _check_refractory(refractory: Any) -> float | None:
    if refractory is None or (not units.is_quantity(refractory) and refractory == 0):
        return None
    if isinstance(refractory, str):
        raise InvalidValueError("refractory must be a duration such as 2*ms; conditions as "
                                "strings are not supported yet")
    value, dim = units.to_si(refractory)
    if dim != _BUILTIN_DIMS["t"]:
        raise DimensionMismatchError(
            f"refractory must be a time, but has unit {units.format_dimension(dim)}",
            hint="write it like refractory=2*ms")
    if np.ndim(value) != 0 or value < 0:
        raise InvalidValueError("refractory must be a single non-negative duration")
    return float(value) if value > 0 else None


def _unpack_model(model, threshold, reset, refractory, method, namespace):
    """A built-in model supplies defaults; explicit arguments win."""
    if isinstance(model, str) or _is_equations(model):
        return model, threshold, reset, refractory, method, namespace
    if not hasattr(model, "equations"):
        raise InvalidValueError(
            f"model must be an equation string, an Equations object or a built-in model, "
            f"not {type(model).__name__}")
    merged = dict(getattr(model, "namespace", None) or {})
    merged.update(namespace or {})
    return (model.equations,
            threshold if threshold is not None else getattr(model, "threshold", None),
            reset if reset is not None else getattr(model, "reset", None),
            refractory if refractory is not None else getattr(model, "refractory", None),
            method if method is not None else getattr(model, "method", None),
            merged)


def _is_equations(value) -> bool:
    # an Equations object exists only if its module (and so SymPy) was imported
    module = sys.modules.get("eqsnn.equations.model")
    return module is not None and isinstance(value, module.Equations)


def _build_key(model, threshold, reset, method, namespace) -> str | None:
    """The build-cache entry of a group made from these strings (``None``: not cached,
    e.g. for an :class:`~eqsnn.equations.Equations` object, which holds SymPy already).

    The refractory period is not part of it: it only decides how ``@NR@`` is filled.
    """
    if not isinstance(model, str) or not all(
            x is None or isinstance(x, str) for x in (threshold, reset, method)):
        return None
    return build_cache.key("NeuronGroup", [model, threshold, reset, method,
                                           build_cache.namespace_signature(namespace)])


def _filler(prefix: str, refractory: bool, function_names: list[str]):
    """Fill the placeholders of a record's printed code (see the module header)."""
    replacements = [(PREFIX, prefix), (NOT_REFRACTORY, "not_refractory" if refractory else "1.0")]
    replacements += [(function_token(k), name) for k, name in enumerate(function_names)]

    def fill(text: str) -> str:
        if "@" in text:
            for token, value in replacements:
                text = text.replace(token, value)
        return text
    return fill


# --- SymPy helpers, kept here for the synapses (they import SymPy only when called) ---
def _free_names(expr) -> set[str]:
    return {s.name for s in expr.free_symbols}


def _resolve_functions(equations, namespace: Mapping[str, Any]) -> dict[str, Any]:
    from eqsnn.runtime.neuron_derivation import resolve_functions
    return resolve_functions(equations, namespace)


def _temporaries(statements) -> list[str]:
    from eqsnn.runtime.neuron_derivation import temporaries
    return temporaries(statements)


def _uses_random(exprs) -> bool:
    from eqsnn.runtime.neuron_derivation import uses_random
    return uses_random(exprs)
