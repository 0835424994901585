"""``method=None``: try methods in a fixed, documented order and record why.

Deterministic equations: ``exact`` (linear, constant coefficients), then
``exponential_euler`` (every equation linear in its own variable, with a nonzero
coefficient — so no variable would silently fall back to Euler), then ``rk4``.
Stochastic equations: ``euler`` (Euler–Maruyama, additive noise), then ``heun``
(multiplicative noise, Stratonovich interpretation). The first method whose check passes
is used; :attr:`StateUpdate.reason` lists every rejected method with its reason.
"""
from __future__ import annotations

from eqsnn.errors import UnsupportedEquationsError
from eqsnn.integrators.base import Integrator, get_integrator, unsupported
from eqsnn.integrators.exponential_euler import conditionally_linear
from eqsnn.integrators.system import OdeSystem

__all__ = ["choose", "DETERMINISTIC_ORDER", "STOCHASTIC_ORDER"]

DETERMINISTIC_ORDER = ("exact", "exponential_euler", "rk4")
STOCHASTIC_ORDER = ("euler", "heun")


def _check_for_chooser(integrator: Integrator, system: OdeSystem) -> None:
    integrator.check(system)
    if integrator.name == "exponential_euler":
        for x in system.states:
            A, _ = conditionally_linear(system, x)
            if A == 0:
                raise unsupported(integrator.name, f"the equation for {x} does not depend "
                                  f"on {x}, so {x} would take a plain Euler step")


def choose(system: OdeSystem) -> tuple[Integrator, str]:
    """The first capable method, and the record of the choice."""
    order = STOCHASTIC_ORDER if system.is_stochastic else DETERMINISTIC_ORDER
    rejected = []
    for name in order:
        integrator = get_integrator(name)
        try:
            _check_for_chooser(integrator, system)
        except UnsupportedEquationsError as error:
            rejected.append(f"'{name}' rejected: {error.message}")
            continue
        kind = "stochastic" if system.is_stochastic else "deterministic"
        reason = f"chosen automatically: '{name}' is the first of {', '.join(order)} " \
                 f"({kind} equations) that can integrate them"
        return integrator, "; ".join([reason] + rejected)
    raise UnsupportedEquationsError(
        "no integration method can handle these equations:\n  " + "\n  ".join(rejected),
        hint="see the reasons above; pass method=... explicitly to get that method's "
             "full error")
