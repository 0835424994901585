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
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from eqsnn.errors import UnknownNameError
from eqsnn.integrators import Derivation, DerivationStep, OdeSystem
from eqsnn.targets import COMPILED

__all__ = ["derive", "loop_step"]

_TITLE = "Statements of the compiled loop"


def derive(model_or_equations: Any, method: str | None = None, *,
           namespace: Mapping[str, Any] | None = None,
           substitute_subexpressions: bool = False) -> Derivation:
    """How ``method`` turns the model into its update, step by step, and (last step,
    ``"loop"``) the statements the network's compiled loop runs for it.

    Parameters
    ----------
    model_or_equations
        Equations, an equation string, an :class:`~eqsnn.integrators.OdeSystem`, or a
        built-in model (its threshold, reset, refractoriness and namespace are used).
    method
        A registered method, or ``None``: the model's own method for a built-in model,
        else chosen by capability (as for a ``NeuronGroup``).
    namespace
        Values of the constants the equations use (``{"tau": 10*ms}``), as a
        ``NeuronGroup`` takes them; they override a built-in model's own. Only their
        names and units matter: the statements do not depend on the values. Without
        the values the last step says which names are missing.
    substitute_subexpressions
        Show the model with subexpressions substituted (default: as written).
    """
    from eqsnn.integrators import derive as derive_update
    derivation = derive_update(model_or_equations, method,
                               substitute_subexpressions=substitute_subexpressions)
    if isinstance(model_or_equations, OdeSystem):  # (no group's model: nothing compiled)
        return derivation
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
        missing = _missing(_parsed(equations), namespace, error.missing_name)
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
             for name in ("exp", "eqsnn_exprel", "eqsnn_inv_exprel")}
    shared = len(re.findall(r"eqsnn_(?:inv_)?exprel_from_exp\(", text))
    if not (sum(calls.values()) or shared):
        return ""
    return (f" Calls for each neuron and step: exp {calls['exp']}, expm1 "
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


def _parsed(equations):
    """``equations`` as an :class:`~eqsnn.equations.Equations` (parsed if a string)."""
    from eqsnn.equations import Equations, parse_equations
    return equations if isinstance(equations, Equations) else parse_equations(equations)


def _missing(equations, namespace: Mapping[str, Any], first: str) -> list[str]:
    """The names the model uses that nothing defines (the first one the build stage
    found first)."""
    from eqsnn import units
    from eqsnn.lowering.names import BUILTIN_NAMES
    names = {name for name in equations.external_names | equations.external_functions
             if name not in namespace and name not in units.UNIT_NAMES
             and name not in BUILTIN_NAMES}
    return [first] + sorted(names - {first})
