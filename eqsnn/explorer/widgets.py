"""The explorer in a notebook: ipywidgets sliders around the figure.

Every slider move runs the session (the cached compiled module with the new values)
and redraws the figure into an ``ipywidgets.Image``; the line under the figure says how
long that took and how many modules were compiled since the explorer was made (zero
after the first run: parameters are data).
"""
from __future__ import annotations

import time

from eqsnn.errors import EqsnnError

__all__ = ["Explorer"]


def _escape(error) -> str:
    import html
    return html.escape(str(error)).replace("\n", "<br>")


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError:
        raise EqsnnError("the explorer needs ipywidgets",
                         hint='pip install "eqsnn[notebook]"') from None
    return ipywidgets


class Explorer:
    """Sliders, the figure and the numbers of one model; see :func:`eqsnn.explore`."""

    def __init__(self, session, *, continuous: bool = True):
        from eqsnn.compiler.stats import stats
        from eqsnn.explorer.phase import PhasePlane
        from eqsnn.explorer.view import View
        widgets = _ipywidgets()
        self.session = session
        phase = None
        if len(session.states) == 2:
            phase = PhasePlane(session.spec.equations, list(session.constants_si()))
        self.view = View(session, phase)
        self.sliders = {name: self._slider(widgets, s, continuous)
                        for name, s in session.sliders.items()}
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        columns = 3
        boxes = list(self.sliders.values())
        rows = [widgets.HBox(boxes[k:k + columns]) for k in range(0, len(boxes), columns)]
        self.widget = widgets.VBox([widgets.HTML(f"<b>{session.spec.name}</b>"), *rows,
                                    self.image, self.status])
        self._stats = stats
        self.result = None
        self.error: EqsnnError | None = None
        self.latency: dict[str, float] = {}
        self._compiled_at_start = stats.compilations
        self.update()  # the first run compiles the module, or loads it from the cache
        self._compiled_at_start = stats.compilations
        self.update()
        for slider in self.sliders.values():
            slider.observe(self._moved, names="value")

    @staticmethod
    def _slider(widgets, s, continuous: bool):
        return widgets.FloatSlider(
            value=s.value, min=s.low, max=s.high, step=s.step, description=s.label,
            continuous_update=continuous, readout_format=".4g",
            style={"description_width": "initial"}, layout=widgets.Layout(width="32%"))

    # --- driving it ------------------------------------------------------------------
    def set(self, **values: float) -> None:
        """Move sliders from Python (as a hand would): ``explorer.set(I=12, a=0.03)``."""
        for name, value in values.items():
            if name not in self.sliders:
                self.session.set(**{name: value})  # raises, naming the sliders
            self.sliders[name].value = value

    def _moved(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Run with the sliders' values and redraw."""
        started = time.perf_counter()
        self.session.set(**{name: slider.value for name, slider in self.sliders.items()})
        try:
            self.result = self.session.run()
        except EqsnnError as error:  # e.g. values that make the model blow up: say so,
            self.status.value = f"<small style='color:#b00'>{_escape(error)}</small>"
            self.error = error       # keep the last good figure, let the user move on
            return
        self.error = None
        simulated = time.perf_counter()
        self.image.value = self.view.draw(self.result)
        done = time.perf_counter()
        self.latency = {"run_seconds": simulated - started, "draw_seconds": done - simulated,
                        "total_seconds": done - started}
        self.status.value = (
            f"<small>run {1e3 * self.latency['run_seconds']:.0f} ms, redraw "
            f"{1e3 * self.latency['draw_seconds']:.0f} ms; modules compiled since the "
            f"explorer started: {self.compilations}</small>")

    # --- what it shows ---------------------------------------------------------------
    @property
    def compilations(self) -> int:
        """Modules compiled since the explorer's first run (which compiled the model's
        module or loaded it from the cache): 0, as parameters are data."""
        return self._stats.compilations - self._compiled_at_start

    @property
    def fixed_points(self):
        """The fixed points drawn in the phase plane (two-variable models)."""
        return list(self.view.fixed_points)

    @property
    def png(self) -> bytes:
        return self.image.value

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

    def __repr__(self) -> str:
        sliders = ", ".join(f"{s.label} = {s.value:.4g}" for s in self.session.sliders.values())
        return f"<explorer of {self.session.spec.name}: {sliders}>"
