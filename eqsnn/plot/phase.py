"""Phase planes of two-variable models: vector field, nullclines, fixed points and
trajectories — the picture that explains why a neuron spikes, bursts or rests.

Nullclines and fixed points come from :mod:`eqsnn.models.phase_plane` and
:mod:`eqsnn.models.analysis` (solved with SymPy, not traced numerically); trajectories are simulated with eqsnn itself, so resets after
spikes show as jumps, exactly as the network would see them.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from eqsnn import units
from eqsnn.errors import InvalidValueError
from eqsnn.plot._common import axes, display, label as axis_label

__all__ = ["phase_plane"]

_VOLT = units.ureg.volt.dimensionality


def _variables(model, x_var: str, y_var: str | None) -> tuple[str, str]:
    names = list(model.state_variables)
    if len(names) != 2:
        raise InvalidValueError(
            f"a phase plane needs a model with two differential variables; "
            f"{model.name!r} has {len(names)} ({', '.join(names)})",
            hint="for larger models use eqsnn.models.nullclines with the other variables held")
    if x_var not in names:
        raise InvalidValueError(f"{x_var!r} is not a variable of {model.name!r}",
                                hint=f"its variables are {', '.join(names)}")
    y_var = y_var or next(n for n in names if n != x_var)
    return x_var, y_var


def _si_range(value_range: Sequence[Any] | None, default: tuple[float, float]):
    if value_range is None:
        return default
    low, high = (float(units.to_si(v)[0]) for v in value_range)
    return low, high


def _rhs(model, x_var: str, y_var: str, params: Mapping[str, Any]):
    """Numeric ``(dx/dt, dy/dt)`` in SI units as functions of SI ``x, y``."""
    # The analysis module turns the equations into SymPy expressions with every
    # constant substituted; reuse it so the field and the nullclines agree exactly.
    from eqsnn.equations.symbols import symbol
    from eqsnn.models.analysis import _numeric, _system
    states, rhs = _system(model, params)
    order = {s.name: e for s, e in zip(states, rhs)}
    args = [symbol(x_var), symbol(y_var)]
    return _numeric(order[x_var], args), _numeric(order[y_var], args)


def _field(ax, fx, fy, xs: np.ndarray, ys: np.ndarray, x_scale: float, y_scale: float,
           density: int) -> None:
    """Unit-length arrows in screen proportions, coloured by log speed."""
    X, Y = np.meshgrid(np.linspace(*xs, density), np.linspace(*ys, density))
    with np.errstate(all="ignore"):
        U = np.asarray(fx(X, Y), dtype=float) * np.ones_like(X)
        V = np.asarray(fy(X, Y), dtype=float) * np.ones_like(X)
    # Normalise in axis fractions, so an arrow's direction is what the eye sees.
    u, v = U / (xs[1] - xs[0]), V / (ys[1] - ys[0])
    speed = np.hypot(u, v)
    safe = np.where(speed > 0, speed, 1.0)
    length = 0.6 / density
    du = u / safe * length * (xs[1] - xs[0]) * x_scale
    dv = v / safe * length * (ys[1] - ys[0]) * y_scale
    colour = np.log10(np.where(speed > 0, speed, np.nan))
    ax.quiver(X * x_scale, Y * y_scale, du, dv, colour, angles="xy", scale_units="xy",
              scale=1, cmap="Greys", alpha=0.6, width=0.003, pivot="mid", zorder=1)


def _trajectories(model, x_var, y_var, starts, duration, dt, backend, params):
    """Simulate one neuron per start; return ``[(k, x_si, y_si)]``, each trajectory
    ``k`` split into pieces at its resets."""
    from eqsnn.runtime import Network, SpikeMonitor, StateMonitor
    model = model.with_parameters(**params) if params else model
    group = model.group(len(starts), name="phase_plane")
    for var in (x_var, y_var):
        values = [start[var] for start in starts]
        if units.is_quantity(values[0]):
            values = units.ureg.Quantity.from_list(values)
        setattr(group, var, values)
    monitor = StateMonitor(group, [x_var, y_var])
    spikes = SpikeMonitor(group)
    Network(group, monitor, spikes, dt=dt, backend=backend).run(duration)
    paths = []
    for k in range(len(starts)):
        x, y, t = getattr(monitor, x_var + "_")[k], getattr(monitor, y_var + "_")[k], monitor.t_
        # Break the line at each spike: the reset is a jump, not a path through the plane.
        # (A model without a reset, like FitzHugh-Nagumo, only counts spikes: no cut.)
        resets = spikes.t_[spikes.i == k] if model.reset else np.zeros(0)
        cuts = np.searchsorted(t, resets, side="right")
        paths += [(k, xs, ys) for xs, ys in zip(np.split(x, cuts), np.split(y, cuts))
                  if xs.size]
    return paths


def phase_plane(model: Any, ax: Any = None, *, x_var: str = "v", y_var: str | None = None,
                x_range: Sequence[Any] | None = None, y_range: Sequence[Any] | None = None,
                vector_field: bool = True, nullclines: bool = True, fixed_points: bool = True,
                trajectories: Sequence[Mapping[str, Any]] = (), duration: Any = None,
                dt: Any = None, density: int = 20, backend: str | None = None,
                **params: Any):
    """The phase plane of a two-variable model.

    Parameters
    ----------
    model
        A :class:`~eqsnn.models.Model` with two differential variables
        (Izhikevich, FitzHugh–Nagumo, AdEx, …).
    x_var, y_var
        Variables on the axes (default ``v`` and the other one).
    x_range, y_range
        Extent of the axes, as quantities (``(-80*mV, 40*mV)``) or numbers for a
        dimensionless variable. Default x: -100 mV to 0 mV for a voltage, -2.5 to 2.5
        otherwise; default y: the span of the nullclines over x.
    vector_field, nullclines, fixed_points
        Which layers to draw. Fixed points are filled when stable, open when not,
        labelled with their type.
    trajectories
        Initial states ``{x_var: value, y_var: value}``; each is simulated for
        ``duration`` (default 100 ms) with step ``dt`` (default 0.01 ms), resets included.
    density
        Arrows per axis in the vector field.
    **params
        Parameter values replacing the model's, including its input (``I=10*mV``).

    Returns
    -------
    matplotlib.axes.Axes
        Nullclines are lines labelled ``"dv/dt = 0"`` etc., fixed points a marker line
        labelled with their stability, trajectories lines with ``gid`` "trajectory".
    """
    from eqsnn.models import analysis, phase_plane
    from eqsnn.units import ms
    ax = axes(ax)
    x_var, y_var = _variables(model, x_var, y_var)
    dims = {n: model.parsed().differential[n].dim for n in (x_var, y_var)}
    xs = _si_range(x_range, (-0.1, 0.0) if dims[x_var] == _VOLT else (-2.5, 2.5))
    curves = phase_plane.nullclines(model, x_var, y_var, x_range=[units.from_si(v, dims[x_var])
                                                                for v in xs], **params)
    _, x_unit = display(units.from_si(np.array(xs), dims[x_var]))
    y_si = [np.asarray(units.to_si(c)[0], dtype=float) for c in curves.x_nullcline + curves.y_nullcline]
    if y_range is None:
        finite = np.concatenate([c[np.isfinite(c)] for c in y_si])
        low, high = np.percentile(finite, [2, 98]) if finite.size else (-1.0, 1.0)
        pad = 0.15 * (high - low or 1.0)
        ys = (low - pad, high + pad)
    else:
        ys = _si_range(y_range, (0.0, 1.0))
    _, y_unit = display(units.from_si(np.array(ys), dims[y_var]))
    # Scale factors SI -> displayed unit.
    x_scale = display(units.from_si(np.array([1.0]), dims[x_var]), x_unit or None)[0][0]
    y_scale = display(units.from_si(np.array([1.0]), dims[y_var]), y_unit or None)[0][0]
    if vector_field:
        fx, fy = _rhs(model, x_var, y_var, params)
        _field(ax, fx, fy, np.array(xs), np.array(ys), x_scale, y_scale, density)
    if nullclines:
        grid = np.asarray(units.to_si(curves.x)[0], dtype=float) * x_scale
        for var, branches, colour in ((x_var, curves.x_nullcline, "C3"),
                                      (y_var, curves.y_nullcline, "C0")):
            for k, branch in enumerate(branches):
                values = np.asarray(units.to_si(branch)[0], dtype=float) * y_scale
                ax.plot(grid, values, color=colour, lw=2, zorder=3,
                        label=f"d{var}/dt = 0" if k == 0 else None)
    if trajectories:
        paths = _trajectories(model, x_var, y_var, trajectories,
                              duration if duration is not None else 100 * ms,
                              dt if dt is not None else 0.01 * ms, backend, params)
        started = set()
        for k, px, py in paths:
            line, = ax.plot(px * x_scale, py * y_scale, color="C2", lw=1.2, zorder=4,
                            label="trajectory" if not started else None)
            line.set_gid("trajectory")
            if k not in started:  # mark where each trajectory begins
                ax.plot(px[0] * x_scale, py[0] * y_scale, "o", color="C2", ms=4, zorder=4)
                started.add(k)
    if fixed_points:
        for point in analysis.fixed_points(model, **params):
            px = float(units.to_si(point.state[x_var])[0]) * x_scale
            py = float(units.to_si(point.state[y_var])[0]) * y_scale
            ax.plot(px, py, "o", ms=8, zorder=5, mec="k", mew=1.5,
                    mfc="k" if point.stable else "white", label=point.stability)
    ax.set_xlim(xs[0] * x_scale, xs[1] * x_scale)
    ax.set_ylim(ys[0] * y_scale, ys[1] * y_scale)
    ax.set_xlabel(axis_label(x_var, x_unit))
    ax.set_ylabel(axis_label(y_var, y_unit))
    ax.legend(loc="best", fontsize="small", framealpha=0.8)
    return ax
