"""``eqsnn.derive``: how a model's update is derived, and what the compiled loop runs.

The integrators record the derivation as they build the update
(:func:`eqsnn.integrators.derive`: the model, the method's scheme, the stages, the
simplified update and that update printed as code). The build stage then rewrites the
update before it is compiled (units as numbers, exponentials shared: see
:mod:`eqsnn.lowering.unit_folding`, :mod:`eqsnn.lowering.exponentials`) and the
printers move what depends only on constants and ``dt`` before the loop over the
neurons (:mod:`eqsnn.lowering.invariants`). So the derivation alone does not show what
runs. :func:`derive` adds a last step, ``"loop"``: the C lines of the group's build
record, made by the same :class:`~eqsnn.lowering.neurons.NeuronLowering` a
``NeuronGroup`` of this model uses, so they are the lines the network compiles.

A synapse model (or equations flagged ``(event-driven)`` / ``(clock-driven)``) is
derived by :mod:`eqsnn.lowering.synapse_teaching`: its clock-driven and event-driven
equations apart, as a ``Synapses`` object runs them.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from eqsnn.errors import InvalidValueError, UnknownNameError
from eqsnn.integrators import Derivation, DerivationStep, OdeSystem
from eqsnn.lowering.synapse_teaching import (NO_EQUATIONS_HINT, SynapseDerivation,
                                             as_equations, derive_synapse_model,
                                             is_synapse_model)
from eqsnn.targets import COMPILED

__all__ = ["derive", "loop_step"]

_TITLE = "Statements of the compiled loop"


def derive(model_or_equations: Any, method: str | None = None, *,
           namespace: Mapping[str, Any] | None = None,
           substitute_subexpressions: bool = False,
           kind: str | None = None) -> Derivation | SynapseDerivation:
    """How ``method`` turns the model into its update, step by step, and (last step,
    ``"loop"``) the statements the network's compiled loop runs for it.

    Parameters
    ----------
    model_or_equations
        Equations, an equation string, an :class:`~eqsnn.integrators.OdeSystem`, or a
        built-in model (its threshold, reset, refractoriness and namespace are used).
    method
        A registered method, or ``None``: the model's own method for a built-in model,
        else chosen by capability (as for a ``NeuronGroup``). For a synapse model it is
        the method of the clock-driven equations only.
    namespace
        Values of the constants the equations use (``{"tau": 10*ms}``), as a
        ``NeuronGroup`` takes them; they override a built-in model's own. Only their
        names and units matter: the statements do not depend on the values. Without
        the values the last step says which names are missing.
    substitute_subexpressions
        Show the model with subexpressions substituted (default: as written).
    kind
        ``"neurons"`` or ``"synapses"``: whose equations these are. Default: a synapse
        model (``es.models.get("PairAdditive")``) or equations with an
        ``(event-driven)`` or ``(clock-driven)`` flag are a synapse's, the rest a neuron
        group's.

    Returns
    -------
    Derivation
        For a neuron model.
    SynapseDerivation
        For a synapse model, as ``eqsnn derive`` shows it: the clock-driven equations
        (integrated every step with ``method``) and the event-driven ones (advanced
        exactly when a spike reaches the synapse, over ``t - lastupdate``), each derived
        on its own, without the ``"loop"`` step (a synapse's statements depend on the
        groups it connects).

    Raises
    ------
    InvalidValueError
        For a model without differential equations (nothing to derive), an unknown
        ``kind``, or a method for a synapse model whose equations are all event-driven.
    """
    if _kind(model_or_equations, kind) == "synapses":
        return derive_synapse_model(model_or_equations, method,
                                    substitute_subexpressions=substitute_subexpressions)
    from eqsnn.integrators import derive as derive_update
    if isinstance(model_or_equations, OdeSystem):  # (no group's model: nothing compiled)
        return derive_update(model_or_equations, method,
                             substitute_subexpressions=substitute_subexpressions)
    _refuse_nothing_to_derive(model_or_equations)
    derivation = derive_update(model_or_equations, method,
                               substitute_subexpressions=substitute_subexpressions)
    step = loop_step(model_or_equations, derivation.method, namespace or {})
    return Derivation(derivation.method, derivation.steps + (step,))


def loop_step(model: Any, method: str, namespace: Mapping[str, Any]) -> DerivationStep:
    """The ``"loop"`` step: the state update, threshold and reset of a group of
    ``model`` as the network's C code computes them (or, without values for its
    constants, a note naming them)."""
    from eqsnn.lowering.namespace import check_namespace
    from eqsnn.lowering.neurons import NeuronLowering
    equations, threshold, reset, refractory, own = _parts(model)
    namespace = check_namespace({**own, **namespace})  # (as a group checks its own)
    try:
        lowering = NeuronLowering("derive", equations, threshold, reset, method, namespace,
                                  lambda: None, refractory)
    except UnknownNameError as error:
        if getattr(error, "missing_name", None) is None:
            raise
        missing = _missing(as_equations(equations), namespace, error.missing_name)
        given = ", ".join(f"{name!r}: ..." for name in missing)
        return DerivationStep(
            "loop", _TITLE, f"Not shown: the model uses {', '.join(missing)}, which "
            f"{'has' if len(missing) == 1 else 'have'} no value here. Give them as a "
            f"NeuronGroup gets them, derive(..., namespace={{{given}}}): only their names "
            f"and units shape the statements, not their values.")
    code = lowering.printed_code(COMPILED)
    return DerivationStep("loop", _TITLE, _SENTENCE + _calls(code.stateupdate.lines),
                          code=tuple(_sections(code)))


_SENTENCE = (
    "What the network's C code computes each step, from the group's build record: the "
    "update above after the build stage's passes, which give both backends the same "
    "arithmetic (unit names such as mV become numbers; calls of exp and exprel whose "
    "arguments differ by a constant share one exp, _exp0), with the parts that depend "
    "only on constants and dt computed once per step, before the loop over the neurons "
    "(_su_inv…, _th_inv…); then the threshold and the reset, if the model has them. "
    "v[_i] is neuron _i's v.")


def _sections(code) -> list[str]:
    """The lines of the state update, the threshold and the reset, each under a comment
    that says when it runs (the order of the templates)."""
    lines = []
    update = code.stateupdate
    if update.hoisted:
        lines += ["/* state update, once per step */", *update.hoisted]
    lines += ["/* state update, for each neuron */", *update.lines]
    if code.threshold is not None:
        if code.threshold.hoisted:
            lines += ["/* threshold, once per step */", *code.threshold.hoisted]
        lines += ["/* threshold: a neuron spikes where this is true */", code.threshold.text]
    if code.reset is not None and code.reset.lines:
        lines += ["/* reset, for each neuron that spiked */", *code.reset.lines]
    return lines


def _calls(lines) -> str:
    """What one neuron's step calls, counted in its lines (what an update costs)."""
    text = "\n".join(lines)
    calls = {name: len(re.findall(rf"(?<![\w.]){name}\(", text))
             for name in ("eqsnn_exp", "eqsnn_exprel", "eqsnn_inv_exprel")}
    shared = len(re.findall(r"eqsnn_(?:inv_)?exprel_from_exp\(", text))
    if not (sum(calls.values()) or shared):
        return ""
    return (f" Calls for each neuron and step: exp {calls['eqsnn_exp']}, expm1 "
            f"{calls['eqsnn_exprel'] + calls['eqsnn_inv_exprel']} (inside eqsnn_exprel, "
            f"eqsnn_inv_exprel); exprel from a shared exp (a division, no call): {shared}.")


def _parts(model: Any):
    """(equations, threshold, reset, refractoriness as a string or None, namespace) of a
    built-in model, as a NeuronGroup unpacks it; of equations, just those."""
    if isinstance(model, str) or hasattr(model, "differential"):
        return model, None, None, None, {}
    refractory = getattr(model, "refractory", None)
    return (model.equations, getattr(model, "threshold", None), getattr(model, "reset", None),
            refractory if isinstance(refractory, str) else None,
            dict(getattr(model, "namespace", None) or {}))


def _kind(model: Any, kind: str | None) -> str:
    """Whose equations ``model`` holds: ``"neurons"`` or ``"synapses"``."""
    if kind not in (None, "neurons", "synapses"):
        raise InvalidValueError(f"derive(kind={kind!r}) is not a kind of model",
                                hint='kind="neurons" or kind="synapses", or leave it out')
    if kind == "neurons" and hasattr(model, "on_pre"):
        raise InvalidValueError(f"derive(kind='neurons') was given a synapse model "
                                f"({getattr(model, 'name', model)!r})",
                                hint="leave kind out, or give the model's equations")
    if kind is not None:
        return kind
    return "synapses" if is_synapse_model(model) else "neurons"


def _refuse_nothing_to_derive(model: Any) -> None:
    """A neuron model without differential equations has no update to show."""
    equations = as_equations(_parts(model)[0])
    if not equations.differential:
        raise InvalidValueError(
            "the model has no differential equations to derive",
            hint=NO_EQUATIONS_HINT)


def _missing(equations, namespace: Mapping[str, Any], first: str) -> list[str]:
    """The names the model uses that nothing defines (the first one the build stage
    found first)."""
    from eqsnn import units
    from eqsnn.lowering.names import BUILTIN_NAMES
    names = {name for name in equations.external_names | equations.external_functions
             if name not in namespace and name not in units.UNIT_NAMES
             and name not in BUILTIN_NAMES}
    return [first] + sorted(names - {first})
