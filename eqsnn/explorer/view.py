"""The explorer's figure: the trace, the phase plane (two-variable models) or the other
variables, and the f–I curve with the current input's point.

Drawn with matplotlib's Agg canvas (no pyplot, no GUI) and handed to the notebook as PNG
bytes. The artists are made once and only their data change on a redraw (clearing and
re-making axes, ticks and layout costs several times more than drawing them); only the
nullclines, which are contours, are made afresh.
"""
from __future__ import annotations

import io

import numpy as np

from eqsnn import units

__all__ = ["View"]


class View:
    def __init__(self, session, phase=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        self.session, self.phase = session, phase
        self._dims = _dimensions(session.spec.equations)
        has_fi = session.spec.input is not None
        panels = 2 + has_fi
        self.figure = Figure(figsize=(3.3 * panels, 2.8), dpi=72)
        self.canvas = FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.35)
        axes = self.figure.subplots(1, panels)
        from matplotlib.ticker import MaxNLocator
        for ax in axes:  # few ticks: tick labels are most of the drawing time
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.yaxis.set_major_locator(MaxNLocator(4))
            ax.tick_params(labelsize=8)
        self.trace_ax, self.second_ax = axes[0], axes[1]
        self.fi_ax = axes[2] if has_fi else None
        self.fixed_points: list = []
        self._contours: list = []
        self._make_artists()

    def _make_artists(self) -> None:
        states = self.session.states
        self.trace_ax.set_xlabel("time (ms)")
        (self._trace,) = self.trace_ax.plot([], [], lw=0.8, color="C0")
        self._others = []
        if self.phase is not None:
            ax = self.second_ax
            (self._orbit,) = ax.plot([], [], lw=0.6, color="0.4")
            (self._stable,) = ax.plot([], [], "o", ms=6, color="k", ls="none")
            (self._unstable,) = ax.plot([], [], "o", ms=6, color="k", mfc="w", ls="none")
        elif len(states) > 1:
            for k, name in enumerate(states[1:]):
                self._others.append(self.second_ax.plot([], [], lw=0.8, color=f"C{k + 1}")[0])
            self.second_ax.set_xlabel("time (ms)")
        else:
            self.second_ax.set_axis_off()
        if self.fi_ax is not None:
            slider = self.session.sliders[self.session.spec.input]
            (self._curve,) = self.fi_ax.plot([], [], ".-", color="C0", lw=0.8)
            (self._point,) = self.fi_ax.plot([], [], "o", color="C3", ms=7)
            self.fi_ax.set_xlabel(slider.label)
            self.fi_ax.set_ylabel("rate (Hz)")
            self.fi_ax.set_title("f–I curve; red: this input", fontsize=9)

    def draw(self, result) -> bytes:
        """Redraw every panel for ``result``; the figure as PNG bytes."""
        self._draw_trace(result)
        if self.phase is not None:
            self._draw_phase_plane(result)
        elif self._others:
            self._draw_others(result)
        if self.fi_ax is not None:
            self._curve.set_data(result.fi_inputs, result.fi_rates)
            self._point.set_data([result.input], [result.rate])
            _rescale(self.fi_ax)
        self.canvas.draw()
        return _png(self.canvas)

    # --- panels --------------------------------------------------------------------
    def _draw_trace(self, result) -> None:
        name = self.session.states[0]
        scale, unit = _scale(self._dims[name], result.traces[name])
        self._trace.set_data(result.t, result.traces[name] * scale)
        self.trace_ax.set_ylabel(name + (f" ({unit})" if unit else ""))
        count = len(result.spikes)
        self.trace_ax.set_title(f"{count} spike{'s' if count != 1 else ''}, "
                                f"{result.rate:.3g} Hz", fontsize=9)
        _rescale(self.trace_ax)

    def _draw_others(self, result) -> None:
        labels = []
        for line, name in zip(self._others, self.session.states[1:]):
            scale, unit = _scale(self._dims[name], result.traces[name])
            line.set_data(result.t, result.traces[name] * scale)
            labels.append(name + (f" ({unit})" if unit else ""))
        self.second_ax.legend(self._others, labels, fontsize=7, loc="upper right")
        _rescale(self.second_ax)

    def _draw_phase_plane(self, result) -> None:
        phase, ax = self.phase, self.second_ax
        constants = self.session.constants_si()
        x, y = result.traces[phase.x_name], result.traces[phase.y_name]
        x_range, y_range = _box(x, _DEFAULT_RANGE.get(phase.dims[0])), _box(y)
        (sx, ux), (sy, uy) = _scale(phase.dims[0], x), _scale(phase.dims[1], y)
        for contour in self._contours:
            contour.remove()
        X, Y, F, G = phase.grid(x_range, y_range, constants, n=80)
        with np.errstate(all="ignore"):
            self._contours = [ax.contour(X * sx, Y * sy, F, levels=[0], colors="C1",
                                         linewidths=1),
                              ax.contour(X * sx, Y * sy, G, levels=[0], colors="C2",
                                         linewidths=1)]
        self._orbit.set_data(x * sx, y * sy)
        self.fixed_points = phase.fixed_points(x_range, y_range, constants)
        stable = [p for p in self.fixed_points if p.stable]
        unstable = [p for p in self.fixed_points if not p.stable]
        self._stable.set_data([p.x * sx for p in stable], [p.y * sy for p in stable])
        self._unstable.set_data([p.x * sx for p in unstable], [p.y * sy for p in unstable])
        ax.set_xlim(x_range[0] * sx, x_range[1] * sx)
        ax.set_ylim(y_range[0] * sy, y_range[1] * sy)
        ax.set_xlabel(phase.x_name + (f" ({ux})" if ux else ""))
        ax.set_ylabel(phase.y_name + (f" ({uy})" if uy else ""))
        kinds = ", ".join(p.stability for p in self.fixed_points) or "no fixed point"
        ax.set_title(f"nullclines (orange {phase.x_name}, green {phase.y_name}); {kinds}",
                     fontsize=7)


def _dimensions(equations: str) -> dict:
    from eqsnn.equations import parse_equations
    return {n: e.dim for n, e in parse_equations(equations).differential.items()}


def _rescale(ax) -> None:
    ax.relim()
    ax.autoscale_view()


def _png(canvas) -> bytes:
    """The canvas as PNG; fast zlib level (the image is thrown away at the next move)."""
    from PIL import Image
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _scale(dim, values=None):
    """(factor from SI, unit label) to plot values of ``dim``: mV for voltages, else the
    prefix that suits the values (pA, nS …)."""
    if dim == units.ureg.mV.dimensionality:
        return 1e3, "mV"
    if dim == units.DIMENSIONLESS:
        return 1.0, ""
    unit = units.unit_for_dimension(dim)
    peak = float(np.nanmax(np.abs(values))) if values is not None and np.size(values) else 0.0
    if not np.isfinite(peak) or peak == 0.0:
        return 1.0, f"{unit:~P}"
    compact = (peak * unit).to_compact()
    return compact.magnitude / peak, f"{compact.units:~P}"


#: Where a state variable's phase plane starts, by dimension (as models.nullclines does).
_DEFAULT_RANGE = {units.ureg.mV.dimensionality: (-0.1, 0.0), units.DIMENSIONLESS: (-2.5, 2.5)}


def _box(values: np.ndarray, default=None, margin: float = 0.15):
    """The range the trajectory covers, widened so that a neuron at rest (a single
    point) still shows the fixed points around it, and joined with ``default``."""
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    span = max(high - low, 0.5 * abs(high + low) / 2, 1e-9)
    low, high = low - margin * span, high + margin * span
    if high - low < span:  # at rest: look around the point
        low, high = low - span / 2, high + span / 2
    if default is not None:
        low, high = min(low, default[0]), max(high, default[1])
    return low, high
