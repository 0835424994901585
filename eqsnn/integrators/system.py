"""The small typed system every integrator works on: ``dx = f(x, t) dt + g(x, t) dW``.

:class:`OdeSystem` holds, per state variable, the drift ``f`` and the coefficient of each
white-noise symbol ``xi`` (noise enters linearly: ``dx/dt = f + sum_k g_k * xi_k``).
Integrators never look at an :class:`~eqsnn.equations.Equations` object directly; the one
adapter :meth:`OdeSystem.from_equations` builds the system from it, so the methods can be
developed and tested on plain SymPy expressions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import sympy

from eqsnn.equations.symbols import TIME, is_noise_name, symbol
from eqsnn.errors import SourceSpan, UnsupportedEquationsError

__all__ = ["OdeSystem"]


@dataclass(frozen=True)
class OdeSystem:
    """``dx_i/dt = drift[x_i] + sum_k diffusion[x_i][xi_k] * xi_k`` for each state.

    Parameters
    ----------
    states
        The state variables, in the order of the equations.
    drift
        Deterministic right-hand side per state (subexpressions substituted).
    diffusion
        Per state, the coefficient of each noise symbol it contains (absent = 0).
    unless_refractory
        States that are frozen while a neuron is refractory.
    written
        Right-hand sides as the user wrote them (subexpressions not substituted), for the
        derivation; defaults to ``drift + noise``.
    subexpressions
        ``{name: expression}`` in dependency order, for the derivation.
    spans
        Where each state's equation is in the user's text, for error messages.
    step_constant_functions
        Names of external functions of time that hold their value over each step
        (a TimedArray whose dt is a multiple of the simulation's): ``exact`` may treat
        ``f(t)`` as a constant input. The runtime checks the multiple when it runs.
    """

    states: tuple[sympy.Symbol, ...]
    drift: Mapping[sympy.Symbol, sympy.Expr]
    diffusion: Mapping[sympy.Symbol, Mapping[sympy.Symbol, sympy.Expr]] = field(
        default_factory=dict)
    unless_refractory: frozenset[sympy.Symbol] = frozenset()
    written: Mapping[sympy.Symbol, sympy.Expr] | None = None
    subexpressions: Mapping[sympy.Symbol, sympy.Expr] = field(default_factory=dict)
    spans: Mapping[sympy.Symbol, SourceSpan] = field(default_factory=dict)
    step_constant_functions: frozenset[str] = frozenset()

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_rhs(cls, rhs: Mapping[Any, Any], *, unless_refractory=(), written=None,
                 subexpressions=None, spans=None) -> "OdeSystem":
        """Build from ``{state: full right-hand side}``, splitting off the noise terms.

        Keys may be names or symbols; values SymPy expressions (or strings SymPy can
        parse, for tests). Noise symbols are recognised by name (``xi``, ``xi_*``).
        """
        spans = {_sym(k): v for k, v in (spans or {}).items()}
        states = tuple(_sym(name) for name in rhs)
        full = {x: _expr(e) for x, e in zip(states, rhs.values())}
        drift, diffusion = {}, {}
        for x, expr in full.items():
            drift[x], diffusion[x] = _split_noise(x, expr, spans.get(x))
        return cls(states=states, drift=drift,
                   diffusion={x: d for x, d in diffusion.items() if d},
                   unless_refractory=frozenset(_sym(n) for n in unless_refractory),
                   written={_sym(x): _expr(e) for x, e in (written or full).items()},
                   subexpressions={_sym(n): _expr(e) for n, e in (subexpressions or {}).items()},
                   spans=spans)

    @classmethod
    def from_equations(cls, equations) -> "OdeSystem":
        """The adapter from :class:`eqsnn.equations.Equations` (see docs/internals.md)."""
        rhs, written, spans, frozen = {}, {}, {}, []
        for name, entry in equations.differential.items():
            x = symbol(name)
            rhs[x] = equations.rhs(name)
            written[x] = entry.expr
            spans[x] = _entry_span(equations.source, entry)
            if "unless refractory" in entry.flags:
                frozen.append(x)
        subexpressions = {symbol(name): entry.expr
                          for name, entry in equations.subexpressions.items()}
        return cls.from_rhs(rhs, unless_refractory=frozen, written=written,
                            subexpressions=subexpressions, spans=spans)

    # --- queries ------------------------------------------------------------------------
    @property
    def noise_symbols(self) -> tuple[sympy.Symbol, ...]:
        found = {xi for coefficients in self.diffusion.values() for xi in coefficients}
        return tuple(sorted(found, key=lambda s: s.name))

    @property
    def is_stochastic(self) -> bool:
        return bool(self.noise_symbols)

    def noise(self, x: sympy.Symbol, xi: sympy.Symbol) -> sympy.Expr:
        """Coefficient of ``xi`` in the equation of ``x`` (0 if absent)."""
        return self.diffusion.get(x, {}).get(xi, sympy.S.Zero)

    def multiplicative_noise(self) -> list[tuple[sympy.Symbol, sympy.Symbol]]:
        """``(state, xi)`` pairs whose noise coefficient depends on a state variable."""
        states = set(self.states)
        return [(x, xi) for x in self.states for xi, g in self.diffusion.get(x, {}).items()
                if g.free_symbols & states]

    def span(self, x: sympy.Symbol) -> SourceSpan | None:
        return self.spans.get(x)

    def map(self, function) -> "OdeSystem":
        """A copy with ``function`` applied to every drift and noise coefficient."""
        return OdeSystem(
            states=self.states,
            drift={x: function(e) for x, e in self.drift.items()},
            diffusion={x: {xi: function(g) for xi, g in d.items()}
                       for x, d in self.diffusion.items()},
            unless_refractory=self.unless_refractory, written=self.written,
            subexpressions=self.subexpressions, spans=self.spans,
            step_constant_functions=self.step_constant_functions)

    def depends_on_time(self) -> bool:
        return any(e.has(TIME) for e in self.drift.values())


def _sym(name) -> sympy.Symbol:
    return name if isinstance(name, sympy.Symbol) else symbol(str(name))


def _expr(value) -> sympy.Expr:
    if isinstance(value, str):
        # Convenience for tests and notebooks only (real models come through the
        # parser): every name not called as a function is a real symbol, so that "I"
        # is a current, not the imaginary unit.
        names = set(re.findall(r"[A-Za-z_]\w*(?!\w*\s*\()", value))
        return sympy.sympify(value, locals={name: symbol(name) for name in names})
    return sympy.sympify(value)


def _split_noise(x: sympy.Symbol, expr: sympy.Expr, span: SourceSpan | None):
    """``expr = drift + sum_k g_k xi_k``; refuse noise that does not enter linearly."""
    noise = sorted((s for s in expr.free_symbols if is_noise_name(s.name)),
                   key=lambda s: s.name)
    coefficients = {}
    for xi in noise:
        g = sympy.diff(expr, xi)
        if any(g.has(other) for other in noise):
            raise UnsupportedEquationsError(
                f"the noise term {xi} enters the equation for {x} nonlinearly "
                f"(d/d{xi} of the right-hand side is {g}, which still contains noise)",
                span=span,
                hint=f"white noise must appear as a term '... + sigma*{xi}', with sigma "
                     f"free of {', '.join(map(str, noise))}")
        coefficients[xi] = g
    drift = expr.subs({xi: 0 for xi in noise}) if noise else expr
    return drift, coefficients


def _entry_span(source: str, entry) -> SourceSpan | None:
    if source is None or getattr(entry, "line", None) is None:
        return None
    lines = source.splitlines()
    text = lines[entry.line - 1] if 0 < entry.line <= len(lines) else ""
    start = len(text) - len(text.lstrip())
    end = text.find(":", start) if ":" in text[start:] else len(text)
    return SourceSpan(source, entry.line, start, max(end, start + 1), "equations")
