"""Explicit Runge–Kutta methods: Butcher tableaux (data) run by one engine.

A tableau is checked when it is built: it must be explicit, its rows must sum to ``c``
(so the time ``t + c_i*dt`` of each stage matches its state), and it must satisfy the
order conditions up to the order it declares. Adding a method = one :class:`ButcherTableau`
plus one :func:`register` line at the bottom of this module.

The same engine integrates stochastic equations: stage ``i`` evaluates the drift ``k_i``
and the noise increment ``G_i = sum_k g_k dW_k`` at the stage state
``X_i = x + sum_j a_ij (dt k_j + G_j)``, and the update is
``x + sum_i b_i (dt k_i + G_i)`` with one draw ``dW_k = sqrt(dt) randn`` per noise symbol
and step. With the Euler tableau that is Euler–Maruyama, with Heun's it is the
stochastic Heun method (which converges to the Stratonovich solution). What noise a
tableau may be used with is declared per method, not guessed.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import sympy

from eqsnn.equations.symbols import DT, TIME, symbol
from eqsnn.integrators.base import Integrator, Scheme, register, unsupported
from eqsnn.integrators.derivation import DerivationRecorder
from eqsnn.integrators.noise import draw_increments, increment_symbol, noise_summary
from eqsnn.integrators.system import OdeSystem

__all__ = ["ButcherTableau", "RungeKutta", "EULER", "MIDPOINT", "HEUN", "RK4"]

# Order conditions for explicit RK methods (rooted trees up to order 4), as functions of
# (A, b, c) returning the value that must equal the given fraction.
_CONDITIONS = {
    1: [(lambda A, b, c: sum(b), Fraction(1))],
    2: [(lambda A, b, c: _dot(b, c), Fraction(1, 2))],
    3: [(lambda A, b, c: _dot(b, [x * x for x in c]), Fraction(1, 3)),
        (lambda A, b, c: _dot(b, _mv(A, c)), Fraction(1, 6))],
    4: [(lambda A, b, c: _dot(b, [x ** 3 for x in c]), Fraction(1, 4)),
        (lambda A, b, c: _dot([bi * ci for bi, ci in zip(b, c)], _mv(A, c)), Fraction(1, 8)),
        (lambda A, b, c: _dot(b, _mv(A, [x * x for x in c])), Fraction(1, 12)),
        (lambda A, b, c: _dot(b, _mv(A, _mv(A, c))), Fraction(1, 24))],
}


def _dot(u, v):
    return sum(x * y for x, y in zip(u, v))


def _mv(A, v):
    return [_dot(row, v) for row in A]


@dataclass(frozen=True)
class ButcherTableau:
    """An explicit Runge–Kutta method ``(A, b, c)`` with its declared order.

    Coefficients are exact fractions (give ints, Fractions or strings like ``"1/2"``).
    ``A`` is given as its strictly-lower rows: ``a[i]`` has ``i`` entries.
    """

    a: tuple[tuple[Fraction, ...], ...]
    b: tuple[Fraction, ...]
    c: tuple[Fraction, ...]
    order: int

    def __post_init__(self):
        a = tuple(tuple(Fraction(x) for x in row) for row in self.a)
        b, c = tuple(Fraction(x) for x in self.b), tuple(Fraction(x) for x in self.c)
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "c", c)
        stages = len(b)
        if len(c) != stages or len(a) != stages:
            raise ValueError("tableau: a, b and c must have one entry per stage")
        if any(len(row) != i for i, row in enumerate(a)):
            raise ValueError("tableau: row i of a must have i entries (explicit methods)")
        for i, row in enumerate(a):
            if sum(row) != c[i]:
                raise ValueError(f"tableau: row {i} of a sums to {sum(row)}, but c[{i}] = "
                                 f"{c[i]}; stage times would not match stage states")
        full = [list(row) + [Fraction(0)] * (stages - len(row)) for row in a]
        for order in range(1, self.order + 1):
            if order not in _CONDITIONS:
                raise ValueError(f"tableau: no order conditions known beyond order 4")
            for condition, want in _CONDITIONS[order]:
                got = condition(full, b, c)
                if got != want:
                    raise ValueError(f"tableau: an order-{order} condition gives {got}, "
                                     f"needs {want}; the declared order {self.order} is wrong")

    @property
    def stages(self) -> int:
        return len(self.b)


EULER = ButcherTableau(a=((),), b=(1,), c=(0,), order=1)
MIDPOINT = ButcherTableau(a=((), ("1/2",)), b=(0, 1), c=(0, "1/2"), order=2)
HEUN = ButcherTableau(a=((), (1,)), b=("1/2", "1/2"), c=(0, 1), order=2)
RK4 = ButcherTableau(a=((), ("1/2",), (0, "1/2"), (0, 0, 1)),
                     b=("1/6", "1/3", "1/3", "1/6"), c=(0, "1/2", "1/2", 1), order=4)

#: What noise a tableau may integrate (see the module docstring).
NOISE_KINDS = (None, "additive", "ito", "stratonovich")


class RungeKutta(Integrator):
    """One explicit Runge–Kutta method, defined by its tableau.

    Parameters
    ----------
    name, tableau, summary
        The method's name, its coefficients and a one-line description.
    noise
        ``None`` (refuses noise), ``"additive"`` (noise coefficients may not depend on
        states; Itô and Stratonovich coincide), ``"ito"`` or ``"stratonovich"`` (any
        noise, converging to that interpretation).
    strong_order
        Strong order on the noise it accepts.
    """

    def __init__(self, name: str, tableau: ButcherTableau, summary: str, *,
                 noise: str | None = None, strong_order: float | None = None,
                 aliases: Sequence[str] = ()):
        if noise not in NOISE_KINDS:
            raise ValueError(f"noise must be one of {NOISE_KINDS}")
        self.name, self.tableau, self.summary = name, tableau, summary
        self.order, self.noise, self.strong_order = tableau.order, noise, strong_order
        self.aliases = tuple(aliases)

    # --- capability -------------------------------------------------------------------
    def check(self, system: OdeSystem) -> None:
        if not system.is_stochastic or self.noise in ("ito", "stratonovich"):
            return
        if self.noise is None:
            raise unsupported(self.name, f"they contain noise ({noise_summary(system)}), and "
                              f"'{self.name}' is a deterministic method",
                              hint="use 'euler' (Euler–Maruyama) for additive noise, "
                                   "'heun' (Stratonovich) or 'milstein' (Itô) for "
                                   "multiplicative noise")
        multiplicative = system.multiplicative_noise()
        if multiplicative:
            x, xi = multiplicative[0]
            raise unsupported(
                self.name, f"the noise is multiplicative: the coefficient of {xi} in the "
                f"equation for {x} is {system.noise(x, xi)}, which depends on state "
                f"variables. With multiplicative noise the Itô and Stratonovich readings "
                f"of the equation differ, and '{self.name}' would silently pick one",
                span=system.span(x),
                hint="use method='heun' (Stratonovich interpretation) or "
                     "method='milstein' (Itô interpretation)")

    # --- the engine -------------------------------------------------------------------
    def build(self, system: OdeSystem, recorder: DerivationRecorder) -> Scheme:
        tab, states = self.tableau, system.states
        noise = system.noise_symbols
        increments = draw_increments(system) if noise else {}
        temporaries = [(dw, expr) for dw, expr in increments.items()]
        self._record_formula(recorder, bool(noise))

        k = [{x: symbol(f"_k{i + 1}_{x.name}") for x in states} for i in range(tab.stages)]
        g = [{x: symbol(f"_g{i + 1}_{x.name}") for x in states} for i in range(tab.stages)]
        stage_rows = []
        for i in range(tab.stages):
            substitution = {TIME: TIME + _q(tab.c[i]) * DT} if tab.c[i] else {}
            for x in states:
                offset = sum((_q(a) * (DT * k[j][x] + (g[j][x] if self._noisy(system, x)
                                                         else 0))
                              for j, a in enumerate(tab.a[i]) if a), sympy.S.Zero)
                if offset != 0:
                    substitution[x] = x + offset
            for x in states:
                slope = system.drift[x].xreplace(substitution)
                temporaries.append((k[i][x], slope))
                stage_rows.append((k[i][x], slope))
                if self._noisy(system, x):
                    increment = sum((system.noise(x, xi).xreplace(substitution)
                                     * increment_symbol(xi) for xi in noise), sympy.S.Zero)
                    temporaries.append((g[i][x], increment))
                    stage_rows.append((g[i][x], increment))

        updates = {}
        for x in states:
            step = sum((_q(bi) * (DT * k[i][x] + (g[i][x] if self._noisy(system, x) else 0))
                        for i, bi in enumerate(tab.b) if bi), sympy.S.Zero)
            updates[x] = x + step
        recorder.add("stages", "Stages with the model substituted",
                     "Each stage evaluates the right-hand side at the stage time "
                     "t + c_i*dt and the stage state; then the update combines them.",
                     [(dw, e) for dw, e in increments.items()] + stage_rows
                     + [(symbol(f"{x.name}_new"), updates[x]) for x in states])
        scheme = Scheme(temporaries, updates)
        return _inline_single_use(scheme)

    @staticmethod
    def _noisy(system: OdeSystem, x) -> bool:
        return bool(system.diffusion.get(x))

    def _record_formula(self, recorder: DerivationRecorder, stochastic: bool) -> None:
        """The scheme's general formula, from the tableau itself (never hand-written)."""
        tab = self.tableau
        x, f, h = sympy.Symbol("x"), sympy.Function("f"), DT
        ks = [sympy.Symbol(f"k_{i + 1}") for i in range(tab.stages)]
        rows = []
        for i in range(tab.stages):
            arg = x + h * sum((_q(a) * ks[j] for j, a in enumerate(tab.a[i])), sympy.S.Zero)
            rows.append((ks[i], f(TIME + _q(tab.c[i]) * h, arg)))
        update = x + h * sum((_q(bi) * ks[i] for i, bi in enumerate(tab.b)), sympy.S.Zero)
        rows.append((sympy.Symbol("x_new"), update))
        sentence = (f"{self.summary} For dx/dt = f(t, x) and a step dt, with "
                    f"{tab.stages} stage{'s' if tab.stages > 1 else ''} "
                    f"(order {tab.order}):")
        if stochastic:
            sentence += (" with noise, each stage also evaluates the noise increment "
                         "g(t, X_i) dW, and dt*k_i becomes dt*k_i + g_i dW "
                         "(dW = sqrt(dt)*randn(), drawn once per step).")
        assumption = (f"the right-hand side is smooth over a step; the error after a time T "
                      f"then shrinks like dt^{tab.order} (order {tab.order})")
        if stochastic:
            assumption += (f"; with noise, strong order {self.strong_order:g} "
                           f"({self.noise} noise)")
        recorder.add("scheme", f"The {self.name} scheme", sentence, rows, assumption=assumption)


def _q(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def _inline_single_use(scheme: Scheme) -> Scheme:
    """Inline stage temporaries that are read exactly once, by the update.

    Euler then reads ``v = v + dt*f(v)`` rather than going through ``_k1_v``; stages read
    by later stages stay temporaries (they are evaluated once either way).
    """
    temporaries, updates = list(scheme.temporaries), dict(scheme.updates)
    for name, expr in list(temporaries):
        if not name.name.startswith(("_k", "_g")):
            continue
        uses_in_temps = sum(rhs.has(name) for _, rhs in temporaries)
        uses_in_updates = [x for x, e in updates.items() if e.has(name)]
        if uses_in_temps == 0 and len(uses_in_updates) == 1:
            x = uses_in_updates[0]
            updates[x] = updates[x].xreplace({name: expr})
            temporaries = [(n, e) for n, e in temporaries if n != name]
    return Scheme(temporaries, updates, scheme.notes)


register(RungeKutta("euler", EULER, "Forward Euler: one slope at the start of the step.",
                    noise="additive", strong_order=1.0))
register(RungeKutta("rk2", MIDPOINT, "The midpoint method: a half step with the first "
                    "slope, then the full step with the slope at the midpoint.",
                    aliases=("midpoint",)))
register(RungeKutta("heun", HEUN, "Heun's method: the average of the slope at the start "
                    "and at an Euler predictor at the end of the step.",
                    noise="stratonovich", strong_order=1.0))
register(RungeKutta("rk4", RK4, "The classical fourth-order Runge–Kutta method."))
