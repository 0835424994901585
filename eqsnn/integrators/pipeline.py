"""The one pipeline behind both :func:`integrate` and :func:`derive`.

model → (singularities rewritten) → method check → method scheme → shared assembly
(CSE, refractoriness, ordering) → statements; each stage records its derivation step as
it goes, so the derivation cannot drift from the code.
"""
from __future__ import annotations

import sympy

from eqsnn.equations.budget import within_budget
from eqsnn.integrators.assemble import assemble
from eqsnn.integrators.base import Integrator, StateUpdate
from eqsnn.integrators.derivation import DerivationRecorder, ddt
from eqsnn.integrators.singularities import remove_singularities
from eqsnn.integrators.system import OdeSystem

__all__ = ["run"]


def run(system: OdeSystem, integrator: Integrator, reason: str, *,
        substitute_subexpressions: bool = False) -> StateUpdate:
    """The whole pipeline, under the symbolic time budget (the error points at the first
    equation: the work is on the whole system)."""
    first = system.span(system.states[0]) if system.states else None
    return within_budget(
        lambda: _run(system, integrator, reason, substitute_subexpressions),
        what=f"integrating the equations with method '{integrator.name}'", span=first,
        hint="try another method, e.g. method='rk4'")


def _run(system: OdeSystem, integrator: Integrator, reason: str,
         substitute_subexpressions: bool) -> StateUpdate:
    recorder = DerivationRecorder()
    _record_model(system, recorder, substitute_subexpressions)
    system = _remove_singularities(system, recorder)
    integrator.check(system)
    scheme = integrator.build(system, recorder)
    statements = assemble(system, scheme, recorder)
    return StateUpdate(integrator.name, statements, reason,
                       recorder.freeze(integrator.name), tuple(scheme.notes))


def _record_model(system: OdeSystem, recorder: DerivationRecorder, substitute: bool) -> None:
    noise = {x: sum((g * xi for xi, g in system.diffusion.get(x, {}).items()), sympy.S.Zero)
             for x in system.states}
    if substitute or not system.subexpressions:
        rows = [(ddt(x), system.drift[x] + noise[x]) for x in system.states]
        sentence = "The differential equations" + (
            ", with the subexpressions substituted." if system.subexpressions else ".")
    else:
        rows = list(system.subexpressions.items())
        rows += [(ddt(x), system.written[x]) for x in system.states]
        sentence = "The subexpressions and the differential equations, as written."
    if system.unless_refractory:
        names = ", ".join(sorted(x.name for x in system.unless_refractory))
        sentence += f" {names}: frozen while refractory (unless refractory)."
    recorder.add("model", "The model", sentence, rows)


def _remove_singularities(system: OdeSystem, recorder: DerivationRecorder) -> OdeSystem:
    found: list = []

    def rewrite(expr):
        new, rewrites = remove_singularities(expr)
        found.extend(rewrites)
        return new

    system = system.map(rewrite)
    if found:
        recorder.add("model", "Removable singularities",
                     "These rate-function terms are 0/0 at one value of their argument; "
                     "written with exprel(w) = (exp(w) - 1)/w, exprel(0) = 1, they give the "
                     "limit there instead of NaN.", found)
    return system
