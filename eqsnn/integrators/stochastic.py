"""``milstein``: strong order 1 for Itô equations with multiplicative noise.

For ``dx = f dt + sum_k g_k dW_k`` (Itô), with ``L^j = sum_l g_lj d/dx_l``:

    x_new = x + f dt + sum_k g_k dW_k + 1/2 sum_jk (L^j g_k) (dW_j dW_k - delta_jk dt)

This needs no Lévy areas when the noise is *commutative* (``L^j g_k == L^k g_j``), which
covers one noise source, diagonal noise, and additive noise; other noise is refused.
Euler–Maruyama and the stochastic Heun method are Runge–Kutta tableaux
(:mod:`eqsnn.integrators.runge_kutta`).

Interpretation of multiplicative noise, decided once for eqsnn: the method chooses it.
``milstein`` integrates the Itô equation, ``heun`` the Stratonovich one; ``euler`` refuses
multiplicative noise rather than silently picking one reading.
"""
from __future__ import annotations

import sympy

from eqsnn.equations.symbols import DT, symbol
from eqsnn.integrators.base import Integrator, Scheme, register, unsupported
from eqsnn.integrators.derivation import DerivationRecorder
from eqsnn.integrators.noise import draw_increments, increment_symbol
from eqsnn.integrators.system import OdeSystem

__all__ = ["Milstein"]


class Milstein(Integrator):
    name = "milstein"
    order = 1
    strong_order = 1.0
    summary = "Euler–Maruyama plus the Itô correction of multiplicative noise."

    def _operators(self, system: OdeSystem):
        """``{(j, k): [L^j g_k for each state]}``"""
        noise = system.noise_symbols
        L = {}
        for j in noise:
            for k in noise:
                L[j, k] = [sum((system.noise(y, j) * sympy.diff(system.noise(x, k), y)
                                for y in system.states), sympy.S.Zero)
                           for x in system.states]
        return L

    def check(self, system: OdeSystem) -> None:
        L = self._operators(system)
        for (j, k), column in L.items():
            for x, a, b in zip(system.states, column, L[k, j]):
                if sympy.simplify(a - b) != 0:
                    raise unsupported(
                        self.name, f"the noise terms {j} and {k} do not commute in the "
                        f"equation for {x} (L^{j} g_{k} != L^{k} g_{j}); Milstein's method "
                        f"would need Lévy areas", span=system.span(x),
                        hint="use method='heun' (Stratonovich), or a single noise "
                             "source per equation")

    def build(self, system: OdeSystem, recorder: DerivationRecorder) -> Scheme:
        x, f, g, g_prime, dW = sympy.symbols("x f g g' dW", real=True)
        recorder.add("scheme", "The Milstein scheme (Itô)",
                     "For dx = f dt + g dW (one noise source shown), the Euler–Maruyama "
                     "step plus the Itô correction 1/2 g g' (dW^2 - dt), with "
                     "dW = sqrt(dt)*randn() drawn once per step and noise source.",
                     [(sympy.Symbol("x_new"),
                       x + f * DT + g * dW + g * g_prime / 2 * (dW**2 - DT))],
                     assumption="the noise is commutative (one source per equation, or "
                     "additive), so no Lévy areas are needed; the equation is read in the "
                     "Itô sense; strong order 1")
        increments = draw_increments(system)
        temporaries = list(increments.items())
        noise = system.noise_symbols
        L = self._operators(system)
        updates, rows = {}, []
        for i, x_ in enumerate(system.states):
            new = x_ + DT * system.drift[x_]
            for k in noise:
                new += system.noise(x_, k) * increment_symbol(k)
            for (j, k), column in L.items():
                if column[i] != 0:
                    dwj, dwk = increment_symbol(j), increment_symbol(k)
                    new += column[i] / 2 * (dwj * dwk - (DT if j == k else 0))
            updates[x_] = new
            rows.append((symbol(f"{x_.name}_new"), new))
        recorder.add("stages", "The scheme with the model substituted",
                     "Drift, noise and correction terms evaluated at the start of the step:",
                     temporaries + rows)
        return Scheme(temporaries, updates)


register(Milstein())
