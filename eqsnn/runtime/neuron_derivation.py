"""The cold path of a NeuronGroup: its strings → SymPy objects → a plain record.

:class:`NeuronDerivation` parses the equations, resolves and checks names and units,
parses threshold and reset, and discretises — in that order, so a model with several
mistakes reports the first one first, as it always did. :meth:`NeuronDerivation.record`
then turns what the runtime needs into plain data (see :mod:`eqsnn.runtime.build_cache`):
variable names and dimensions, the chosen method and its reason, expression trees of the
subexpressions, and the generated lines of every operation for both backends.

The printed lines cannot contain the group's final C names, which depend on the group's
position in a network; they contain placeholders filled in by
:meth:`~eqsnn.runtime.groups.NeuronGroup._contribute` (``@G@`` the group prefix,
``@NR@`` the refractoriness flag, ``@F<k>@`` the k-th user function). ``@`` never occurs
in printed C or Python otherwise, so filling is a plain replacement of whole tokens.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import sympy
from sympy.codegen.ast import Assignment

from eqsnn import units
from eqsnn.codegen.targets import BACKENDS
from eqsnn.equations import Equations, parse_equations, parse_expression, parse_statements
from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol
from eqsnn.errors import DimensionMismatchError, InvalidValueError, SourceSpan, UnknownNameError
from eqsnn.runtime import build_cache
from eqsnn.runtime.evaluate import to_tree
from eqsnn.runtime.groups import (BUILTIN_DIMS, BUILTIN_NAMES, NOT_REFRACTORY, PREFIX,
                                  constant_cname, function_token, variable_cname)
from eqsnn.runtime.namespace import Constant, find_span, resolve_names

__all__ = ["NeuronDerivation", "derive_initialiser"]


class NeuronDerivation:
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
    """

    def __init__(self, name: str, model: Any, threshold: str | None, reset: str | None,
                 method: str | None, namespace: Mapping[str, Any],
                 check_refractory: Callable[[], Any]):
        self.name = name
        self.equations = model if isinstance(model, Equations) else parse_equations(model)
        self._variables()
        self._resolve(namespace, threshold, reset)
        self.threshold = self._parse_threshold(threshold)
        self.reset = self._parse_reset(reset)
        check_refractory()
        self.state_update = self._integrate(method)

    # --- the derivation (the order of these steps is the order of error messages) -------
    def _variables(self) -> None:
        eqs = self.equations
        self.dims: dict[str, Any] = {}
        self.state: list[str] = []
        self.shared: set[str] = set()
        for entry in list(eqs.differential.values()) + list(eqs.parameters.values()):
            if "shared" in entry.flags:
                self.shared.add(entry.name)
            self.state.append(entry.name)
            self.dims[entry.name] = entry.dim
        for entry in eqs.subexpressions.values():
            self.dims[entry.name] = entry.dim

    def _resolve(self, namespace: Mapping[str, Any], threshold, reset) -> None:
        """Resolve every external name of equations, threshold and reset together."""
        defined = set(self.dims) | BUILTIN_NAMES
        used = set(self.equations.external_names) - defined
        self._threshold_parsed = None
        self._reset_parsed = ()
        if threshold is not None:
            self._threshold_parsed = parse_expression(threshold, label="threshold")
            used |= free_names(self._threshold_parsed.expr) - defined
        if reset is not None:
            self._reset_parsed = parse_statements(reset, label="reset")
            for statement in self._reset_parsed:
                used |= free_names(statement.expr) - defined
        self.external = sorted(used)
        resolved = resolve_names(used, namespace, source=model_source(
            self.equations.source, threshold, reset), label="model", known=list(self.dims))
        resolved.update(resolve_functions(self.equations, namespace))
        self.constants = {k: v for k, v in resolved.items() if isinstance(v, Constant)}
        self.functions = {k: v for k, v in resolved.items() if not isinstance(v, Constant)}
        dims = {name: c.dim for name, c in self.constants.items()}
        # A TimedArray's values have a unit: stim(t) has it wherever it is used.
        dims.update({name: f.dim for name, f in self.functions.items()
                     if getattr(f, "dim", None) is not None})
        dims.update(BUILTIN_DIMS)
        self.equations.check_units({**dims, **self.dims})
        self.all_dims = {**dims, **self.dims}

    def _parse_threshold(self, threshold: str | None):
        if threshold is None:
            return None
        from eqsnn.equations import check_dimensions
        span = SourceSpan(threshold, 1, 0, len(threshold), "threshold")
        expr = self.equations.substitute(self._threshold_parsed.expr)
        check_dimensions(expr, self.all_dims, span=span)
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
        if target not in self.state:
            hint = (f"{target!r} is a subexpression: assign to a state variable instead"
                    if target in self.dims else f"the state variables are {sorted(self.state)}")
            raise UnknownNameError(f"the {label} assigns to {target!r}, which is not a "
                                   f"state variable of {self.name!r}",
                                   span=statement.span, hint=hint)
        expr = self.equations.substitute(statement.expr)
        dim = check_dimensions(expr, self.all_dims, span=statement.span)
        want = units.DIMENSIONLESS if statement.op in ("*=", "/=") else self.dims[target]
        if dim != want and not expr.is_zero:  # 0 (also 0*nA, which SymPy makes 0) fits any unit
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
        held = [name for name, f in self.functions.items() if hasattr(f, "holds_over_step")]
        return integrate(self.equations, method, step_constant_functions=held)

    # --- the record -----------------------------------------------------------------------
    def record(self) -> dict:
        """What the runtime needs, as plain JSON-able data."""
        su = self.state_update
        return {
            "variables": [[name, build_cache.dimension_to_json(self.dims[name]),
                           name in self.shared] for name in self.state],
            "subexpressions": [[name, build_cache.dimension_to_json(self.dims[name])]
                               for name in self.equations.subexpressions],
            "differential": list(self.equations.differential),
            "external": self.external,
            "functions": sorted(self.functions),
            "method": su.method if su is not None else None,
            "subexpression_trees": {
                name: to_tree(self.equations.substitute(symbol(name)))
                for name in self.equations.subexpressions},
            "code": {backend: self._code(backend) for backend in BACKENDS},
        }

    def _code(self, backend: str) -> dict:
        from eqsnn.codegen.network import ModuleBuilder
        builder = ModuleBuilder(backend)
        names = {var: variable_cname(PREFIX, var) + ("[0]" if var in self.shared else "[_i]")
                 for var in self.state}
        names.update({name: constant_cname(PREFIX, name) for name in self.constants})
        names["N"] = builder.as_double(f"{PREFIX}_N")
        names["i"] = builder.index_name()
        names["not_refractory"] = NOT_REFRACTORY
        functions = {name: function_token(k) for k, name in enumerate(sorted(self.functions))}
        code: dict[str, Any] = {"stateupdate": None, "threshold": None, "reset": None}
        if self.state_update is not None:
            statements = self.state_update.statements
            code["stateupdate"] = {"lines": builder.statements(statements, names, functions),
                                   "temporaries": temporaries(statements),
                                   "uses_random": uses_random(statements)}
        if self.threshold is not None:
            code["threshold"] = {
                "condition": builder.expression(self.threshold, names, functions),
                "uses_random": uses_random([self.threshold])}
        if self.reset:
            code["reset"] = {"lines": builder.statements(self.reset, names, functions),
                             "temporaries": temporaries(self.reset),
                             "uses_random": uses_random(self.reset)}
        code["records"] = {
            var: builder.expression(self.equations.substitute(symbol(var)), names, functions)
            for var in self.dims}
        return code


def derive_initialiser(equations, text: str, var: str, var_dim, all_dims: Mapping[str, Any],
                       namespace: Mapping[str, Any], known: list[str]) -> dict:
    """A string initialiser ``group.var = text`` → ``{"tree", "extra"}`` (cold path).

    ``extra`` lists the names the text uses beyond the group's own (namespace entries
    and units), resolved again at every use because their values may change.
    """
    from eqsnn.equations import check_dimensions
    label = f"value of {var}"
    parsed = parse_expression(text, label=label)
    names = free_names(parsed.expr) - set(all_dims)
    extra = resolve_names(names, namespace, source=text, label=label, known=known)
    dims = {**all_dims, **{k: c.dim for k, c in extra.items() if isinstance(c, Constant)}}
    span = SourceSpan(text, 1, 0, len(text), label)
    expr = equations.substitute(parsed.expr)
    dim = check_dimensions(expr, dims, span=span)
    if dim != var_dim:
        raise DimensionMismatchError(
            f"{var} has unit {units.format_dimension(var_dim)}, but {text!r} has "
            f"unit {units.format_dimension(dim)}", span=span)
    return {"tree": to_tree(expr), "extra": sorted(extra)}


# --- helpers shared with synapses ---------------------------------------------------------
def model_source(equations_source: str, *texts: str | None) -> str:
    return "\n".join(filter(None, [equations_source, *texts]))


def free_names(expr) -> set[str]:
    return {s.name for s in expr.free_symbols}


def resolve_functions(equations, namespace: Mapping[str, Any]) -> dict[str, Any]:
    functions = {}
    for name in getattr(equations, "external_functions", ()):
        value = namespace.get(name)
        if value is None or not hasattr(value, "_eqsnn_function"):
            raise UnknownNameError(
                f"unknown function {name!r}", span=find_span(equations.source, name, "equations"),
                hint=f"pass a TimedArray as namespace={{'{name}': ...}} or use a built-in "
                     f"function (exp, log, sqrt, sin, clip, exprel, …)")
        functions[name] = value
    return functions


def temporaries(statements) -> list[str]:
    seen: list[str] = []
    for statement in statements:
        name = statement.lhs.name
        if name.startswith("_") and name not in seen:
            seen.append(name)
    return seen


def uses_random(exprs) -> bool:
    return any(e.has(fn.rand, fn.randn) for e in exprs)
