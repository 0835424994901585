"""The :class:`Model` object: a neuron model as equation strings plus its defaults.

A built-in model is data, not code: the same strings a user would pass to
:class:`~eqsnn.NeuronGroup`, with default parameter values (with units), initial values,
a default integration method, a citation and named parameter presets. Printing a model
shows all of it, so the library doubles as a set of worked examples.

Models are immutable: :meth:`Model.with_parameters` and :meth:`Model.with_preset`
return new models.
"""
from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Mapping

from eqsnn import units
from eqsnn.errors import DimensionMismatchError, InvalidValueError
from eqsnn.models.cards import markdown_card, parameters_table, presets_table
from eqsnn.models.values import REST, format_value

__all__ = ["Model", "REST", "format_value", "markdown_card", "parameters_table", "presets_table",
           "build", "unknown_preset_error"]


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, eq=False)
class Model:
    """A neuron model: equations, spike rule, default parameters and presets.

    Parameters
    ----------
    name
        Short name shown in catalogues, e.g. ``"Izhikevich:RS"``.
    equations
        Equation string in eqsnn's (Brian2-compatible) syntax.
    threshold, reset
        Spike condition and the statements run at a spike (``None`` for none).
    refractory
        Dead time after a spike (a time quantity) or ``None``.
    namespace
        Default values of the constants the strings use, with units.
    initial
        Initial values (quantity or string expression) by variable name. Differential
        variables not listed start at the resting state (input = 0), see :data:`REST`.
    method
        Default integration method.
    citation
        Where the equations and parameter values come from.
    description
        One line saying what the model is for.
    presets
        Named parameter sets: preset name → overrides of ``namespace``; the keys
        ``"stimulus"`` and ``"description"`` are metadata (see :attr:`stimulus`).
    preset
        The preset this model was built from, if any.
    stimulus
        The constant input (value of ``input``) at which the preset shows its
        characteristic firing pattern, as in the cited paper; ``None`` if none is given.
    input
        Name of the per-neuron input parameter declared in the equations (``"I"``).
    family
        The constructor's name (``"Izhikevich"``), used to build presets by name.
    """

    name: str
    equations: str
    threshold: str | None
    reset: str | None
    refractory: Any
    namespace: Mapping[str, Any]
    initial: Mapping[str, Any] = field(default_factory=dict)
    method: str | None = None
    citation: str = ""
    description: str = ""
    presets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    preset: str | None = None
    stimulus: Any = None
    input: str = "I"
    family: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        # Mappings are frozen so a model shared by many groups cannot be changed under
        # them; changing a value means making a new model (with_parameters).
        object.__setattr__(self, "equations", textwrap.dedent(self.equations).strip("\n"))
        object.__setattr__(self, "namespace", _frozen(self.namespace))
        object.__setattr__(self, "initial", _frozen(self.initial))
        object.__setattr__(self, "presets", _frozen(
            {k: _frozen(v) for k, v in dict(self.presets).items()}))
        object.__setattr__(self, "_cache", {})

    # --- new models from this one -----------------------------------------------------
    def with_parameters(self, **overrides: Any) -> "Model":
        """A copy with some parameter values replaced.

        Names may be namespace constants (``tau=20*ms``), the ``refractory`` period, or
        per-neuron parameters declared in the equations (their initial value, e.g.
        ``I=0.5*nA``). Each value must have the unit of the default it replaces.

        Raises
        ------
        InvalidValueError
            For a name the model does not have (with a did-you-mean suggestion).
        DimensionMismatchError
            For a value with the wrong unit.
        """
        namespace = dict(self.namespace)
        initial = dict(self.initial)
        refractory = self.refractory
        for name, value in overrides.items():
            if name == "refractory":
                _check_same_unit(name, value, 1 * units.ureg.ms, self.name)
                refractory = value
            elif name in namespace:
                _check_same_unit(name, value, namespace[name], self.name)
                namespace[name] = value
            elif name in self.parameter_names:
                initial[name] = value
            else:
                raise self._unknown(name)
        return replace(self, namespace=namespace, initial=initial, refractory=refractory,
                       name=self.name if not overrides else _modified_name(self.name))

    def with_preset(self, preset: str) -> "Model":
        """This model with the parameter values of ``preset`` (see :attr:`presets`)."""
        if preset not in self.presets:
            raise unknown_preset_error(self.family or self.name, preset, self.presets)
        values = dict(self.presets[preset])
        # A preset may name the input at which its pattern shows (Naud et al. 2008 give
        # one per pattern); it is kept apart from the parameters so that a group built
        # from the preset starts without input.
        stimulus = values.pop("stimulus", self.stimulus)
        note = values.pop("description", None)
        base = self.name.split(":")[0].rstrip("*")
        description = self.description.split(" — ")[0]
        return replace(self.with_parameters(**values), name=f"{base}:{preset}",
                       preset=preset, stimulus=stimulus,
                       description=f"{description} — {note}" if note else description)

    def _unknown(self, name: str) -> InvalidValueError:
        known = sorted(self.namespace) + sorted(self.parameter_names) + ["refractory"]
        close = difflib.get_close_matches(name, known, n=1)
        hint = (f"did you mean {close[0]!r}? " if close else "") + \
            f"its parameters are {', '.join(known)}"
        return InvalidValueError(f"model {self.name!r} has no parameter {name!r}", hint=hint)

    # --- what the equations declare ------------------------------------------------------
    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Per-neuron parameters declared in the equations (``I : amp`` → ``"I"``)."""
        names = []
        for line in self.equations.splitlines():
            code = line.split("#", 1)[0].strip()
            if ":" in code and "=" not in code.split(":", 1)[0]:
                names.append(code.split(":", 1)[0].strip())
        return tuple(names)

    @property
    def state_variables(self) -> tuple[str, ...]:
        """The differential variables, in the order the equations define them."""
        names = []
        for line in self.equations.splitlines():
            code = line.split("#", 1)[0].strip()
            if code.startswith("d") and "/dt" in code.split("=", 1)[0]:
                names.append(code.split("/dt", 1)[0][1:].strip())
        return tuple(names)

    def parsed(self):
        """The equations parsed by :func:`eqsnn.equations.parse_equations` (cached)."""
        if "parsed" not in self._cache:
            from eqsnn.equations import parse_equations
            self._cache["parsed"] = parse_equations(self.equations)
        return self._cache["parsed"]

    # --- analysis shortcuts ------------------------------------------------------------
    def resting_state(self, **params: Any) -> dict[str, Any]:
        """The stable steady state (input 0 unless given), as quantities by variable.

        See :func:`eqsnn.models.analysis.resting_state`.
        """
        from eqsnn.models.analysis import resting_state
        return resting_state(self, **params)

    # --- groups ------------------------------------------------------------------------
    def group(self, N: int, **kwargs: Any):
        """A :class:`~eqsnn.NeuronGroup` of ``N`` neurons of this model, initialised.

        Keyword arguments go to ``NeuronGroup`` (``name=``, ``method=``, ``namespace=``…).
        """
        from eqsnn.runtime import NeuronGroup
        return NeuronGroup(N, self, **kwargs)  # which calls self.initialise

    def initialise(self, group) -> None:
        """Set ``group``'s variables to this model's initial values.

        Differential variables without an entry in :attr:`initial` (or with
        :data:`REST`) start at the resting state with zero input, computed from the
        equations — nobody has to look the resting potential up.
        """
        values = dict(self.initial)
        needs_rest = [v for v in self.state_variables
                      if v not in values or values[v] is REST]
        if needs_rest:
            rest = self._rest_at_zero_input()
            for var in needs_rest:
                values[var] = rest[var]
        # Strings may refer to other variables ("b*v"), so set plain values first.
        ordered = sorted(values.items(), key=lambda item: isinstance(item[1], str))
        for name, value in ordered:
            setattr(group, name, value)

    def _rest_at_zero_input(self) -> dict[str, Any]:
        if "rest" not in self._cache:
            zero = {name: 0 * _unit_of_parameter(self, name)
                    for name in self.parameter_names if name not in self.initial}
            params = {k: v for k, v in self.initial.items()
                      if k in self.parameter_names and not isinstance(v, str)}
            params.update(zero)
            if self.input in self.parameter_names:
                params[self.input] = 0 * _unit_of_parameter(self, self.input)
            self._cache["rest"] = self.resting_state(**params)
        return self._cache["rest"]

    # --- display ---------------------------------------------------------------------
    def __str__(self) -> str:
        lines = [f"{self.name} — {self.description}" if self.description else self.name]
        lines.append("  equations:")
        lines += [f"    {line}" for line in self.equations.splitlines()]
        lines.append(f"  threshold:  {self.threshold}")
        lines.append(f"  reset:      {self.reset}")
        lines.append(f"  refractory: {format_value(self.refractory)}")
        lines.append(f"  method:     {self.method}")
        lines.append("  parameters:")
        width = max((len(k) for k in self.namespace), default=0)
        lines += [f"    {k:<{width}} = {format_value(v)}" for k, v in self.namespace.items()]
        rest_vars = [v for v in self.state_variables
                     if v not in self.initial or self.initial[v] is REST]
        if self.initial or rest_vars:
            lines.append("  initial values:")
            lines += [f"    {k} = {format_value(v)}" for k, v in self.initial.items()
                      if v is not REST]
            if rest_vars:
                lines.append(f"    {', '.join(rest_vars)} at rest (input 0)")
        if self.stimulus is not None:
            lines.append(f"  stimulus:   {self.input} = {format_value(self.stimulus)}")
        if self.presets:
            lines.append(f"  presets:    {', '.join(self.presets)}")
        if self.citation:
            lines.append("  citation:   " + "\n              ".join(
                textwrap.wrap(self.citation, 76)))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return markdown_card(self)


# --- helpers ---------------------------------------------------------------------------
def _check_same_unit(name: str, value: Any, default: Any, model: str) -> None:
    want, got = units.dimension_of(default), units.dimension_of(value)
    if want != got:
        raise DimensionMismatchError(
            f"parameter {name!r} of model {model!r} has unit "
            f"{units.format_dimension(want)}, but the value given has unit "
            f"{units.format_dimension(got)}",
            hint=f"the default is {format_value(default)}")


def _modified_name(name: str) -> str:
    return name if name.endswith("*") else name + "*"


def _unit_of_parameter(model: Model, name: str):
    """The unit written after ``name :`` in the equations (``amp`` for ``I : amp``)."""
    for line in model.equations.splitlines():
        code = line.split("#", 1)[0].strip()
        if code.split(":", 1)[0].strip() == name and ":" in code:
            text = code.split(":", 1)[1].split("(", 1)[0].strip()
            return units.ureg.dimensionless if text in ("1", "") else units.ureg.parse_units(text)
    raise InvalidValueError(f"model {model.name!r} declares no parameter {name!r}")


def build(template: Model, preset: str | None, overrides: Mapping[str, Any]) -> Model:
    """``template`` with ``preset`` applied, then ``overrides`` (the family constructors)."""
    model = template if preset is None else template.with_preset(preset)
    return model.with_parameters(**overrides) if overrides else model


def unknown_preset_error(family: str, preset: Any, presets: Mapping[str, Any]) -> InvalidValueError:
    """The error for ``Family("XX")`` when there is no preset ``XX``."""
    if not presets:
        return InvalidValueError(f"{family} has no presets, so not {preset!r}",
                                 hint=f"call {family}() and set values as keyword arguments")
    close = difflib.get_close_matches(str(preset), list(presets), n=1)
    hint = (f"did you mean {close[0]!r}? " if close else "") + \
        f"the presets of {family} are: {', '.join(presets)}"
    return InvalidValueError(f"{family} has no preset {preset!r}", hint=hint)
