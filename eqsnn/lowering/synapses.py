"""A Synapses object's strings → SymPy objects → a :class:`~eqsnn.lowering.records.SynapsesRecord`.

:class:`SynapseLowering` parses the model and the event statements, resolves and checks
names and units (``x_pre``/``x_post`` against the groups), derives the exact advance of
``(event-driven)`` variables and discretises the clock-driven ones — in that order, so
the first mistake is reported first. :meth:`SynapseLowering.record` prints every
operation with plain local names: ``w[_syn]`` for a synaptic variable, ``v_pre[_ipre]``
and ``v_post[_j]`` for variables of the source and target neurons.

A statement of a pathway that writes a neuron variable flagged ``(unless refractory)``
writes it only while that neuron is not refractory (Brian2's conditional write):
``v_post = v_post + w`` is lowered to ``v_post = (v_post + w if not_refractory_post
else v_post)``. ``not_refractory_pre`` / ``not_refractory_post`` (1 or 0) are built-in
names of pathway code, which its template defines from the neuron's refractoriness.
The pathways' statements are lowered by :mod:`eqsnn.lowering.synapse_pathways`.

The groups are seen through their records only (:class:`Side`, in
:mod:`eqsnn.lowering.synapse_names`), never as runtime objects. Strings evaluated per
synapse or per candidate pair are lowered by :mod:`eqsnn.lowering.synapse_strings`.
"""
from __future__ import annotations

from typing import Any, Mapping

from sympy.codegen.ast import Assignment
from sympy.core.function import AppliedUndef

from eqsnn import printers, units
from eqsnn.equations import parse_equations, parse_statements
from eqsnn.equations.shadowing import refuse_shadowed_builtins
from eqsnn.equations.symbols import DT, symbol
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.lowering import exponentials, printed, unit_folding
from eqsnn.lowering.names import NOT_REFRACTORY, local_names
from eqsnn.lowering.namespace import Constant, resolve_names
from eqsnn.lowering.pathway_texts import pathway_texts
from eqsnn.lowering.calls import check_calls
from eqsnn.lowering.user_functions import resolve_function_names, resolve_functions
from eqsnn.lowering import constant_over_dt
from eqsnn.lowering.types import check_model_truth_values, dtypes, refuse_per_element_shared
from eqsnn.lowering.records import Inputs, Method, Summed, SynapseCode, SynapsesRecord, \
    Variable
from eqsnn.lowering.synapse_names import (CONNECTIVITY_COUNTS, SPECIAL_DIMS, Side,
                                          boolean_names, check_suffixes, implicit_post,
                                          neuron_dims, refuse_linked)
from eqsnn.lowering.synapse_pathways import batch_kind, event_assignments
from eqsnn.lowering.synapse_strings import lower_string
from eqsnn.lowering.trees import to_tree

__all__ = ["SynapseLowering", "Side", "lower_string", "check_suffixes"]

_ONE = units.DIMENSIONLESS
# Attribute names of Synapses that a model variable would hide.
_TAKEN = {"delay", "pre", "post", "lastupdate", "source", "target", "model", "name",
          "equations", "namespace", "summed", "connect"}



class SynapseLowering:
    """Everything SymPy does for one Synapses object, in the order errors are reported."""

    def __init__(self, name: str, model: Any, on_pre: Any, on_post: Any,
                 method: str | None, namespace: Mapping[str, Any], pre_group, post_group):
        self.name, self.pre_group, self.post_group = name, pre_group, post_group
        self.equations = parse_equations(model or "")
        self.paths = pathway_texts(on_pre, on_post)
        self._variables()
        self._resolve(namespace)
        # after the calls are checked: 'stim()' of a TimedArray is a wrong call, not a draw
        constant_over_dt.refuse_random_subexpressions(self.equations)  # (Brian2's check)
        check_model_truth_values(self.equations, [s for parsed in self.parsed_events.values()
                                                  for s in parsed], self.booleans)
        refuse_per_element_shared(
            self.equations, {*self.shared, *self.constants, "t", "dt", "N", "N_pre", "N_post"},
            "synapse")
        self.advance = self._advance_event_driven()
        #: the statements of each pathway, by name, in the order the pathways run
        self.pathway_code = {path.name: event_assignments(self, path) for path in self.paths}
        self.state_update = self._integrate_clock_driven(method)
        self.summed = self._summed_variables()

    # --- the derivation -------------------------------------------------------------------
    def _variables(self) -> None:
        eqs = self.equations
        self.dims: dict[str, Any] = {}
        self.state: list[str] = []
        self.shared = {n for n, e in eqs.parameters.items() if "shared" in e.flags}
        self.event_driven = [n for n, e in eqs.differential.items() if "event-driven" in e.flags]
        for entry in list(eqs.differential.values()) + list(eqs.parameters.values()):
            # (shared) is for synaptic parameters, as in Brian2: one value for all synapses
            unsupported = [f for f in ("summed", "linked", "unless refractory")
                           if f in entry.flags]
            if "shared" in entry.flags and entry.kind == "differential":
                unsupported.append("shared")
            if unsupported:
                flag = unsupported[0]
                raise InvalidValueError(
                    f"the flag ({flag}) on the synaptic variable {entry.name!r} is not "
                    f"supported", span=eqs.span(entry.name),
                    hint="(summed) goes on a subexpression: 'I_post = w*g : amp (summed)'"
                    if flag == "summed" else "link a variable of a neuron group instead, "
                    "and read it here as x_pre or x_post" if flag == "linked" else
                    "synapses are never refractory (as in Brian2): the flag belongs on a "
                    "neuron group's variable" if flag == "unless refractory" else
                    "a synaptic parameter can be shared ('w : 1 (shared)'), as in Brian2")
            if entry.name in _TAKEN or entry.name.endswith(("_pre", "_post")):
                why = ("it is taken by Synapses itself" if entry.name in _TAKEN else
                       "the suffixes _pre and _post refer to neuron variables")
                raise InvalidValueError(
                    f"{entry.name!r} cannot be the name of a synaptic variable: {why}",
                    span=eqs.span(entry.name), hint="choose another name")
            self.state.append(entry.name)
            self.dims[entry.name] = entry.dim
        # (constant over dt): stored per synapse, computed at the start of each step
        self.constant_over_dt = constant_over_dt.stored_subexpressions(eqs)
        for name in self.constant_over_dt:
            self.state.append(name)
            self.dims[name] = eqs.subexpressions[name].dim
        self.subexpressions = [n for n, e in eqs.subexpressions.items()
                               if "summed" not in e.flags and n not in self.constant_over_dt]
        for name in self.subexpressions:
            self.dims[name] = eqs.subexpressions[name].dim
        self.dtypes = dtypes(eqs)  # (': integer' and ': boolean': int32 and bool arrays)
        self.booleans = boolean_names(self.dtypes, self.pre_group, self.post_group)

    def neuron_dims(self) -> dict[str, Any]:
        dims = {}
        for name, dim in neuron_dims(self.pre_group).items():
            dims[f"{name}_pre"] = dim
        for name, dim in neuron_dims(self.post_group).items():
            dims[f"{name}_post"] = dim
            dims.setdefault(name, dim)  # unsuffixed: the target's variable
        return dims

    @property
    def on_pre(self) -> tuple[Assignment, ...]:
        return self.pathway_code.get("pre", ())

    @property
    def on_post(self) -> tuple[Assignment, ...]:
        return self.pathway_code.get("post", ())

    def _resolve(self, namespace: Mapping[str, Any]) -> None:
        """Parse the event code and resolve every external name of all strings together."""
        neuron = self.neuron_dims()
        summed = {n: e.dim for n, e in self.equations.subexpressions.items() if "summed" in e.flags}
        defined = set(self.dims) | set(SPECIAL_DIMS) | set(neuron) | set(summed) | {"N"}
        defined |= set(CONNECTIVITY_COUNTS)
        self.source = "\n".join(filter(None, [self.equations.source]
                                        + [path.text for path in self.paths]))
        in_events = set()
        self.parsed_events = {}
        for path in self.paths:
            self.parsed_events[path.name] = parse_statements(path.text, label=path.label,
                                                             booleans=self.booleans)
            for statement in self.parsed_events[path.name]:
                # (targets are checked by event_assignments, with a message of their own)
                in_events |= {s.name for s in statement.unit_expr.free_symbols}  # (0*nA too)
                if statement.target.endswith(("_pre", "_post")):
                    in_events.add(statement.target)
        # pathway code may read the neurons' refractoriness (writing it: event_assignments)
        used = set(self.equations.external_names) | (in_events - set(NOT_REFRACTORY.values()))
        builtins = set(self.equations.builtin_names).union(
            *(statement.builtins for parsed in self.parsed_events.values() for statement in parsed))
        refuse_shadowed_builtins(namespace, builtins)  # (never silently ignored)
        check_suffixes(used, self.source, self.pre_group, self.post_group, summed)
        refuse_linked(used, self.source, self.pre_group, self.post_group)
        self.external = sorted(used - defined)
        resolved = resolve_names(self.external, namespace, source=self.source,
                                 label="synapse model", known=list(self.dims) + list(neuron))
        resolved.update(resolve_functions(self.equations, namespace))
        for path in self.paths:  # a TimedArray or Function called in on_pre/on_post
            names = {call.func.__name__ for statement in self.parsed_events[path.name]
                     for call in statement.expr.atoms(AppliedUndef)}
            resolved.update(resolve_function_names(names, namespace, path.text, path.label))
        self.constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self.unit_values = unit_folding.unit_values(self.constants, namespace)
        self.functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}
        self.external = sorted(self.constants)
        dims = {name: c.dim for name, c in self.constants.items()}
        dims.update({name: f.dim for name, f in self.functions.items()
                     if getattr(f, "dim", None) is not None})
        dims.update(SPECIAL_DIMS)
        dims.update(dict.fromkeys(CONNECTIVITY_COUNTS, _ONE))
        dims.update(neuron)
        dims.update(self.dims)
        dims.update(summed)
        self.equations.check_units(dims)
        self.all_dims = {**dict.fromkeys(NOT_REFRACTORY.values(), _ONE), **dims}
        for entry in self.equations.entries:
            check_calls(entry.expr, self.functions, dims, self.equations.span(entry.name))
        for parsed in self.parsed_events.values():
            for statement in parsed:
                check_calls(statement.expr, self.functions, dims, statement.span)

    def implicit_post(self, expr):
        return implicit_post(expr, self.dims, neuron_dims(self.post_group))

    def _advance_event_driven(self) -> tuple[Assignment, ...]:
        """Exact update of event-driven variables over the time since their last event."""
        if not self.event_driven:
            return ()
        from eqsnn.integrators import OdeSystem, integrate
        allowed = set(self.event_driven) | set(self.constants) | {"t"}
        rhs = {}
        for name in self.event_driven:
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
        clock = [n for n in self.equations.differential if n not in self.event_driven]
        if not clock:
            return None
        from eqsnn.integrators import OdeSystem, integrate
        system = OdeSystem.from_rhs({name: self.implicit_post(self.equations.rhs(name))
                                     for name in clock})
        return integrate(system, method)

    def _summed_variables(self) -> list[tuple[str, Any]]:
        summed = []
        post = self.post_group
        for name, entry in self.equations.subexpressions.items():
            if "summed" not in entry.flags:
                continue
            base = name[:-5] if name.endswith("_post") else name
            span = self.equations.span(name)
            if base not in post.parameters or base in post.shared:
                raise InvalidValueError(
                    f"the summed variable {name!r} must name a parameter of the target group "
                    f"{post.name!r} with the _post suffix", span=span,
                    hint=f"declare '{base} : <unit>' in the target's equations and write "
                         f"{base}_post here")
            if post.dims[base] != entry.dim:
                raise DimensionMismatchError(
                    f"{name} has unit {units.format_dimension(entry.dim)} but {base} of the "
                    f"target has unit {units.format_dimension(post.dims[base])}", span=span)
            summed.append((base, self.implicit_post(self.equations.substitute(entry.expr))))
        return summed

    # --- the record -------------------------------------------------------------------------
    def record(self, inputs: Inputs) -> SynapsesRecord:
        """What the runtime needs, as a frozen record (see :mod:`eqsnn.lowering.records`)."""
        eqs = self.equations
        variables = tuple(Variable(n, self.dims[n], "differential" if n in eqs.differential
                                   else "parameter", n in self.shared, dtype=self.dtypes[n])
                          for n in self.state)
        variables += tuple(Variable(n, self.dims[n], "subexpression",
                                    "shared" in eqs.subexpressions[n].flags,
                                    dtype=self.dtypes[n]) for n in self.subexpressions)
        su = self.state_update
        # a recorded subexpression may read lastupdate too
        events = sum(self.pathway_code.values(), ()) + tuple(
            Assignment(symbol(n), eqs.substitute(symbol(n))) for n in self.subexpressions) \
            + self._constant_over_dt()
        return SynapsesRecord(
            inputs=inputs, variables=variables, constants=tuple(sorted(self.constants)),
            functions=tuple(sorted(self.functions)),
            method=None if su is None else Method(su.method, su.reason, tuple(su.notes)),
            trees={n: to_tree(self.implicit_post(eqs.substitute(symbol(n))))
                   for n in self.subexpressions},
            code={backend: self._code(backend) for backend in printers.BACKENDS},
            uses_lastupdate=any(s.name == "lastupdate" for a in events
                                for s in a.rhs.free_symbols),
            written=tuple(sorted(({a.lhs.name for a in events} & set(self.state)) | {
                a.lhs.name for path in self.pathway_code.values() for a in path})))

    def _code(self, backend: str) -> SynapseCode:
        locals_ = local_names(list(self.dims) + list(self.constants) + list(self.functions)
                              + [f"{v}_pre" for v in self.pre_group.arrays]
                              + [f"{v}_post" for v in self.post_group.arrays], backend)
        names = self.names(locals_)
        functions = {name: locals_.get(name, name) for name in self.functions}

        def op(statements, names=names):  # (units as numbers, exponentials shared)
            shared = exponentials.share_exponentials(unit_folding.fold_statements(
                statements, self.unit_values), invariant=[*self.constants, "t", "dt"])
            return printed.code(backend, shared, names, functions,
                                batch=batch_kind(statements))

        # pathway code: its template defines the neurons' refractoriness flags
        event_names = {**names, **{name: name for name in NOT_REFRACTORY.values()}}

        def expression(expr):
            return printed.expression(backend, expr, names, functions)

        return SynapseCode(
            locals=locals_,
            pathways={name: op(code, event_names)
                      for name, code in self.pathway_code.items() if code},
            update=op(self.state_update.statements if self.state_update else ()),
            constant_over_dt=op(self._constant_over_dt()),
            summed=tuple(Summed(base, expression(expr)) for base, expr in self.summed),
            # what a StateMonitor writes for each variable and subexpression
            records={var: expression(self.implicit_post(self.equations.substitute(
                symbol(var)))) for var in self.dims})

    def _constant_over_dt(self) -> tuple[Assignment, ...]:
        return constant_over_dt.update_statements(self.constant_over_dt, self.implicit_post)

    def names(self, locals_: Mapping[str, str]) -> dict[str, str]:
        """How each name of the strings is written in the record's code: plain local
        names, indexed by the synapse (``_syn``), its source (``_ipre``) or target (``_j``).
        The built-in names (``i``, ``j``, ``N_pre``, ``t`` …) print as themselves."""
        local = lambda name: locals_.get(name, name)  # noqa: E731
        names = {var: f"{local(var)}[0]" if var in self.shared else f"{local(var)}[_syn]"
                 for var in self.state}
        for suffix, side, index in (("_pre", self.pre_group, "_ipre"),
                                    ("_post", self.post_group, "_j")):
            for var in side.arrays:
                name = var + suffix
                names[name] = f"{local(name)}[0]" if var in side.shared \
                    else f"{local(name)}[{index}]"
        names.update({name: local(name) for name in self.constants})
        names["lastupdate"] = "lastupdate[_syn]"
        # how many synapses of this object share the synapse's target / source: one
        # count per neuron of the target / source group
        names["N_incoming"], names["N_outgoing"] = "N_incoming[_j]", "N_outgoing[_ipre]"
        return names
