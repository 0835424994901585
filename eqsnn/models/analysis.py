"""What a teacher asks of a model, answered from its equations with SymPy.

* :func:`resting_state` — the stable steady state at a given (default zero) input;
* :func:`fixed_points` — every steady state, with the Jacobian's eigenvalues and a
  stability classification;
* :func:`jacobian` — the symbolic Jacobian of the right-hand sides;
* :func:`~eqsnn.models.phase_plane.nullclines` — the nullclines of a two-variable model
  on a grid (:mod:`eqsnn.models.phase_plane`);
* :func:`~eqsnn.models.firing.fi_curve` — firing rate against constant input,
  simulated (one network, one compile, one neuron per current; :mod:`eqsnn.models.firing`).

How steady states are found: a variable that appears linearly in an equation
(a gating variable in its own kinetics, ``u`` in Izhikevich's, ``w`` in AdEx's) is solved
for symbolically and substituted into the rest. What is left is usually one equation in
the membrane potential: a polynomial (Izhikevich, FitzHugh–Nagumo: all roots, from the
polynomial) or a transcendental function (Hodgkin–Huxley, AdEx: every sign change on a
grid, refined by bisection). Nothing is simulated.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import sympy

from eqsnn import units
from eqsnn.codegen.numpy_support import numpy_callable
from eqsnn.equations import functions as fn
from eqsnn.equations.symbols import symbol
from eqsnn.errors import InvalidValueError, UnsupportedEquationsError

__all__ = ["FixedPoint", "resting_state", "fixed_points", "jacobian"]

_VOLT = units.ureg.volt.dimensionality
# Where to look for steady states of a variable, in SI units, by dimension.
_SEARCH = {_VOLT: (-0.2, 0.1), units.DIMENSIONLESS: (-10.0, 10.0)}
_GRID = 4001


# --- results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FixedPoint:
    """A steady state of a model.

    Attributes
    ----------
    state
        Value of each differential variable (quantities).
    eigenvalues
        Eigenvalues of the Jacobian there, in 1/second (complex array).
    stability
        ``"stable node"``, ``"stable focus"``, ``"unstable node"``, ``"unstable focus"``,
        ``"saddle"``, ``"saddle-focus"`` (mixed signs, with a complex pair: HH past its
        Hopf bifurcation) or ``"non-hyperbolic"``.
    jacobian
        The Jacobian there, in SI units.
    """

    state: dict[str, Any]
    eigenvalues: np.ndarray
    stability: str
    jacobian: np.ndarray

    @property
    def stable(self) -> bool:
        return self.stability.startswith("stable")

    def __str__(self) -> str:
        values = ", ".join(f"{k} = {_short(v)}" for k, v in self.state.items())
        return f"{self.stability} at {values}"


# --- the equations as numbers ---------------------------------------------------------------
def _values(model, params: Mapping[str, Any]) -> dict[str, float]:
    """SI value of every name the equations use but do not integrate."""
    eqs = model.parsed()
    for name in params:
        if name not in model.namespace and name not in eqs.parameters:
            raise model._unknown(name)
    values: dict[str, float] = {}
    for name in eqs.parameters:
        given = params.get(name, model.initial.get(name, 0.0))
        if isinstance(given, str):
            raise InvalidValueError(
                f"give {name} as a value to analyse {model.name!r}, not the string {given!r}")
        values[name] = float(units.to_si(given)[0])
    for name in eqs.external_names:
        if name in values:
            continue
        if name in params or name in model.namespace:
            value = params.get(name, model.namespace.get(name))
            values[name] = float(units.to_si(value)[0])
        elif name in units.UNIT_NAMES:
            values[name] = float(units.to_si(1 * units.UNIT_NAMES[name])[0])
        elif name not in ("t",):
            raise InvalidValueError(f"model {model.name!r} uses {name!r}, which has no value")
    return values


def _system(model, params: Mapping[str, Any]):
    """State symbols and their right-hand sides with every constant substituted."""
    eqs = model.parsed()
    states = [symbol(name) for name in eqs.differential]
    subs = {symbol(k): v for k, v in _values(model, params).items()}
    rhs = [eqs.rhs(s.name).subs(subs) for s in states]
    return states, rhs


def _numeric(expr, args):
    """A numpy function of ``args`` (eqsnn's own functions mapped to numpy)."""
    return sympy.lambdify(args, expr, modules=[_EQSNN_FUNCTIONS, "numpy"])


#: eqsnn's own functions as the generated numpy code computes them
_EQSNN_FUNCTIONS = {name: numpy_callable(callee) for name, callee in fn.spellings("numpy").items()
                    if callee.startswith("eqsnn_")}


# --- steady states ----------------------------------------------------------------------
def _eliminate(states, rhs):
    """Solve equations linear in some variable for it; return what remains.

    Returns ``(solved, remaining)``: ``solved`` is a list of ``(symbol, expression)``
    in elimination order (each in terms of variables solved later or remaining), and
    ``remaining`` the equations not yet solved.
    """
    primary = states[0]
    pending = list(zip(states, rhs))
    solved: list[tuple[sympy.Symbol, sympy.Expr]] = []
    progress = True
    while progress and pending:
        progress = False
        # Own variable first (a gate in its own kinetics), the primary variable last.
        # The primary variable's own equation comes last: HH's current balance is
        # linear in v, but solving it for v first would leave three gate equations.
        order = sorted(range(len(pending)), key=lambda k: pending[k][0] == primary)
        for index in order:
            own, expr = pending[index]
            candidates = [own] if own != primary else []
            candidates += [s for s in states if s not in candidates and s != primary
                           and expr.has(s)]
            candidates.append(primary)
            for var in candidates:
                solution = _solve_linear(expr, var, states, own=var == own)
                if solution is None:
                    continue
                solved = [(s, e.subs(var, solution)) for s, e in solved]
                solved.append((var, solution))
                pending = [(o, e.subs(var, solution)) for j, (o, e) in enumerate(pending)
                           if j != index]
                progress = True
                break
            if progress:
                break
    return solved, [expr for _, expr in pending]


def _solve_linear(expr, var, states, *, own: bool):
    """``var`` from ``expr = 0`` if ``expr`` is linear in ``var`` (else ``None``).

    Solving a variable's own equation for it (a gate in its kinetics, ``w`` in
    ``tau_w w' = a (v - EL) - w``) divides by a rate that never vanishes, so any slope
    will do. For another variable, only a slope free of state variables is safe: HH's
    current balance is linear in ``h`` with slope ``-g_Na m³ (v - E_Na)/C``, which can be 0.
    """
    if not expr.has(var):
        return None
    slope = sympy.diff(expr, var)
    if slope.has(var) or slope == 0:
        return None
    if not own and any(slope.has(s) for s in states):
        return None
    return -expr.subs(var, 0) / slope


def _roots_1d(expr, var, search) -> list[float]:
    """All real roots of ``expr(var) = 0`` in ``search``."""
    numerator = sympy.numer(sympy.together(expr))
    if numerator.is_polynomial(var):
        poly = sympy.Poly(sympy.expand(numerator), var)
        roots = [complex(r) for r in poly.nroots(n=15, maxsteps=200)]
        scale = max((abs(r) for r in roots), default=1.0) or 1.0
        reals = sorted(r.real for r in roots if abs(r.imag) <= 1e-9 * scale)
        return [r for r in reals if np.isfinite(r)]
    f = _numeric(expr, var)
    grid = np.linspace(search[0], search[1], _GRID)
    with np.errstate(all="ignore"):
        values = np.asarray(f(grid), dtype=float) * np.ones_like(grid)
    roots = []
    for k in np.nonzero(np.sign(values[:-1]) * np.sign(values[1:]) <= 0)[0]:
        if not (np.isfinite(values[k]) and np.isfinite(values[k + 1])):
            continue
        if values[k] == 0 and k > 0 and values[k - 1] == 0:
            continue
        root = _bisect(f, grid[k], grid[k + 1])
        # A sign change across a pole is not a root.
        if abs(float(f(root))) <= 1e-6 * max(abs(values[k]), abs(values[k + 1]), 1e-300) \
                or values[k] == 0:
            if not roots or abs(root - roots[-1]) > 1e-12:
                roots.append(root)
    return roots


def _bisect(f, low: float, high: float) -> float:
    f_low = float(f(low))
    if f_low == 0:
        return low
    for _ in range(200):
        mid = 0.5 * (low + high)
        f_mid = float(f(mid))
        if f_mid == 0 or high - low <= 1e-15 * max(abs(low), abs(high), 1e-300):
            return mid
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return 0.5 * (low + high)


def _steady_states(model, params, search) -> list[dict[sympy.Symbol, float]]:
    states, rhs = _system(model, params)
    solved, remaining = _eliminate(states, rhs)
    free = sorted({s for e in remaining for s in e.free_symbols if s in states},
                  key=states.index)
    if not remaining:
        candidates = [{}]
    elif len(remaining) == 1 and len(free) == 1:
        var = free[0]
        dim = model.parsed().differential[var.name].dim
        window = search or _SEARCH.get(dim)
        if window is None:
            raise UnsupportedEquationsError(
                f"cannot search for steady states of {var.name} without a range",
                hint="pass search=(low, high) in SI units")
        window = tuple(float(units.to_si(w)[0]) for w in window)
        candidates = [{var: r} for r in _roots_1d(remaining[0], var, window)]
    else:
        raise UnsupportedEquationsError(
            f"the steady-state equations of {model.name!r} do not reduce to one equation "
            f"in one variable ({len(remaining)} left in {', '.join(map(str, free))})")
    points = []
    for values in candidates:
        point = dict(values)
        for var, expr in reversed(solved):
            point[var] = float(expr.subs(point))
        points.append({s: point[s] for s in states})
    return points


def _classify(eigenvalues: np.ndarray) -> str:
    scale = max(np.max(np.abs(eigenvalues)), 1e-300)
    real = eigenvalues.real
    if np.any(np.abs(real) <= 1e-9 * scale):
        return "non-hyperbolic"
    oscillating = np.any(np.abs(eigenvalues.imag) > 1e-9 * scale)
    if np.all(real < 0):
        return "stable focus" if oscillating else "stable node"
    if np.all(real > 0):
        return "unstable focus" if oscillating else "unstable node"
    return "saddle-focus" if oscillating else "saddle"


def jacobian(model) -> tuple[list[str], sympy.Matrix]:
    """The Jacobian of the model's right-hand sides, symbolic in all parameters.

    Returns
    -------
    (names, J)
        The differential variables in order and ``J[i, j] = d(dx_i/dt)/dx_j``
        (subexpressions substituted; in SI units once numbers are put in).
    """
    eqs = model.parsed()
    names = list(eqs.differential)
    states = [symbol(n) for n in names]
    rhs = sympy.Matrix([eqs.rhs(n) for n in names])
    return names, rhs.jacobian(states)


def fixed_points(model, *, search: Sequence[Any] | None = None, **params: Any) -> list[FixedPoint]:
    """Every steady state of ``model``, lowest membrane potential first.

    Parameters
    ----------
    model
        A :class:`~eqsnn.models.Model`.
    search
        ``(low, high)`` range of the first state variable to search (default: -200 mV
        to 100 mV for voltages, -10 to 10 for dimensionless variables).
    **params
        Values replacing the model's defaults, including per-neuron parameters such as
        the input ``I`` (default: the model's initial value, else 0).
    """
    names, J = jacobian(model)
    states = [symbol(n) for n in names]
    subs = {symbol(k): v for k, v in _values(model, params).items()}
    J_numeric = _numeric(J.subs(subs), states)
    dims = {n: model.parsed().differential[n].dim for n in names}
    result = []
    for point in _steady_states(model, params, search):
        args = [point[s] for s in states]
        matrix = np.array(J_numeric(*args), dtype=float).reshape(len(names), len(names))
        eigenvalues = np.linalg.eigvals(matrix)
        state = {n: units.from_si(point[symbol(n)], dims[n]) for n in names}
        result.append(FixedPoint(state, eigenvalues, _classify(eigenvalues), matrix))
    return result


def resting_state(model, *, search: Sequence[Any] | None = None, **params: Any) -> dict[str, Any]:
    """The stable steady state of ``model`` (input 0 unless given in ``params``).

    Where several steady states are stable, the one with the lowest value of the first
    variable (the membrane potential) is the resting state.

    Raises
    ------
    InvalidValueError
        When no steady state is stable (the model fires or oscillates at this input).
    """
    points = fixed_points(model, search=search, **params)
    stable = [p for p in points if p.stable]
    if not stable:
        found = "; ".join(str(p) for p in points) or "none"
        raise InvalidValueError(
            f"{model.name!r} has no stable resting state for these values (steady states: "
            f"{found})", hint="with this input the model fires or oscillates; lower the input")
    return dict(stable[0].state)


def _short(value: Any) -> str:
    if units.is_quantity(value):
        if value.dimensionality == _VOLT:
            value = value.to("mV")
        return f"{value.magnitude:.6g} {value.units:~P}"
    return f"{value:.6g}"
