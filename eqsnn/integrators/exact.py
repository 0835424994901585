"""``exact`` (alias ``linear``): the closed-form solution of ``dx/dt = A x + b``.

Accepts systems that are linear in the state variables with coefficients constant over
a step (they may depend on parameters, never on ``t`` or on states). The update is
``x_new = exp(A dt) x + (integral of exp(A s) ds over the step) b``, i.e. the last column
of the exponential of the augmented matrix ``[[A, b], [0, 0]]``.

Two ways to the matrix exponential:

* **triangular systems** (no feedback loops between variables, e.g. LIF driven by an
  exponentially decaying synaptic current): entry ``(i, j)`` of ``exp(T dt)`` is a sum
  over the paths ``j → … → i`` of the product of couplings times the *divided
  difference* of ``exp(lambda dt)`` over the eigenvalues on the path. First-order
  differences are written ``dt exp(lambda_j dt) exprel((lambda_i - lambda_j) dt)``,
  which stays exact when ``tau_m == tau_s`` at run time (exprel(0) = 1) instead of
  dividing by zero. Fast: no eigenvector computation at all.
* **coupled systems** (a feedback loop, e.g. an oscillator with complex eigenvalues):
  SymPy's Jordan-form exponential, rewritten to real functions (``exp*cos``,
  ``exp*sin``). Cached on the matrix structure.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import sympy
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from eqsnn.equations.budget import within_budget
from eqsnn.equations.functions import exprel, rand, randn
from eqsnn.equations.symbols import DT, TIME, symbol
from eqsnn.integrators.base import Integrator, Scheme, register, unsupported
from eqsnn.integrators.derivation import DerivationRecorder, linear_scheme_rows
from eqsnn.integrators.system import OdeSystem

__all__ = ["Exact", "linear_form"]


def linear_form(system: OdeSystem, method: str = "exact"):
    """``(A, b)`` with ``drift = A x + b``; raise naming the first nonlinear term."""
    states = system.states
    rows, constants = [], []
    for x in states:
        f = system.drift[x]
        condition = _condition_on_states(f, states)
        if condition is not None:
            raise unsupported(
                method, f"the equation for {x} switches on the condition {condition}, "
                f"which depends on the state variables, so it is not linear in them",
                span=system.span(x), hint=_nonlinear_hint(method))
        row = [sympy.diff(f, y) for y in states]
        if any(coefficient.free_symbols & set(states) for coefficient in row):
            term, y, bad = _nonlinear_term(f, states)
            raise unsupported(
                method, f"the equation for {x} is not linear in the state variables: "
                f"the term {term} is nonlinear (its derivative with respect to {y} still "
                f"depends on {', '.join(sorted(map(str, bad)))})",
                span=system.span(x), hint=_nonlinear_hint(method))
        try:
            b = f.xreplace({y: 0 for y in states})
        except (TypeError, ValueError, ArithmeticError):  # SymPy refusing e.g. zoo > 1
            b = sympy.nan
        if b.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
            raise unsupported(method, f"the equation for {x} is undefined where the state "
                              f"variables are 0, so it has no linear form A x + b",
                              span=system.span(x), hint=_nonlinear_hint(method))
        for part in row + [b]:
            if _time_dependent(part, system.step_constant_functions):
                raise unsupported(
                    method, f"the equation for {x} depends on the time t (through "
                    f"{_time_term(f)}), so its coefficients are not constant over a step",
                    span=system.span(x), hint="use method='rk4' (or 'euler'/'rk2'), "
                    "which evaluate time-dependent inputs at each stage")
            if part.has(rand, randn):
                raise unsupported(method, f"the equation for {x} draws random numbers",
                                  span=system.span(x))
        rows.append(row)
        constants.append(b)
    return sympy.ImmutableMatrix(rows), sympy.ImmutableMatrix(constants)


class Exact(Integrator):
    name = "exact"
    aliases = ("linear",)
    order = None
    summary = "The exact solution of a linear system over one step."

    def check(self, system: OdeSystem) -> None:
        if system.is_stochastic:
            raise unsupported(self.name, "they contain noise; the exact propagator is "
                              "implemented for deterministic linear systems only",
                              hint="use method='euler' (additive noise) or 'heun'/'milstein'")
        _within_budget(system, "checking that the equations are linear",
                       lambda: linear_form(system, self.name))

    def build(self, system: OdeSystem, recorder: DerivationRecorder) -> Scheme:
        return _within_budget(system, "solving the equations exactly",
                              lambda: self._build(system, recorder))

    def _build(self, system: OdeSystem, recorder: DerivationRecorder) -> Scheme:
        A, b = linear_form(system, self.name)
        states = sympy.ImmutableMatrix(system.states)
        notes: list[str] = []
        recorder.add("scheme", "Linear form and its solution over one step",
                     "The equations have the form dx/dt = A x + b, so the solution after "
                     "one step dt is exact: x(t + dt) = exp(A dt) x(t) + (integral from 0 "
                     "to dt of exp(A s) ds) b, the last column of the exponential of the "
                     "augmented matrix [[A, b], [0, 0]] times dt.",
                     linear_scheme_rows(system.states, A, b),
                     assumption="the right-hand sides are linear in the state variables, "
                     "and A and b stay constant over a step (they contain neither t nor a "
                     "state variable).")
        propagator, degenerate = _augmented_exponential(A, b)
        notes += [f"exact: the closed form divides by {d}; it is undefined for parameter "
                  f"values that make this zero (repeated eigenvalues)" for d in degenerate]
        n = len(system.states)
        updates = {}
        for i, x in enumerate(system.states):
            new = sum((propagator[i, j] * states[j] for j in range(n)), sympy.S.Zero)
            updates[x] = new + propagator[i, n]
        recorder.add("stages", "Propagator with the model substituted",
                     "The entries of exp(A dt) (columns for each variable's old value, and "
                     "the last column for the constant input):",
                     [(symbol(f"{x.name}_new"), updates[x]) for x in system.states],
                     assumption=_propagator_assumption(A, b, degenerate))
        return Scheme([], updates, notes)


def _within_budget(system: OdeSystem, what: str, work):
    """``work()`` under the symbolic time budget; the error points at the first equation
    (the work is on the whole system)."""
    first = system.span(system.states[0]) if system.states else None
    return within_budget(work, what=f"method 'exact': {what}", span=first,
                         hint="use method='rk4' (or let eqsnn choose with method=None)")


def _propagator_assumption(A, b, degenerate) -> str:
    """What the closed form needs of the parameters, for the derivation."""
    n = A.shape[0]
    if _topological_order(A.row_join(b).col_join(sympy.zeros(1, n + 1))) is not None:
        return ("none beyond the linear form: equal time constants are covered (the "
                "divided differences are written with exprel, exact when they coincide)")
    vanishing = [d for d in degenerate if not isinstance(d, sympy.exp)]  # exp(...) > 0
    text = ("a feedback loop couples the variables: the exponential comes from the "
            "eigenvalues of A, complex ones written with exp·cos and exp·sin")
    if vanishing:
        text += ("; they must be distinct: the closed form divides by "
                 + ", ".join(map(str, vanishing)) + ", which must not be zero")
    return text


def _augmented_exponential(A, b):
    """``exp([[A, b], [0, 0]] dt)`` as a Matrix, and denominators that may vanish."""
    n = A.shape[0]
    M = A.row_join(b).col_join(sympy.zeros(1, n + 1))
    order = _topological_order(M)
    if order is not None:
        return _triangular_exponential(M, order), ()
    return _coupled_exponential(sympy.ImmutableMatrix(M))


def _topological_order(M):
    """Indices ordered so every variable comes after those it depends on, or None."""
    n = M.shape[0]
    deps = {i: {j for j in range(n) if j != i and M[i, j] != 0} for i in range(n)}
    order, done = [], set()
    while len(order) < n:
        ready = [i for i in range(n) if i not in done and deps[i] <= done]
        if not ready:
            return None  # a feedback loop: coupled system
        order.append(ready[0])
        done.add(ready[0])
    return order


def _triangular_exponential(M, order):
    n = M.shape[0]
    lam = [M[i, i] for i in range(n)]
    position = {node: k for k, node in enumerate(order)}
    result = sympy.zeros(n, n)
    for i in range(n):
        for j in range(n):
            if position[j] > position[i]:
                continue
            total = sympy.S.Zero
            for path in _paths(M, order, position, j, i):
                coupling = sympy.Mul(*[M[path[k + 1], path[k]] for k in range(len(path) - 1)])
                total += coupling * _divided_difference(tuple(lam[p] for p in path))
            result[i, j] = total
    return result


def _paths(M, order, position, start, end):
    """All dependency chains start → … → end (each step a nonzero coupling)."""
    if start == end:
        yield (start,)
        return
    for nxt in order[position[start] + 1: position[end] + 1]:
        if M[nxt, start] != 0:
            for rest in _paths(M, order, position, nxt, end):
                yield (start,) + rest


@lru_cache(maxsize=512)
def _divided_difference(lams: tuple) -> sympy.Expr:
    """Divided difference of ``exp(lambda*dt)`` over ``lams`` (confluent where equal)."""
    m = len(lams) - 1
    if all(_same(lams[0], other) for other in lams[1:]):
        return DT**m / sympy.factorial(m) * sympy.exp(lams[0] * DT)
    if m == 1:
        low, high = lams
        if _same(low, 0) or _same(high, 0):
            other = high if _same(low, 0) else low
            return (sympy.exp(other * DT) - 1) / other
        # Stable at low == high (a run-time coincidence such as tau_m == tau_s).
        return DT * sympy.exp(low * DT) * exprel((high - low) * DT)
    # Recurse on two distinct values, preferring a zero one: dividing by (lambda - 0)
    # is safe, dividing by a difference of two parameters may not be.
    pairs = [(a, b) for a, b in combinations(range(len(lams)), 2)
             if not _same(lams[a], lams[b])]
    a, b = min(pairs, key=lambda p: not (_same(lams[p[0]], 0) or _same(lams[p[1]], 0)))
    without_a = lams[:a] + lams[a + 1:]
    without_b = lams[:b] + lams[b + 1:]
    return (_divided_difference(without_a) - _divided_difference(without_b)) / (lams[b] - lams[a])


def _same(a, b) -> bool:
    return sympy.simplify(a - b) == 0


@lru_cache(maxsize=64)
def _coupled_exponential(M: sympy.ImmutableMatrix):
    """Jordan-form exponential, made real; also the denominators that may vanish."""
    expm = (M * DT).exp()
    real = expm.applyfunc(_realify)
    degenerate = set()
    for entry in real:
        _, denominator = sympy.fraction(sympy.together(entry))
        for factor in sympy.Mul.make_args(sympy.factor(denominator)):
            base = factor.base if factor.is_Pow else factor
            if base.free_symbols - {DT} and not base.is_Symbol and not _positive_sum(base):
                degenerate.add(base)
    return real, tuple(sorted(degenerate, key=str))


def _realify(entry: sympy.Expr) -> sympy.Expr:
    if not entry.has(sympy.I):
        return sympy.simplify(entry)
    real = sympy.simplify(sympy.expand_complex(entry))
    if real.has(sympy.I):
        raise unsupported("exact", f"the propagator entry {entry} could not be written "
                          f"with real functions", hint="use method='rk4'")
    return real


def _positive_sum(expr) -> bool:
    # a**2 + w**2 cannot vanish for the real, nonzero parameters of an oscillator.
    return expr.is_Add and all(term.is_Pow and term.exp == 2 for term in expr.args)


def _nonlinear_term(f, states):
    """The first term of ``f`` (expanded if small) that is nonlinear, with the culprit."""
    terms = sympy.Add.make_args(sympy.expand(f) if sympy.count_ops(f) < 300 else f)
    for term in terms:
        for y in states:
            bad = sympy.diff(term, y).free_symbols & set(states)
            if bad:
                return term, y, bad
    return f, states[0], set(states)


def _condition_on_states(f, states):
    """The first comparison in ``f`` that involves a state variable, or None."""
    for condition in sorted(f.atoms(Relational), key=sympy.default_sort_key):
        if condition.free_symbols & set(states):
            return condition
    return None


def _time_dependent(expr, step_constant: frozenset[str] = frozenset()) -> bool:
    """Whether ``expr`` varies with t within a step; ``f(t)`` for a function named in
    ``step_constant`` (a TimedArray on the step grid) does not."""
    calls = {call: sympy.Symbol("_held") for call in expr.atoms(AppliedUndef)
             if call.func.__name__ in step_constant and call.args[0] == TIME
             and not any(arg.has(TIME) for arg in call.args[1:])}  # f(t) or f(t, i)
    return expr.xreplace(calls).has(TIME)


def _time_term(f) -> sympy.Expr:
    for term in sympy.Add.make_args(f):
        if term.has(TIME):
            return term
    return TIME


def _nonlinear_hint(method: str) -> str:
    return ("use method='exponential_euler' if each equation is linear in its own "
            "variable, otherwise 'rk4' (or let eqsnn choose with method=None)")


register(Exact())
