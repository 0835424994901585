"""``eqsnn.derive`` of a synapse model: its two kinds of equations, each derived on its own.

A ``Synapses`` object integrates its clock-driven equations every time step, with the
model's method, like a neuron group; but it advances its ``(event-driven)`` equations
only when a spike reaches the synapse, exactly, over the time since the synapse's last
event (``t - lastupdate``; :meth:`eqsnn.lowering.synapses.SynapseLowering._advance_event_driven`).
Derived as one neuron group's equations, the event-driven ones would read as an update
of every step. :func:`derive_synapse_model` keeps them apart, as the ``eqsnn derive``
command shows them; :class:`SynapseDerivation` renders the parts as one text.

There is no ``"loop"`` step here: a synapse's compiled statements read the variables of
the groups it connects (``v_post``), which a model alone does not know.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from eqsnn.errors import InvalidValueError
from eqsnn.integrators import Derivation
from eqsnn.integrators.derivation import _tex_escape

__all__ = ["SynapseDerivation", "derive_synapse_model", "is_synapse_model", "as_equations"]

_CLOCK = "clock-driven equations, integrated every time step"
_EVENT = ("event-driven equations, advanced only when a spike reaches the synapse; dt "
          "stands for t - lastupdate, the time since the synapse's last event")
#: how to read "nothing to derive" (a model without differential equations)
NO_EQUATIONS_HINT = ("derive shows how 'dx/dt = ...' lines become an update; a model "
                     "without them has none")
_CODE_SENTENCE = {
    "clock": "The simplified update printed as C, one line per statement, run for every "
             "synapse at every time step.",
    "event": "The simplified update printed as C, one line per statement, run for a "
             "synapse when a spike reaches it (before its on_pre or on_post statements), "
             "with dt = t - lastupdate.",
}


@dataclass(frozen=True, repr=False)
class SynapseDerivation:
    """A synapse model's derivations: ``parts`` holds ``(title, Derivation)`` pairs, the
    clock-driven equations first (if any), then the event-driven ones (if any).

    It renders like a :class:`~eqsnn.Derivation` (``to_text``, ``to_markdown``,
    ``to_latex``, Markdown in Jupyter), each part under its own heading.
    """

    name: str
    parts: tuple[tuple[str, Derivation], ...]

    def part(self, kind: str) -> Derivation:
        """The derivation of the ``"clock-driven"`` or the ``"event-driven"`` equations."""
        for title, derivation in self.parts:
            if kind in title:
                return derivation
        raise KeyError(f"{self.name} has no {kind} equations")

    def to_text(self) -> str:
        return "\n\n".join(f"{title}\n{'=' * 40}\n\n{derivation.to_text()}"
                           for title, derivation in self.parts)

    def to_markdown(self) -> str:
        return "\n\n".join(f"## {title}\n\n{derivation.to_markdown()}"
                           for title, derivation in self.parts)

    def to_latex(self) -> str:
        return "\n\n".join(f"\\subsection*{{{_tex_escape(title)}}}\n\n{derivation.to_latex()}"
                           for title, derivation in self.parts)

    def __str__(self) -> str:
        return self.to_text()

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def is_synapse_model(model: Any) -> bool:
    """A synapse model (it has event statements), or equations with a flag only synaptic
    equations take (``(event-driven)``, ``(clock-driven)``)."""
    if hasattr(model, "on_pre") and hasattr(model, "equations"):
        return True
    if not isinstance(model, str) and not hasattr(model, "differential"):
        return False
    return any({"event-driven", "clock-driven"} & set(entry.flags)
               for entry in as_equations(model).differential.values())


def derive_synapse_model(model: Any, method: str | None = None, *,
                         substitute_subexpressions: bool = False) -> SynapseDerivation:
    """The clock-driven equations of ``model`` (a synapse model, or synaptic equations)
    derived with ``method`` (default: the model's own, else chosen by capability) and
    its event-driven equations derived with the exact method."""
    from eqsnn.equations.symbols import symbol
    from eqsnn.integrators import OdeSystem, derive
    name = getattr(model, "name", None) or "synapse model"
    label = f"synapse model {name!r}" if hasattr(model, "name") else "synapse model"
    equations = as_equations(getattr(model, "equations", model))
    differential = equations.differential
    event = [n for n, entry in differential.items() if "event-driven" in entry.flags]
    clock = [n for n in differential if n not in event]
    if not differential:
        statements = "; ".join(f"{label}: {text!r}" for label in ("on_pre", "on_post")
                               if (text := getattr(model, label, None)))
        raise InvalidValueError(
            f"the {label} has no differential equations to derive"
            + (f"; it only runs statements ({statements})" if statements else ""),
            hint=NO_EQUATIONS_HINT)
    if method is not None and method != "exact" and not clock:
        raise InvalidValueError(
            f"the equations of the {label} are all event-driven, which eqsnn always "
            f"advances exactly; method={method!r} would apply to clock-driven equations only",
            hint="leave the method out")

    def system(names):
        return OdeSystem.from_rhs({symbol(n): equations.rhs(n) for n in names},
                                  written={symbol(n): differential[n].expr for n in names})

    parts = []
    if clock:
        chosen = method if method is not None else getattr(model, "method", None)
        target = equations if not event else system(clock)
        parts.append((f"{name}: {_CLOCK}", _with_code_sentence(derive(
            target, method=chosen, substitute_subexpressions=substitute_subexpressions),
            "clock")))
    if event:
        parts.append((f"{name}: {_EVENT}",
                      _with_code_sentence(derive(system(event), method="exact"), "event")))
    return SynapseDerivation(name, tuple(parts))


def _with_code_sentence(derivation: Derivation, kind: str) -> Derivation:
    """The derivation with its code step saying when a synapse runs it (the integrators
    write "for every neuron")."""
    steps = tuple(replace(step, sentence=_CODE_SENTENCE[kind]) if step.kind == "code" else step
                  for step in derivation.steps)
    return Derivation(derivation.method, steps)


def as_equations(equations):
    """``equations`` as an :class:`~eqsnn.equations.Equations` (parsed if a string)."""
    from eqsnn.equations import Equations, parse_equations
    return equations if isinstance(equations, Equations) else parse_equations(equations)
