"""Synapses: connectivity, per-synapse variables, delays, event code and summed inputs,
all run inside the network's one compiled loop.

Synapses are stored in the order they were created (so ``S.w = array`` after
``connect(i=..., j=...)`` lines up with the pairs given). Each pathway (``pre``: source
spikes run ``on_pre``; ``post``: target spikes run ``on_post``) keeps its own index,
sorted by sending neuron and then by delay (see :mod:`eqsnn.runtime.synapse_code`), so
the loop visits exactly the synapses whose spike arrives at this step.

Names in synaptic strings: synaptic variables (``w``), ``x_pre`` / ``x_post`` for
variables of the source / target neurons (an unsuffixed name that is not synaptic means
the target's variable, as in Brian2), ``i`` / ``j`` for the source / target index,
``N_pre`` / ``N_post``, ``t``, ``dt``, ``lastupdate`` (time of the synapse's last
event), and constants from the namespace.
"""
from __future__ import annotations

import time
from typing import Any, Mapping

import numpy as np
from sympy.codegen.ast import Assignment

from eqsnn import units
from eqsnn.equations import check_dimensions, parse_equations, parse_expression, parse_statements
from eqsnn.equations.symbols import DT, symbol
from eqsnn.errors import (DimensionMismatchError, InvalidValueError, SourceSpan,
                          UnknownNameError)
from eqsnn.runtime import connect as connectivity
from eqsnn.runtime.groups import _BUILTIN_DIMS, _default_name, _resolve_functions, source_range
from eqsnn.runtime.namespace import Constant, find_span, resolve_names
from eqsnn.runtime.variables import VariableAccess, convert_value

__all__ = ["Synapses", "Pathway"]

_SECOND = _BUILTIN_DIMS["t"]
_ONE = units.DIMENSIONLESS
_SPECIAL_DIMS = {"t": _SECOND, "dt": _SECOND, "i": _ONE, "j": _ONE, "N_pre": _ONE,
                 "N_post": _ONE, "lastupdate": _SECOND}
# Attribute names of Synapses that a model variable would hide.
_TAKEN = {"delay", "pre", "post", "lastupdate", "source", "target", "model", "name",
          "equations", "namespace", "summed", "connect"}
_MAX_SYNAPSES = 2**31 - 1  # indices are int32 in the compiled loop


def neuron_arrays(group) -> dict[str, np.ndarray]:
    """State arrays of a group (none for a spike generator)."""
    return getattr(group, "_arrays", {})


def neuron_dims(group) -> dict[str, Any]:
    return getattr(group, "_dims", {})


class Pathway:
    """One direction of a synapse: spikes of its ``sender`` (the source for ``pre``,
    the target for ``post``) run ``statements`` on each synapse after its delay."""

    def __init__(self, synapses: "Synapses", name: str, delay: float):
        self._syn = synapses
        self.name = name
        self.statements: tuple[Assignment, ...] = ()
        self._default = delay
        self._delay = np.zeros(0)

    @property
    def delay(self):
        """The delay of each synapse on this pathway (one value per synapse)."""
        return units.from_si(self._delay.copy(), _SECOND)

    @property
    def delay_(self) -> np.ndarray:
        """The delays in seconds, without units (a copy)."""
        return self._delay.copy()

    @delay.setter
    def delay(self, value: Any) -> None:
        syn = self._syn
        if isinstance(value, str):
            values = syn._evaluate_string(value, "delay", _SECOND)
        else:
            values = convert_value("delay", value, _SECOND, (syn.N,))
            if np.ndim(units.to_si(value)[0]) == 0:
                self._default = float(np.asarray(units.to_si(value)[0]))
        if np.any(values < 0) or not np.all(np.isfinite(values)):
            raise InvalidValueError(f"delays must be finite and not negative (the {self.name} "
                                    f"pathway of {syn.name!r})")
        self._delay = np.array(values, dtype=np.float64)
        syn._structure_version += 1

    def __repr__(self) -> str:
        return f"Pathway({self.name!r} of {self._syn.name!r})"


class Synapses(VariableAccess):
    """Connections from ``source`` to ``target`` with their own model.

    Parameters
    ----------
    source, target
        Groups or subgroups (``target`` defaults to ``source``).
    model
        Equation string of synaptic variables: parameters (``w : volt``), clock-driven
        ODEs, ``(event-driven)`` ODEs (advanced exactly at the synapse's own events, as
        STDP traces need) and ``(summed)`` subexpressions that set a target parameter
        every step (``I_syn_post = g*(E - v_post) : amp (summed)``); or a built-in
        synapse model from :mod:`eqsnn.models.synapses` / :mod:`eqsnn.models.stdp`.
    on_pre, on_post
        Statements run when a source spike arrives (after the delay) / when a target
        spike arrives, e.g. ``"v_post += w"``.
    delay
        Delay of the ``on_pre`` pathway for all synapses, or ``{"pre": ..., "post": ...}``.
        Per-synapse delays are set after connecting: ``S.delay = "2*ms*rand()"`` (the
        ``pre`` pathway) or ``S.post.delay = ...``. Delays are rounded to the time step.
    method
        Integration method for clock-driven synaptic equations.
    namespace
        Constants used in the strings.
    name, seed
        A name for messages; the seed of ``connect`` and string initialisers.
    """

    _kind = "synapses"

    def __init__(self, source: Any, target: Any = None, model: Any = "", *,
                 on_pre: str | None = None, on_post: str | None = None, delay: Any = None,
                 method: str | None = None, namespace: Mapping[str, Any] | None = None,
                 name: str | None = None, seed: int | None = None):
        started = time.perf_counter()
        object.__setattr__(self, "_owner", self)
        object.__setattr__(self, "_slice", slice(None))
        target = source if target is None else target
        self.source, self.target = source, target
        self.pre_group, self.pre_start, self.pre_stop = _range(source, "source")
        self.post_group, self.post_start, self.post_stop = _range(target, "target")
        self.name = name or _default_name("synapses")
        model, on_pre, on_post, namespace, method, initial = _unpack_synapse_model(
            model, on_pre, on_post, namespace, method)
        self.model = model
        self.equations = parse_equations(model or "")
        self._rng = np.random.default_rng(seed)
        self._structure_version = 0
        self._init_storage()
        self._namespace = dict(namespace or {})  # also for initialisers and conditions
        self._resolve(self._namespace, on_pre, on_post)
        delays = _delays(delay)
        self._advance = self._advance_event_driven()
        self.pre = Pathway(self, "pre", delays["pre"])
        self.post = Pathway(self, "post", delays["post"])
        self.pre.statements = self._event_code(on_pre, "on_pre")
        self.post.statements = self._event_code(on_post, "on_post")
        self.state_update = self._integrate_clock_driven(method)
        self.summed = self._summed_variables()
        self._initial = dict(initial)
        self.timing = {"build_seconds": time.perf_counter() - started}
        self._accept_variables()

    # --- construction -------------------------------------------------------------------
    def _init_storage(self) -> None:
        eqs = self.equations
        self._dims: dict[str, Any] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._event_driven = [n for n, e in eqs.differential.items() if "event-driven" in e.flags]
        for entry in list(eqs.differential.values()) + list(eqs.parameters.values()):
            if "shared" in entry.flags or "summed" in entry.flags:
                flag = "shared" if "shared" in entry.flags else "summed"
                raise InvalidValueError(
                    f"the flag ({flag}) on the synaptic variable {entry.name!r} is not "
                    f"supported", span=eqs.span(entry.name),
                    hint="(summed) goes on a subexpression: 'I_post = w*g : amp (summed)'")
            if entry.name in _TAKEN or entry.name.endswith(("_pre", "_post")):
                raise InvalidValueError(
                    f"{entry.name!r} cannot be the name of a synaptic variable: "
                    f"{'it is taken by Synapses itself' if entry.name in _TAKEN else 'the suffixes _pre and _post refer to neuron variables'}",
                    span=eqs.span(entry.name), hint="choose another name")
            self._arrays[entry.name] = np.zeros(0)
            self._dims[entry.name] = entry.dim
        for entry in eqs.subexpressions.values():
            if "summed" not in entry.flags:
                self._dims[entry.name] = entry.dim
        self._pre = np.zeros(0, dtype=np.int32)
        self._post = np.zeros(0, dtype=np.int32)
        self._lastupdate = np.zeros(0)

    def _neuron_dims(self) -> dict[str, Any]:
        dims = {}
        for name, dim in neuron_dims(self.pre_group).items():
            dims[f"{name}_pre"] = dim
        for name, dim in neuron_dims(self.post_group).items():
            dims[f"{name}_post"] = dim
            dims.setdefault(name, dim)  # unsuffixed: the target's variable
        return dims

    def _resolve(self, namespace: Mapping[str, Any], on_pre, on_post) -> None:
        """Parse the event code and resolve every external name of all strings together."""
        neuron = self._neuron_dims()
        summed = {n: e.dim for n, e in self.equations.subexpressions.items() if "summed" in e.flags}
        defined = set(self._dims) | set(_SPECIAL_DIMS) | set(neuron) | set(summed) | {"N"}
        source = "\n".join(filter(None, [self.equations.source, on_pre, on_post]))
        used = set(self.equations.external_names)
        self._parsed_events = {}
        for label, text in (("on_pre", on_pre), ("on_post", on_post)):
            if text is None:
                continue
            if not isinstance(text, str):
                raise InvalidValueError(f"{label} must be a string of statements such as "
                                        f"'v_post += w', not {type(text).__name__}")
            self._parsed_events[label] = parse_statements(text, label=label)
            for statement in self._parsed_events[label]:
                # (targets are checked by _event_code, with a message of their own)
                used |= {s.name for s in statement.expr.free_symbols}
                if statement.target.endswith(("_pre", "_post")):
                    used.add(statement.target)
        self._check_suffixes(used, source)
        resolved = resolve_names(used - defined, namespace, source=source,
                                 label="synapse model", known=list(self._dims) + list(neuron))
        resolved.update(_resolve_functions(self.equations, namespace))
        self._constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self._functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}
        dims = {name: c.dim for name, c in self._constants.items()}
        dims.update(_SPECIAL_DIMS)
        dims.update(neuron)
        dims.update(self._dims)
        dims.update(summed)
        self.equations.check_units(dims)
        self._all_dims = dims

    def _check_suffixes(self, used: set[str], source: str) -> None:
        """``x_pre`` / ``x_post`` must name a variable of the source / target group."""
        for name in sorted(used):
            for suffix, group, role in (("_pre", self.pre_group, "source"),
                                        ("_post", self.post_group, "target")):
                base = name[: -len(suffix)]
                if not name.endswith(suffix) or not base or base in neuron_dims(group):
                    continue
                if name in self.equations.subexpressions:  # a summed variable's name
                    continue
                names = sorted(neuron_dims(group))
                raise UnknownNameError(
                    f"{name!r} refers to a variable {base!r} of the {role} group "
                    f"{group.name!r}, which has no such variable",
                    span=find_span(source, name, "synapse model"),
                    hint=f"the variables of {group.name!r} are {names}" if names else
                    f"{group.name!r} has no variables (it only emits spikes)")

    def _event_code(self, text: str | None, label: str) -> tuple[Assignment, ...]:
        """``on_pre``/``on_post`` as assignments, after advancing event-driven variables."""
        if text is None:
            return ()
        writable = set(self._arrays)
        writable |= {f"{v}_pre" for v in neuron_arrays(self.pre_group)}
        writable |= {f"{v}_post" for v in neuron_arrays(self.post_group)}
        writable |= set(neuron_arrays(self.post_group))
        assignments = []
        for statement in self._parsed_events[label]:
            target = statement.target
            if target not in writable:
                raise UnknownNameError(
                    f"{label} assigns to {target!r}, which is neither a synaptic variable nor "
                    f"a state variable of the source or target group", span=statement.span,
                    hint=f"synaptic variables: {sorted(self._arrays)}; neuron variables are "
                         f"written with a suffix, e.g. v_post += w")
            if target not in self._arrays and not target.endswith(("_pre", "_post")):
                target = f"{target}_post"
            expr = self.equations.substitute(statement.expr)
            dim = check_dimensions(expr, self._all_dims, span=statement.span)
            want = _ONE if statement.op in ("*=", "/=") else self._all_dims[target]
            if dim != want:
                raise DimensionMismatchError(
                    f"{label}: '{statement.target} {statement.op} …' needs a value with unit "
                    f"{units.format_dimension(want)}, but the right-hand side has unit "
                    f"{units.format_dimension(dim)}", span=statement.span)
            lhs = symbol(target)
            rhs = {"=": expr, "+=": lhs + expr, "-=": lhs - expr, "*=": lhs * expr,
                   "/=": lhs / expr}[statement.op]
            assignments.append(Assignment(lhs, self._implicit_post(rhs)))
        return self._advance + tuple(assignments)

    def _advance_event_driven(self) -> tuple[Assignment, ...]:
        """Exact update of event-driven variables over the time since their last event."""
        if not self._event_driven:
            return ()
        from eqsnn.integrators import OdeSystem, integrate
        allowed = set(self._event_driven) | set(self._constants) | {"t"}
        rhs = {}
        for name in self._event_driven:
            rhs[name] = self.equations.rhs(name)
            foreign = sorted({s.name for s in rhs[name].free_symbols} - allowed)
            if foreign:
                raise InvalidValueError(
                    f"the event-driven equation of {name!r} uses {', '.join(foreign)}; an "
                    f"event-driven variable may depend only on event-driven variables and "
                    f"constants, since it is only updated at the synapse's events",
                    span=self.equations.span(name), hint="drop the (event-driven) flag to "
                    "integrate it every time step (clock-driven)")
        update = integrate(OdeSystem.from_rhs(rhs), "exact")
        elapsed = symbol("t") - symbol("lastupdate")
        return tuple(Assignment(s.lhs, s.rhs.xreplace({DT: elapsed})) for s in update.statements)

    def _integrate_clock_driven(self, method):
        clock = [n for n in self.equations.differential if n not in self._event_driven]
        if not clock:
            return None
        from eqsnn.integrators import OdeSystem, integrate
        system = OdeSystem.from_rhs({name: self._implicit_post(self.equations.rhs(name))
                                     for name in clock})
        return integrate(system, method)

    def _summed_variables(self) -> list[tuple[str, Any]]:
        summed = []
        post_eqs = getattr(self.post_group, "equations", None)
        for name, entry in self.equations.subexpressions.items():
            if "summed" not in entry.flags:
                continue
            base = name[:-5] if name.endswith("_post") else name
            span = self.equations.span(name)
            if post_eqs is None or base not in post_eqs.parameters \
                    or base in getattr(self.post_group, "_shared", ()):
                raise InvalidValueError(
                    f"the summed variable {name!r} must name a parameter of the target group "
                    f"{self.post_group.name!r} with the _post suffix", span=span,
                    hint=f"declare '{base} : <unit>' in the target's equations and write "
                         f"{base}_post here")
            if self.post_group._dims[base] != entry.dim:
                raise DimensionMismatchError(
                    f"{name} has unit {units.format_dimension(entry.dim)} but {base} of the "
                    f"target has unit {units.format_dimension(self.post_group._dims[base])}",
                    span=span)
            summed.append((base, self._implicit_post(self.equations.substitute(entry.expr))))
        return summed

    def _implicit_post(self, expr):
        """Rename unsuffixed names of target variables to their ``_post`` form."""
        mapping = {s: symbol(f"{s.name}_post") for s in expr.free_symbols
                   if s.name not in self._dims and s.name in neuron_dims(self.post_group)
                   and s.name not in _SPECIAL_DIMS}
        return expr.xreplace(mapping) if mapping else expr

    # --- connecting ---------------------------------------------------------------------
    def connect(self, condition: str | bool | None = None, *, i: Any = None, j: Any = None,
                p: float | str = 1.0, fixed_in: int | None = None) -> None:
        """Create synapses (may be called several times; synapses accumulate).

        * ``connect()``: all to all; ``connect(j="i")``: one to one;
        * ``connect(i=[...], j=[...])``: explicit pairs (one of them may be a scalar);
        * ``connect(condition="i != j", p=0.1)``: every pair meeting the condition, each
          with probability ``p`` (a number or an expression of ``i``, ``j`` and neuron
          variables with ``_pre``/``_post``);
        * ``connect(fixed_in=K)``: ``K`` distinct random sources for every target
          (with ``condition``: ``K`` among the sources meeting it, or all if fewer).

        Indices are relative to the source and target (sub)groups.
        """
        pre, post = connectivity.pairs(self, condition, i=i, j=j, p=p, fixed_in=fixed_in)
        if self.N + pre.size > _MAX_SYNAPSES:
            raise InvalidValueError(f"{self.name!r} would hold {self.N + pre.size} synapses; "
                                    f"one Synapses object holds at most {_MAX_SYNAPSES}")
        self._add_synapses(pre + self.pre_start, post + self.post_start)

    def _add_synapses(self, pre: np.ndarray, post: np.ndarray) -> None:
        n_new = pre.size
        first = self.N
        self._pre = np.concatenate([self._pre, pre.astype(np.int32)])
        self._post = np.concatenate([self._post, post.astype(np.int32)])
        for name in self._arrays:
            self._arrays[name] = np.concatenate([self._arrays[name], np.zeros(n_new)])
        self._lastupdate = np.concatenate([self._lastupdate, np.zeros(n_new)])
        for path in (self.pre, self.post):
            path._delay = np.concatenate([path._delay, np.full(n_new, path._default)])
        self._structure_version += 1
        for var, value in self._initial.items():  # a built-in model's initial values
            if n_new:
                self._write(var, value, slice(first, None))

    @property
    def N(self) -> int:
        """The number of synapses."""
        return int(self._pre.size)

    def __len__(self) -> int:
        return self.N

    @property
    def i(self) -> np.ndarray:
        """Source index of each synapse (relative to the source group)."""
        return self._pre.astype(np.int64) - self.pre_start

    @property
    def j(self) -> np.ndarray:
        """Target index of each synapse (relative to the target group)."""
        return self._post.astype(np.int64) - self.post_start

    @property
    def delay(self):
        """The delay of each synapse's ``on_pre`` pathway (same as ``S.pre.delay``)."""
        return self.pre.delay

    @delay.setter
    def delay(self, value: Any) -> None:
        self.pre.delay = value

    @property
    def delay_(self) -> np.ndarray:
        """The ``on_pre`` delays in seconds, without units."""
        return self.pre.delay_

    def memory_bytes(self) -> int:
        """Bytes held for these synapses: indices, variables, delays and the
        propagation structures of the loop (built for the network's dt, 0.1 ms before
        the first run)."""
        from eqsnn.runtime.synapse_code import structure_bytes
        total = self._pre.nbytes + self._post.nbytes + self._lastupdate.nbytes
        total += self.pre._delay.nbytes + self.post._delay.nbytes
        total += sum(array.nbytes for array in self._arrays.values())
        return total + structure_bytes(self, getattr(self, "_dt", 1e-4))

    # --- variables ----------------------------------------------------------------------
    def _read(self, var: str, part: slice) -> np.ndarray:
        if var in self._arrays:
            return self._arrays[var][part]
        return self._evaluate(self._implicit_post(self.equations.substitute(symbol(var))))[part]

    def _write(self, var: str, value: Any, part: slice, *, raw: bool = False) -> None:
        view = self._arrays[var][part]
        if isinstance(value, str):
            view[:] = self._evaluate_string(value, var, self._dims[var])[part]
        else:
            view[:] = convert_value(var, value, self._dims[var], view.shape, raw=raw)

    def _evaluate_string(self, text: str, var: str, dim) -> np.ndarray:
        label = f"value of {var}"
        parsed = parse_expression(text, label=label)
        names = {s.name for s in parsed.expr.free_symbols}
        self._check_suffixes(names, text)
        extra = resolve_names(names - set(self._all_dims), self._namespace, source=text,
                              label=label, known=list(self._dims))
        dims = {**self._all_dims, **{k: c.dim for k, c in extra.items()}}
        span = SourceSpan(text, 1, 0, len(text), label)
        expr = self.equations.substitute(parsed.expr)
        got = check_dimensions(expr, dims, span=span)
        if got != dim:
            raise DimensionMismatchError(
                f"{var} has unit {units.format_dimension(dim)}, but {text!r} has unit "
                f"{units.format_dimension(got)}", span=span)
        return self._evaluate(self._implicit_post(expr), extra)

    def _evaluate(self, expr, extra: Mapping[str, Constant] = ()) -> np.ndarray:
        from eqsnn.runtime.evaluate import evaluate
        values: dict[str, Any] = {name: c.value for name, c in self._constants.items()}
        values.update({name: c.value for name, c in dict(extra).items()})
        values.update(self._arrays)
        for suffix, group, index in (("_pre", self.pre_group, self._pre),
                                     ("_post", self.post_group, self._post)):
            for name, array in neuron_arrays(group).items():
                values[name + suffix] = array[0] if name in getattr(group, "_shared", ()) \
                    else array[index]
        values.update(i=self.i.astype(np.float64), j=self.j.astype(np.float64), t=0.0,
                      lastupdate=self._lastupdate, N_pre=float(self.pre_stop - self.pre_start),
                      N_post=float(self.post_stop - self.post_start))
        functions = {name: f.evaluate for name, f in self._functions.items()}
        return evaluate(expr, values, size=self.N, rng=self._rng, functions=functions)

    # --- state for store()/restore() ---------------------------------------------------
    def _state(self) -> dict[str, np.ndarray]:
        state = {f"var:{k}": v for k, v in self._arrays.items()}
        state.update({"lastupdate": self._lastupdate, "pre_index": self._pre,
                      "post_index": self._post, "delay:pre": self.pre._delay,
                      "delay:post": self.post._delay})
        for path, ring in getattr(self, "_rings", {}).items():
            state[f"ring:{path}:spikes"], state[f"ring:{path}:n"] = ring["spikes"], ring["n"]
        return state

    def _set_state(self, state: Mapping[str, np.ndarray]) -> None:
        # Copies: the stored arrays must survive the runs after a restore.
        resized = state["pre_index"].size != self.N
        self._arrays = {key[4:]: value.copy() for key, value in state.items()
                        if key.startswith("var:")}
        self._lastupdate = state["lastupdate"].copy()
        self._pre, self._post = state["pre_index"].copy(), state["post_index"].copy()
        self.pre._delay, self.post._delay = state["delay:pre"].copy(), state["delay:post"].copy()
        self._structure_version += 1
        rings = {}
        for key, value in state.items():
            if key.startswith("ring:"):
                _, path, part = key.split(":")
                rings.setdefault(path, {})[part] = value.copy()
        self._rings = rings
        if resized:
            self._propagation = {}

    def _dependencies(self):
        return [self.pre_group, self.post_group]

    def _state_arrays_to_check(self) -> dict[str, np.ndarray]:
        return {name: self._arrays[name] for name in self.equations.differential}

    def __repr__(self) -> str:
        n = len(self.__dict__.get("_pre", ()))  # safe while __init__ is still running
        pre, post = self.__dict__.get("pre_group"), self.__dict__.get("post_group")
        return (f"Synapses({getattr(pre, 'name', '?')} → {getattr(post, 'name', '?')}, "
                f"{n} synapses, name={self.__dict__.get('name')!r})")

    # --- code generation ----------------------------------------------------------------
    def _contribute(self, builder, index: int, dt: float) -> None:
        from eqsnn.runtime.synapse_code import contribute
        contribute(self, builder, index, dt)


def _range(group: Any, role: str):
    if not hasattr(group, "N") or not hasattr(group, "name"):
        raise InvalidValueError(f"the {role} of a Synapses object must be a group of neurons, "
                                f"not {type(group).__name__}")
    return source_range(group)


def _delays(delay: Any) -> dict[str, float]:
    """``delay=`` as ``{"pre": seconds, "post": seconds}``."""
    given = delay if isinstance(delay, Mapping) else {"pre": delay}
    unknown = set(given) - {"pre", "post"}
    if unknown:
        raise InvalidValueError(f"delay={{...}} takes the keys 'pre' and 'post', not "
                                f"{sorted(unknown)}")
    result = {}
    for path in ("pre", "post"):
        value = given.get(path)
        if value is None:
            result[path] = 0.0
            continue
        if isinstance(value, str):
            raise InvalidValueError("delay= takes one duration; set per-synapse delays after "
                                    f"connect(): S.{path}.delay = {value!r}")
        magnitude, dim = units.to_si(value)
        if dim != _SECOND or np.ndim(magnitude) != 0 or not 0 <= magnitude < np.inf:
            raise InvalidValueError(
                f"delay must be one non-negative duration such as 1*ms, not {value}",
                hint="set per-synapse delays after connect(): S.delay = array or string")
        result[path] = float(magnitude)
    return result


def _unpack_synapse_model(model, on_pre, on_post, namespace, method):
    """A built-in synapse model (e.g. an STDP rule) supplies defaults; arguments win."""
    if model is None or isinstance(model, str) or not hasattr(model, "equations"):
        if model is not None and not isinstance(model, str):
            from eqsnn.equations import Equations
            if not isinstance(model, Equations):
                raise InvalidValueError(
                    f"model must be an equation string or a built-in synapse model, not "
                    f"{type(model).__name__}")
        return model, on_pre, on_post, namespace, method, {}
    merged = dict(getattr(model, "namespace", None) or {})
    merged.update(namespace or {})
    return (model.equations,
            on_pre if on_pre is not None else getattr(model, "on_pre", None),
            on_post if on_post is not None else getattr(model, "on_post", None),
            merged, method if method is not None else getattr(model, "method", None),
            getattr(model, "initial", {}) or {})
