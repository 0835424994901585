"""A NeuronGroup's strings → SymPy objects → a :class:`~eqsnn.lowering.records.GroupRecord`.

:class:`NeuronLowering` parses the equations, resolves and checks names and units,
parses threshold and reset, and discretises — in that order, so a model with several
mistakes reports the first one first. :meth:`NeuronLowering.record` then prints every
operation for every backend with plain local names and keeps what the runtime needs.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import sympy
from sympy.codegen.ast import Assignment
from sympy.core.function import AppliedUndef

from eqsnn import printers, units
from eqsnn.equations.shadowing import refuse_shadowed_builtins
from eqsnn.equations import Equations, parse_equations, parse_expression, parse_statements
from eqsnn.equations.symbols import symbol
from eqsnn.errors import InvalidValueError, SourceSpan, UnknownNameError
from eqsnn.lowering import printed
from eqsnn.lowering.calls import check_calls
from eqsnn.lowering.exponentials import share_exponentials
from eqsnn.lowering.constant_over_dt import refuse_random_subexpressions
from eqsnn.lowering.names import BUILTIN_DIMS, BUILTIN_NAMES, local_names
from eqsnn.lowering.namespace import Constant, resolve_names
from eqsnn.lowering.printed import free_names, uses_random
from eqsnn.lowering.assignments import checked_assignment
from eqsnn.lowering.records import GroupCode, GroupRecord, Inputs, Method, Variable
from eqsnn.lowering.refractory import (STEPS_SINCE_SPIKE, next_random_id, refractory_statement,
                                       renumber_random, threshold_when_not_refractory)
from eqsnn.lowering.trees import to_tree
from eqsnn.lowering.unit_folding import fold_statements, fold_units, unit_values
from eqsnn.lowering.user_functions import model_source, resolve_function_names, resolve_functions
from eqsnn.lowering.types import check_truth_values, dtypes, refuse_per_element_shared

__all__ = ["NeuronLowering"]

#: flags only a Synapses model's equations take, and what to do instead in a group
#: (Brian2's NeuronGroup refuses them too; accepted, they would silently mean nothing)
_SYNAPTIC_FLAGS = {
    "event-driven": "a neuron group integrates every equation at every step: remove the "
                    "flag, or put the equation in a Synapses model, which advances it "
                    "only at the synapse's events",
    "clock-driven": "a neuron group's equations are always clock-driven: remove the flag",
    "summed": "a sum over synapses belongs in the Synapses model ('x_post = w*g : unit "
              "(summed)'), with 'x : unit' declared here",
}


def _refuse_synaptic_flags(equations: Equations) -> None:
    for entry in equations.entries:
        for flag, hint in _SYNAPTIC_FLAGS.items():
            if flag in entry.flags:
                raise InvalidValueError(
                    f"the flag ({flag}) on {entry.name!r} is for the equations of a "
                    f"Synapses model, not of a neuron group", span=equations.span(entry.name),
                    hint=hint)


class NeuronLowering:
    """Everything SymPy does for one group, in the order errors must be reported.

    Parameters
    ----------
    name
        The group's name, for messages only (it never enters the record).
    model, threshold, reset, method, namespace
        As given to the group (after a built-in model's defaults were applied).
    check_refractory
        Called between parsing the reset and discretising, where the refractory period
        has always been checked.
    refractory
        Refractoriness given as a string (a time or a condition; see
        :mod:`eqsnn.lowering.refractory`), or ``None``.
    """

    #: what the statements are called in messages (a run_regularly block reuses them)
    statements_label = "reset"

    def __init__(self, name: str, model: Any, threshold: str | None, reset: str | None,
                 method: str | None, namespace: Mapping[str, Any],
                 check_refractory: Callable[[], Any], refractory: str | None = None):
        self.name = name
        self.equations = model if isinstance(model, Equations) else parse_equations(model)
        self._variables(refractory is not None)
        self._resolve(namespace, threshold, reset, refractory)
        # after the calls are checked: 'stim()' of a TimedArray is a wrong call, not a draw
        refuse_random_subexpressions(self.equations)  # (Brian2's check_subexpressions)
        # a (shared) subexpression has one value: it may use only shared values
        refuse_per_element_shared(
            self.equations, {*self.shared, *self.constants, "t", "dt", "N"}, "neuron")
        self._check_truth_values()
        self.threshold = self._parse_threshold(threshold)
        self.reset = self._parse_reset(reset)
        check_refractory()
        self.refractory = None if refractory is None else refractory_statement(
            self._refractory_parsed, self.equations, self.all_dims)
        self.state_update = self._integrate(method)

    # --- the derivation (the order of these steps is the order of error messages) -------
    def _variables(self, refractory_variable: bool) -> None:
        eqs = self.equations
        _refuse_synaptic_flags(eqs)
        self.dims: dict[str, Any] = {}
        self.state: list[str] = []
        if refractory_variable:  # a string refractoriness keeps it per neuron, as Brian2
            self.dims["not_refractory"] = units.DIMENSIONLESS
            self.state.append("not_refractory")
        self.shared: set[str] = set()
        self.linked: list[str] = []
        for entry in list(eqs.differential.values()) + list(eqs.parameters.values()):
            self.dims[entry.name] = entry.dim
            if "linked" in entry.flags:  # another group's variable, read, never written
                self.linked.append(entry.name)
                continue
            if "shared" in entry.flags:
                self.shared.add(entry.name)
            self.state.append(entry.name)
        for entry in eqs.subexpressions.values():
            self.dims[entry.name] = entry.dim
        # (constant over dt): stored per neuron, computed at the start of each step
        self.constant_over_dt = eqs.constant_over_dt
        for name in self.constant_over_dt:
            self.state.append(name)
            if "shared" in eqs.subexpressions[name].flags:
                self.shared.add(name)
        self.dtypes = dtypes(eqs)
        self.dtypes.update(not_refractory="float64")

    def _resolve(self, namespace: Mapping[str, Any], threshold, reset, refractory) -> None:
        """Resolve every external name of equations, threshold, reset and refractoriness
        together."""
        defined = set(self.dims) | BUILTIN_NAMES
        used = set(self.equations.external_names) - defined
        self._threshold_parsed = None
        self._reset_parsed = ()
        self._refractory_parsed = None
        if threshold is not None:
            self._threshold_parsed = parse_expression(threshold, label="threshold")
            used |= free_names(self._threshold_parsed.unit_expr) - defined
        if reset is not None:
            self._reset_parsed = parse_statements(reset, label=self.statements_label, booleans={
                name for name, dtype in self.dtypes.items() if dtype == "bool"})
            for statement in self._reset_parsed:
                used |= free_names(statement.unit_expr) - defined  # (0*nA: nA too)
        if refractory is not None:
            self._refractory_parsed = parse_expression(refractory, label="refractory")
            used |= free_names(self._refractory_parsed.unit_expr) - defined
        self.external = sorted(used)
        builtins = set(self.equations.builtin_names)
        builtins |= self._threshold_parsed.builtins if self._threshold_parsed else set()
        builtins |= self._refractory_parsed.builtins if self._refractory_parsed else set()
        for statement in self._reset_parsed:
            builtins |= statement.builtins
        refuse_shadowed_builtins(namespace, builtins)  # (never silently ignored)
        resolved = resolve_names(used, namespace, source=model_source(
            self.equations.source, threshold, reset, refractory), label="model",
            known=list(self.dims))
        resolved.update(resolve_functions(self.equations, namespace))
        resolved.update(self._string_functions(namespace, threshold, reset, refractory))
        self.constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self.unit_values = unit_values(self.constants, namespace)  # (numbers in the code)
        self.functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}
        dims = {name: c.dim for name, c in self.constants.items()}
        # A TimedArray's values have a unit: stim(t) has it wherever it is used.
        dims.update({name: f.dim for name, f in self.functions.items()
                     if getattr(f, "dim", None) is not None})
        dims.update(BUILTIN_DIMS)
        self.equations.check_units({**dims, **self.dims})
        self.all_dims = {**dims, **self.dims}
        self._check_calls()

    def _check_calls(self) -> None:
        """User functions called with their number of arguments and units."""
        eqs, dims = self.equations, self.all_dims
        for entry in eqs.entries:
            check_calls(entry.expr, self.functions, dims, eqs.span(entry.name))
        for parsed, label in ((self._threshold_parsed, "threshold"),
                              (self._refractory_parsed, "refractory")):
            if parsed is not None:
                check_calls(parsed.expr, self.functions, dims,
                            SourceSpan(parsed.source, 1, 0, len(parsed.source), label))
        for statement in self._reset_parsed:
            check_calls(statement.expr, self.functions, dims, statement.span)

    def _string_functions(self, namespace, threshold, reset, refractory) -> dict[str, Any]:
        """The user functions (TimedArrays) that threshold, reset and refractoriness call,
        each with its error pointing at that text."""
        texts = [(self._threshold_parsed, threshold, "threshold"),
                 (self._refractory_parsed, refractory, "refractory")]
        texts += [(statement, reset, "reset") for statement in self._reset_parsed]
        functions: dict[str, Any] = {}
        for parsed, text, label in texts:
            if parsed is None:
                continue
            names = {call.func.__name__ for call in parsed.expr.atoms(AppliedUndef)}
            functions.update(resolve_function_names(names, namespace, text, label))
        return functions

    def _check_truth_values(self) -> None:
        """Names used as conditions must be boolean variables (``not spiking``)."""
        booleans = [name for name, dtype in self.dtypes.items() if dtype == "bool"]
        for entry in self.equations.entries:
            check_truth_values(entry.expr, booleans, self.equations.span(entry.name))
        texts = [(self._threshold_parsed, "threshold"), (self._refractory_parsed, "refractory")]
        for parsed, label in texts:
            if parsed is not None:
                check_truth_values(parsed.expr, booleans, SourceSpan(
                    parsed.source, 1, 0, len(parsed.source), label),
                    condition=label == "threshold")
        for statement in self._reset_parsed:
            check_truth_values(statement.expr, booleans, statement.span)

    def _parse_threshold(self, threshold: str | None):
        if threshold is None:
            return None
        from eqsnn.equations import check_dimensions, dimension_as_written
        span = SourceSpan(threshold, 1, 0, len(threshold), "threshold")
        expr = self.equations.substitute(self._threshold_parsed.expr)
        check_dimensions(expr, self.all_dims, span=span)
        # As written: 'v > 0*nA' compares a voltage with a current, as 'v > 2*nA' does.
        dimension_as_written(self._threshold_parsed.unit_expr, self.all_dims, span=span)
        if not isinstance(expr, (sympy.core.relational.Relational, sympy.logic.boolalg.Boolean)):
            raise InvalidValueError(
                f"the threshold must be a condition, but {threshold!r} is a number",
                span=span, hint="compare it with something, e.g. 'v > -50*mV'")
        return expr

    def _parse_reset(self, reset: str | None) -> tuple[Assignment, ...]:
        if reset is None:
            return ()
        return tuple(self._statement_to_assignment(s, self.statements_label)
                     for s in self._reset_parsed)

    def _statement_to_assignment(self, statement, label: str) -> Assignment:
        target = statement.target
        if target not in self.state:
            hint = (f"{target!r} is linked to another group's variable, which only that "
                    f"group writes" if target in self.linked else
                    f"{target!r} is a subexpression: assign to a state variable instead"
                    if target in self.dims else f"the state variables are {sorted(self.state)}")
            raise UnknownNameError(f"the {label} assigns to {target!r}, which is not a "
                                   f"state variable of {self.name!r}",
                                   span=statement.span, hint=hint)
        return checked_assignment(self.equations, statement, label, self.dims[target],
                                  self.all_dims)

    def _integrate(self, method):
        self.held: tuple[str, ...] = ()
        if not self.equations.differential:
            return None
        from eqsnn.integrators import integrate
        self.held = tuple(sorted(name for name, f in self.functions.items()
                                 if hasattr(f, "holds_over_step")))
        return integrate(self.equations, method, step_constant_functions=self.held)

    # --- the record -----------------------------------------------------------------------
    def record(self, inputs: Inputs) -> GroupRecord:
        """What the runtime needs, as a frozen record (see :mod:`eqsnn.lowering.records`)."""
        eqs = self.equations
        variables = tuple(Variable(name, self.dims[name], "differential"
                                   if name in eqs.differential else "parameter",
                                   name in self.shared, dtype=self.dtypes[name],
                                   unless_refractory=name in eqs.differential and
                                   "unless refractory" in eqs.differential[name].flags)
                          for name in self.state)
        computed = [(name, entry) for name, entry in eqs.subexpressions.items()
                    if name not in self.constant_over_dt]
        variables += tuple(Variable(name, self.dims[name], "parameter", linked=True,
                                    dtype=self.dtypes[name]) for name in self.linked)
        variables += tuple(Variable(name, self.dims[name], "subexpression",
                                    "shared" in entry.flags, dtype=self.dtypes[name])
                           for name, entry in computed)
        su = self.state_update
        method = None if su is None else Method(su.method, su.reason, tuple(su.notes),
                                                self.held if su.method == "exact" else ())
        return GroupRecord(
            inputs=inputs, variables=variables, constants=tuple(sorted(self.constants)),
            functions=tuple(sorted(self.functions)), method=method,
            trees={name: to_tree(eqs.substitute(symbol(name))) for name, _ in computed},
            code={backend: self.printed_code(backend) for backend in printers.BACKENDS},
            refractory=self._refractory_kind(),
            written=tuple(sorted({a.lhs.name for a in self._operations()[0] + self.reset}
                                 & set(self.state))))

    def _refractory_kind(self) -> str:
        """``"time"`` or ``"condition"`` for a string refractoriness, else ``""``."""
        if self.refractory is None:
            return ""
        return "time" if self.refractory.rhs.has(STEPS_SINCE_SPIKE) else "condition"

    def _operations(self):
        """The state update's and the threshold's SymPy: first the (constant over dt)
        subexpressions, then a string refractoriness (tested by the threshold too), then
        the integration step (Brian2's order)."""
        statements = tuple(self.state_update.statements) if self.state_update else ()
        # Brian2 computes (constant over dt) subexpressions before anything else
        constants = tuple(Assignment(symbol(name), expr)
                          for name, expr in self.constant_over_dt.items())
        threshold = self.threshold
        if self.refractory is not None:
            refractory = renumber_random(self.refractory,
                                         next_random_id(constants + statements))
            statements = (refractory,) + statements
            if threshold is not None:
                threshold = threshold_when_not_refractory(threshold)
        return constants + statements, threshold

    def printed_code(self, backend: str) -> GroupCode:
        """Every operation printed with plain local names (``v[_i]``, ``tau``); the
        templates bind them (see :mod:`eqsnn.lowering.records`)."""
        locals_ = local_names(list(self.dims) + list(self.constants) + list(self.functions),
                              backend)
        if self.refractory is not None:  # the array, apart from the templates' own local
            locals_["not_refractory"] = "_u_not_refractory"
        local = lambda name: locals_.get(name, name)  # noqa: E731
        names = {var: local(var) + ("[0]" if var in self.shared else "[_i]")
                 for var in self.state}
        # a linked variable is a value per neuron the template loads from the other group
        names.update({name: local(name) for name in self.linked})
        names.update({name: local(name) for name in self.constants})
        functions = {name: local(name) for name in self.functions}
        statements, threshold = self._operations()
        # the same arithmetic for every backend: units as numbers, exponentials shared
        units_ = self.unit_values
        statements = share_exponentials(fold_statements(statements, units_),
                                        invariant=[*self.constants, "t", "dt", "N"])
        scalars = sorted(self.constants)  # loop invariants: see lowering/invariants.py
        return GroupCode(
            locals=locals_,
            stateupdate=printed.code(backend, statements, names, functions,
                                     hoist=(scalars, "_su_inv")),
            threshold=None if threshold is None else printed.expression(
                backend, fold_units(threshold, units_), names, functions,
                hoist=(scalars, "_th_inv")),
            reset=printed.code(backend, fold_statements(self.reset, units_), names, functions),
            records={var: printed.expression(backend, fold_units(self._recorded(var), units_),
                                             names, functions) for var in self.dims})

    def _recorded(self, var: str):
        """What a StateMonitor records for ``var``: a (constant over dt) subexpression
        as the value the step will compute (monitors record before the update), unless
        it draws random numbers (then the stored value of the last step)."""
        expr = self.equations.substitute(symbol(var))
        stored = {symbol(name): value for name, value in self.constant_over_dt.items()}
        while expr.has(*stored) and not uses_random([expr]):
            expr = expr.xreplace(stored)
        return expr if not uses_random([expr]) else self.equations.substitute(symbol(var))


