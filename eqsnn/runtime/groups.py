"""Neuron groups: a model's equations, threshold, reset and refractoriness for N neurons.

A group turns its strings into SymPy once, at creation (parse, resolve names, check
units, discretise), so every mistake is reported where the user wrote it. At run time
it only describes its arrays and operations to the network's module builder.
"""
from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any, Mapping

import numpy as np
import sympy
from sympy.codegen.ast import Assignment

from eqsnn import units
from eqsnn.equations import Equations, parse_equations, parse_expression, parse_statements
from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol
from eqsnn.errors import (DimensionMismatchError, InvalidValueError, SourceSpan,
                          UnknownNameError)
from eqsnn.runtime.evaluate import evaluate
from eqsnn.runtime.namespace import Constant, resolve_names
from eqsnn.runtime.variables import VariableAccess, convert_value

__all__ = ["NeuronGroup", "Subgroup"]

_NEVER = -(2**62)  # "last spike" of a neuron that never spiked, in steps
_BUILTIN_NAMES = {"t", "dt", "i", "N", "not_refractory"}
_BUILTIN_DIMS = {"t": (1 * units.ureg.second).dimensionality,
                 "dt": (1 * units.ureg.second).dimensionality,
                 "i": units.DIMENSIONLESS, "N": units.DIMENSIONLESS,
                 "not_refractory": units.DIMENSIONLESS}
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
        ``refractory``, ``namespace``, ``method``).
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
        model, threshold, reset, refractory, method, namespace = _unpack_model(
            model, threshold, reset, refractory, method, namespace)
        self.model = model
        self.equations = model if isinstance(model, Equations) else parse_equations(model)
        self._init_storage()
        self._resolve(namespace or {}, threshold, reset)
        self.threshold = self._parse_threshold(threshold)
        self.reset = self._parse_reset(reset)
        self.refractory = _check_refractory(refractory)
        self.method_requested = method
        self.state_update = self._integrate(method)
        self._rng = np.random.default_rng(seed)
        self.timing = {"build_seconds": time.perf_counter() - started}
        self._accept_variables()

    # --- construction ---------------------------------------------------------------
    def _init_storage(self) -> None:
        eqs = self.equations
        self._dims: dict[str, Any] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._shared: set[str] = set()
        for entry in list(eqs.differential.values()) + list(eqs.parameters.values()):
            if "shared" in entry.flags:
                self._shared.add(entry.name)
            size = 1 if entry.name in self._shared else self.N
            self._arrays[entry.name] = np.zeros(size, dtype=np.float64)
            self._dims[entry.name] = entry.dim
        for entry in eqs.subexpressions.values():
            self._dims[entry.name] = entry.dim
        self._lastspike = np.full(self.N, _NEVER, dtype=np.int64)
        self._spikes = np.zeros(self.N, dtype=np.int32)
        self._nspikes = np.zeros(1, dtype=np.int64)

    def _resolve(self, namespace: Mapping[str, Any], threshold, reset) -> None:
        """Resolve every external name of equations, threshold and reset together."""
        defined = set(self._dims) | _BUILTIN_NAMES
        used = set(self.equations.external_names) - defined
        self._threshold_parsed = None
        self._reset_parsed = ()
        if threshold is not None:
            self._threshold_parsed = parse_expression(threshold, label="threshold")
            used |= _free_names(self._threshold_parsed.expr) - defined
        if reset is not None:
            self._reset_parsed = parse_statements(reset, label="reset")
            for statement in self._reset_parsed:
                used |= _free_names(statement.expr) - defined
        source = "\n".join(filter(None, [self.equations.source, threshold, reset]))
        resolved = resolve_names(used, namespace, source=source, label="model",
                                 known=list(self._dims))
        resolved.update(_resolve_functions(self.equations, namespace))
        self.namespace = resolved
        self._constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self._functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}
        dims = {name: c.dim for name, c in self._constants.items()}
        dims.update(_BUILTIN_DIMS)
        self.equations.check_units({**dims, **{k: v for k, v in self._dims.items()}})
        self._all_dims = {**dims, **self._dims}

    def _parse_threshold(self, threshold: str | None):
        if threshold is None:
            return None
        from eqsnn.equations import check_dimensions
        parsed = self._threshold_parsed
        span = SourceSpan(threshold, 1, 0, len(threshold), "threshold")
        expr = self.equations.substitute(parsed.expr)
        check_dimensions(expr, self._all_dims, span=span)
        if not isinstance(expr, (sympy.core.relational.Relational, sympy.logic.boolalg.Boolean)):
            raise InvalidValueError(
                f"the threshold must be a condition, but {threshold!r} is a number",
                span=span, hint="compare it with something, e.g. 'v > -50*mV'")
        return expr

    def _parse_reset(self, reset: str | None) -> tuple[Assignment, ...]:
        if reset is None:
            return ()
        return tuple(self._statement_to_assignment(s, "reset") for s in self._reset_parsed)

    def _statement_to_assignment(self, statement, label: str) -> Assignment:
        from eqsnn.equations import check_dimensions
        target = statement.target
        if target not in self._arrays:
            hint = (f"{target!r} is a subexpression: assign to a state variable instead"
                    if target in self._dims else
                    f"the state variables are {sorted(self._arrays)}")
            raise UnknownNameError(f"the {label} assigns to {target!r}, which is not a "
                                   f"state variable of {self.name!r}",
                                   span=statement.span, hint=hint)
        expr = self.equations.substitute(statement.expr)
        dim = check_dimensions(expr, self._all_dims, span=statement.span)
        want = units.DIMENSIONLESS if statement.op in ("*=", "/=") else self._dims[target]
        if dim != want:
            raise DimensionMismatchError(
                f"the {label} statement '{target} {statement.op} …' needs a value with "
                f"unit {units.format_dimension(want)}, but the right-hand side has unit "
                f"{units.format_dimension(dim)}", span=statement.span)
        lhs = symbol(target)
        rhs = {"=": expr, "+=": lhs + expr, "-=": lhs - expr, "*=": lhs * expr,
               "/=": lhs / expr}[statement.op]
        return Assignment(lhs, rhs)

    def _integrate(self, method):
        if not self.equations.differential:
            return None
        from eqsnn.integrators import integrate
        held = [name for name, f in self._functions.items() if hasattr(f, "holds_over_step")]
        return integrate(self.equations, method, step_constant_functions=held)

    # --- variables --------------------------------------------------------------------
    def _read(self, var: str, part: slice) -> np.ndarray:
        if var in self._arrays:
            array = self._arrays[var]
            return array if var in self._shared else array[part]
        expr = self.equations.substitute(symbol(var))
        return self._evaluate(expr, part)

    def _write(self, var: str, value: Any, part: slice, *, raw: bool = False) -> None:
        array = self._arrays[var]
        view = array if var in self._shared else array[part]
        if isinstance(value, str):
            view[:] = self._evaluate_string(value, var, part)
        else:
            view[:] = convert_value(var, value, self._dims[var], view.shape, raw=raw)

    def _evaluate_string(self, text: str, var: str, part: slice) -> np.ndarray:
        from eqsnn.equations import check_dimensions
        label = f"value of {var}"
        parsed = parse_expression(text, label=label)
        names = _free_names(parsed.expr) - set(self._all_dims)
        extra = resolve_names(names, {}, source=text, label=label, known=list(self._dims))
        dims = {**self._all_dims, **{k: c.dim for k, c in extra.items()}}
        span = SourceSpan(text, 1, 0, len(text), label)
        expr = self.equations.substitute(parsed.expr)
        dim = check_dimensions(expr, dims, span=span)
        if dim != self._dims[var]:
            raise DimensionMismatchError(
                f"{var} has unit {units.format_dimension(self._dims[var])}, but {text!r} has "
                f"unit {units.format_dimension(dim)}", span=span)
        return self._evaluate(expr, part, extra)

    def _evaluate(self, expr, part: slice, extra: Mapping[str, Constant] = ()) -> np.ndarray:
        index = np.arange(self.N)[part]
        values: dict[str, Any] = {name: c.value for name, c in self._constants.items()}
        values.update({name: c.value for name, c in dict(extra).items()})
        for name, array in self._arrays.items():
            values[name] = array[0] if name in self._shared else array[part]
        values.update(i=index.astype(np.float64), N=float(self.N), t=0.0)
        functions = {name: f.evaluate for name, f in self._functions.items()}
        return evaluate(expr, values, size=index.size, rng=self._rng, functions=functions)

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
        return self.state_update.method if self.state_update else None

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
        self._code = SimpleNamespace(prefix=prefix, spikes=spikes, names=names, group=group,
                                     user_functions=user_functions)
        refractory = self.refractory is not None
        if not refractory:
            names["not_refractory"] = "1.0"
        if self.state_update is not None:
            statements = self.state_update.statements
            builder.add("groups", "stateupdate", op=builder.next_op(), group=group,
                        lines=builder.statements(statements, names, user_functions),
                        temporaries=_temporaries(statements),
                        uses_random=_uses_random(statements), refractory=refractory)
        self._contribute_spiking(builder, group, spikes, names, user_functions)

    def _contribute_spiking(self, builder, group, spikes, names, user_functions) -> None:
        if self.threshold is not None:
            builder.add("thresholds", "threshold", op=builder.next_op(), group=group,
                        condition=builder.expression(self.threshold, names, user_functions),
                        uses_random=_uses_random([self.threshold]),
                        refractory=self.refractory is not None, spikes=spikes)
        if self.reset:
            builder.add("resets", "reset", op=builder.next_op(), group=group,
                        lines=builder.statements(self.reset, names, user_functions),
                        temporaries=_temporaries(self.reset),
                        uses_random=_uses_random(self.reset), spikes=spikes)

    def _declare_variables(self, builder, prefix: str) -> dict[str, str]:
        names: dict[str, str] = {}
        # User names get an infix (v_ for variables, c_ for constants) that no internal
        # array uses, so a variable called 'n' or 'spikes' cannot clash with one.
        for var in self._arrays:
            cname = builder.array(f"{prefix}_v_{var}", lambda var=var: self._arrays[var])
            names[var] = f"{cname}[0]" if var in self._shared else f"{cname}[_i]"
        for const in self._constants.values():
            names[const.name] = builder.scalar(f"{prefix}_c_{const.name}",
                                               lambda c=const: c.value)
        builder.int_scalar(f"{prefix}_N", lambda: self.N)
        names["N"] = builder.as_double(f"{prefix}_N")
        names["i"] = builder.index_name()
        return names

    def _check_held_functions(self, dt: float) -> None:
        """``exact`` took each TimedArray as constant over a step: true only on its grid."""
        if self.state_update is None or self.state_update.method != "exact":
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
        return {name: array for name, array in self._arrays.items()
                if name in self.equations.differential}


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
    if isinstance(model, (str, Equations)):
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


def _free_names(expr) -> set[str]:
    return {s.name for s in expr.free_symbols}


def _resolve_functions(equations: Equations, namespace: Mapping[str, Any]) -> dict[str, Any]:
    functions = {}
    for name in getattr(equations, "external_functions", ()):
        value = namespace.get(name)
        if value is None or not hasattr(value, "_eqsnn_function"):
            from eqsnn.runtime.namespace import find_span
            raise UnknownNameError(
                f"unknown function {name!r}", span=find_span(equations.source, name, "equations"),
                hint=f"pass a TimedArray as namespace={{'{name}': ...}} or use a built-in "
                     f"function (exp, log, sqrt, sin, clip, exprel, …)")
        functions[name] = value
    return functions


def _temporaries(statements) -> list[str]:
    seen: list[str] = []
    for statement in statements:
        name = statement.lhs.name
        if name.startswith("_") and name not in seen:
            seen.append(name)
    return seen


def _uses_random(exprs) -> bool:
    return any(e.has(fn.rand, fn.randn) for e in exprs)

