"""What the build stage hands the runtime: frozen, typed records, kept as JSON.

A record says everything the runtime and the code generator need to know about one
object's strings, as plain data: the variables and their dimensions, the constants and
functions the strings use, the method that integrates them and why, trees for reading
subexpressions, and — for every backend — the printed code of each operation.

Printed code uses plain local names: ``v[_i]`` for variable ``v`` of neuron ``_i``,
``v_pre[_ipre]`` for a variable of a synapse's source neuron, ``tau`` for a constant,
``stim(t)`` for a user function, ``i``/``N`` for the index and size. Each operation
template opens by binding those names to the network's arrays (``double* const
restrict v = _g0_v_v;``), so a record does not depend on where its object sits in a
network, and nothing ever rewrites code text. ``reads`` lists the names an operation
uses: exactly the ones its template binds.

This module does not import SymPy: a warm process reads records from the build cache
(:mod:`eqsnn.lowering.cache`) with ``from_json``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

from eqsnn.units import DIMENSIONLESS, Dimension

__all__ = ["DTYPES", "Variable", "Code", "Expression", "Method", "Inputs", "GroupCode", "GroupRecord",
           "Summed", "SynapseCode", "SynapsesRecord", "ValueRecord", "dimension_to_json",
           "dimension_from_json"]


def dimension_to_json(dim) -> list:
    """A pint dimension as sorted ``[name, power]`` pairs."""
    return sorted([name, power] for name, power in dict(dim).items())


def dimension_from_json(pairs) -> Dimension:
    return type(DIMENSIONLESS)({name: power for name, power in pairs})


#: The numpy dtype of each type of the equation language (``x : integer``: Brian2's
#: default integer type, int32).
DTYPES = {"float": "float64", "integer": "int32", "boolean": "bool"}


@dataclass(frozen=True)
class Variable:
    """A name a model defines: ``kind`` is ``"differential"``, ``"parameter"`` or
    ``"subexpression"``; ``shared`` means one value for the whole group; ``linked``, a
    parameter that reads another group's variable (``G.x = linked_var(H, "y")``);
    ``dtype`` the numpy dtype of its values (see :data:`DTYPES`); ``unless_refractory``,
    a differential variable flagged ``(unless refractory)``: while its neuron is
    refractory, synaptic code does not write it (Brian2's conditional write)."""

    name: str
    dim: Dimension
    kind: str
    shared: bool = False
    linked: bool = False
    dtype: str = "float64"
    unless_refractory: bool = False

    @property
    def is_state(self) -> bool:
        """Stored in an array of this object (subexpressions are computed from the
        others, linked variables are another group's)."""
        return self.kind != "subexpression" and not self.linked

    def to_json(self) -> list:
        return [self.name, dimension_to_json(self.dim), self.kind, self.shared, self.linked,
                self.dtype, self.unless_refractory]

    @classmethod
    def from_json(cls, data) -> "Variable":
        name, dim, kind, shared, linked, dtype, unless_refractory = data
        return cls(name, dimension_from_json(dim), kind, shared, linked, dtype,
                   unless_refractory)


@dataclass(frozen=True)
class Code:
    """The printed lines of one operation for one backend.

    ``temporaries`` are the template's to declare (as double in C); ``reads`` are the
    model names the lines use (variables, constants, functions and the built-in
    ``i``, ``N``, ``t``, ``dt``, ``not_refractory`` …), sorted; ``batch`` is how the
    numpy twin splits one step's arriving synapses (synaptic pathways only).
    ``hoisted`` are lines the template runs once before its loop over neurons (the
    loop invariants, see :mod:`eqsnn.lowering.invariants`), assigning the
    ``hoisted_temporaries`` (double) that ``lines`` read.
    """

    lines: tuple[str, ...]
    temporaries: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    uses_random: bool = False
    batch: str = ""
    hoisted: tuple[str, ...] = ()
    hoisted_temporaries: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"lines": list(self.lines), "temporaries": list(self.temporaries),
                "reads": list(self.reads), "uses_random": self.uses_random,
                "batch": self.batch, "hoisted": list(self.hoisted),
                "hoisted_temporaries": list(self.hoisted_temporaries)}

    @classmethod
    def from_json(cls, data) -> "Code":
        return cls(tuple(data["lines"]), tuple(data["temporaries"]), tuple(data["reads"]),
                   data["uses_random"], data["batch"], tuple(data.get("hoisted", ())),
                   tuple(data.get("hoisted_temporaries", ())))


@dataclass(frozen=True)
class Expression:
    """One printed expression (a threshold, a recorded value, a summed term);
    ``hoisted``, ``hoisted_temporaries``: its loop invariants, as in :class:`Code`."""

    text: str
    reads: tuple[str, ...] = ()
    uses_random: bool = False
    hoisted: tuple[str, ...] = ()
    hoisted_temporaries: tuple[str, ...] = ()

    def to_json(self) -> list:
        return [self.text, list(self.reads), self.uses_random, list(self.hoisted),
                list(self.hoisted_temporaries)]

    @classmethod
    def from_json(cls, data) -> "Expression":
        text, reads, uses_random, *hoisted = data
        hoisted, temporaries = hoisted or ((), ())
        return cls(text, tuple(reads), uses_random, tuple(hoisted), tuple(temporaries))


@dataclass(frozen=True)
class Method:
    """How the differential equations are integrated, and why (answered on a warm start
    without SymPy). ``held_functions``: the functions of time the method took as
    constant over each step (only true if they change on the step grid)."""

    name: str
    reason: str
    notes: tuple[str, ...] = ()
    held_functions: tuple[str, ...] = ()

    def to_json(self) -> list:
        return [self.name, self.reason, list(self.notes), list(self.held_functions)]

    @classmethod
    def from_json(cls, data) -> "Method | None":
        if data is None:
            return None
        name, reason, notes, held = data
        return cls(name, reason, tuple(notes), tuple(held))


@dataclass(frozen=True)
class Inputs:
    """The strings a record was derived from (with the method asked for), so a warm
    object can derive its SymPy side again when someone asks for it."""

    model: str | None
    statements: Mapping[str, str | None]   # threshold/reset, or on_pre/on_post
    method: str | None

    def to_json(self) -> list:
        return [self.model, dict(self.statements), self.method]

    @classmethod
    def from_json(cls, data) -> "Inputs":
        model, statements, method = data
        return cls(model, dict(statements), method)


def _optional(value):
    return None if value is None else value.to_json()


def _code_or_none(data):
    return None if data is None else Code.from_json(data)


def _names_or_none(names):
    return None if names is None else list(names)


def _tuple_or_none(names):
    return None if names is None else tuple(names)


@dataclass(frozen=True)
class GroupCode:
    """A neuron group's operations for one backend. ``locals`` maps a model name to
    its local name where the two differ (a name that is a keyword or a library name
    of the target language)."""

    locals: Mapping[str, str]
    stateupdate: Code | None
    threshold: Expression | None
    reset: Code | None
    records: Mapping[str, Expression]   # how a StateMonitor reads each variable

    def local(self, name: str) -> str:
        return self.locals.get(name, name)

    def to_json(self) -> dict:
        return {"locals": dict(self.locals), "stateupdate": _optional(self.stateupdate),
                "threshold": _optional(self.threshold), "reset": _optional(self.reset),
                "records": {k: e.to_json() for k, e in self.records.items()}}

    @classmethod
    def from_json(cls, data) -> "GroupCode":
        threshold = data["threshold"]
        return cls(dict(data["locals"]), _code_or_none(data["stateupdate"]),
                   None if threshold is None else Expression.from_json(threshold),
                   _code_or_none(data["reset"]),
                   {k: Expression.from_json(e) for k, e in data["records"].items()})


@dataclass(frozen=True)
class _ModelRecord:
    """What the records of groups and synapses share: the strings' inputs, variables,
    the namespace names read at every run, the method, and one code per backend (the
    subclass's ``code`` field, of its ``_code_class``)."""

    inputs: Inputs
    variables: tuple[Variable, ...]     # state variables, then subexpressions
    constants: tuple[str, ...]          # namespace names read at every run
    functions: tuple[str, ...]          # user functions (TimedArrays), sorted
    method: Method | None               # None: no differential equations
    trees: Mapping[str, Any]            # subexpression → evaluation tree

    _code_class: ClassVar[type]

    @property
    def state(self) -> tuple[Variable, ...]:
        return tuple(v for v in self.variables if v.is_state)

    @property
    def differential(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables if v.kind == "differential")

    def _json(self, **own) -> dict:
        return {"inputs": self.inputs.to_json(),
                "variables": [v.to_json() for v in self.variables],
                "constants": list(self.constants), "functions": list(self.functions),
                "method": _optional(self.method), "trees": dict(self.trees),
                "code": {backend: code.to_json() for backend, code in self.code.items()},
                **own}

    @classmethod
    def _shared_fields(cls, data) -> tuple:
        """The fields of ``_json``'s dict, in the constructor's order (``code`` last)."""
        return (Inputs.from_json(data["inputs"]),
                tuple(Variable.from_json(v) for v in data["variables"]),
                tuple(data["constants"]), tuple(data["functions"]),
                Method.from_json(data["method"]), dict(data["trees"]),
                {backend: cls._code_class.from_json(c) for backend, c in data["code"].items()})


@dataclass(frozen=True)
class GroupRecord(_ModelRecord):
    """Everything the runtime needs from a NeuronGroup's strings (or from a
    ``run_regularly`` block's, whose code is the ``reset``)."""

    code: Mapping[str, GroupCode]       # backend → code
    #: a string refractoriness: "time" or "condition" (the update computes the variable
    #: not_refractory first; see eqsnn.lowering.refractory), else ""
    refractory: str = ""
    #: the state variables the operations assign (state update, reset), sorted; the run
    #: looks for NaN in the parameters among them only (``None``: not known, a record
    #: from an older cache: every parameter is watched)
    written: tuple[str, ...] | None = None

    _code_class: ClassVar[type] = GroupCode

    def to_json(self) -> dict:
        return self._json(refractory=self.refractory, written=_names_or_none(self.written))

    @classmethod
    def from_json(cls, data) -> "GroupRecord":
        return cls(*cls._shared_fields(data), data["refractory"],
                   _tuple_or_none(data.get("written")))


@dataclass(frozen=True)
class Summed:
    """``target_post = expression : unit (summed)``: ``target`` is the target group's
    variable, set every step to the sum over the synapses."""

    target: str
    expression: Expression

    def to_json(self) -> list:
        return [self.target, self.expression.to_json()]

    @classmethod
    def from_json(cls, data) -> "Summed":
        return cls(data[0], Expression.from_json(data[1]))


@dataclass(frozen=True)
class SynapseCode:
    """A Synapses object's operations for one backend (see :class:`GroupCode`).
    ``pathways``: the statements of each pathway, by name (``pre``/``post`` for plain
    ``on_pre``/``on_post``), in the order they run. ``constant_over_dt``: the
    ``(constant over dt)`` subexpressions, stored per synapse by an operation of its own
    (see :mod:`eqsnn.lowering.constant_over_dt`)."""

    locals: Mapping[str, str]
    pathways: Mapping[str, Code]   # run when an event of the pathway's sender arrives
    update: Code | None       # clock-driven equations, every step
    summed: tuple[Summed, ...]
    records: Mapping[str, Expression]
    constant_over_dt: Code | None = None

    def local(self, name: str) -> str:
        return self.locals.get(name, name)

    def pathway(self, name: str) -> Code | None:
        return self.pathways.get(name)

    def to_json(self) -> dict:
        return {"locals": dict(self.locals),
                "pathways": [[k, c.to_json()] for k, c in self.pathways.items()],
                "update": _optional(self.update),
                "summed": [s.to_json() for s in self.summed],
                "records": {k: e.to_json() for k, e in self.records.items()},
                "constant_over_dt": _optional(self.constant_over_dt)}

    @classmethod
    def from_json(cls, data) -> "SynapseCode":
        return cls(dict(data["locals"]), {k: Code.from_json(c) for k, c in data["pathways"]},
                   _code_or_none(data["update"]),
                   tuple(Summed.from_json(s) for s in data["summed"]),
                   {k: Expression.from_json(e) for k, e in data["records"].items()},
                   _code_or_none(data.get("constant_over_dt")))


@dataclass(frozen=True)
class SynapsesRecord(_ModelRecord):
    """Everything the runtime needs from a Synapses object's strings (``method``: of its
    clock-driven equations). ``uses_lastupdate``: the code reads each synapse's time of
    last event (to advance event-driven variables), so it is stored per synapse.
    ``written``: the variables the loop's statements assign, sorted: synaptic ones
    (pathways, ``(constant over dt)`` subexpressions) by their name, the source's and
    target's neuron variables with their suffix (``v_post += w``: ``v_post``); the run
    looks for NaN in the parameters among them only (``None``: not known, a record from
    an older cache)."""

    code: Mapping[str, SynapseCode]
    uses_lastupdate: bool = False
    written: tuple[str, ...] | None = None

    _code_class: ClassVar[type] = SynapseCode

    @property
    def summed_targets(self) -> tuple[str, ...]:
        """The target group's variables this object sums into."""
        return tuple(s.target for s in next(iter(self.code.values())).summed)

    def to_json(self) -> dict:
        return self._json(uses_lastupdate=self.uses_lastupdate,
                          written=_names_or_none(self.written))

    @classmethod
    def from_json(cls, data) -> "SynapsesRecord":
        return cls(*cls._shared_fields(data), data["uses_lastupdate"],
                   _tuple_or_none(data.get("written")))


@dataclass(frozen=True)
class ValueRecord:
    """A string evaluated once (an initialiser ``G.v = "..."``, a connect condition or
    probability): its tree, and the namespace names it uses beyond its model's
    (resolved again at every use, since their values may change)."""

    tree: Any
    extra: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        return {"tree": self.tree, "extra": list(self.extra)}

    @classmethod
    def from_json(cls, data) -> "ValueRecord":
        return cls(data["tree"], tuple(data["extra"]))
