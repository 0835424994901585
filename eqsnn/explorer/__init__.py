"""``eqsnn.explore`` (this package is ``eqsnn.explorer``): sliders for a model, no recompiling.

>>> import eqsnn as es
>>> from eqsnn.models import Izhikevich
>>> explorer = es.explore(Izhikevich("RS"))     # doctest: +SKIP
>>> explorer.set(I=12)                          # doctest: +SKIP

Packages: :mod:`~eqsnn.explorer.session` (models, sliders, runs — no widgets),
:mod:`~eqsnn.explorer.phase` (nullclines and fixed points of two-variable models),
:mod:`~eqsnn.explorer.view` (the figure), :mod:`~eqsnn.explorer.widgets` (ipywidgets).
"""
from __future__ import annotations

from typing import Any

__all__ = ["explore"]


def explore(model_or_group: Any, *, parameters: list[str] | None = None,
            duration: Any = None, dt: Any = None, fi_points: int = 12,
            continuous: bool = True, backend: str | None = None):
    """An interactive explorer of a neuron model: sliders, trace, phase plane, f–I.

    Each slider moves one parameter (or the input); every move re-runs the compiled
    module cached for the model with the new values — parameters are data, nothing is
    compiled again — and redraws: the trace of one neuron, the phase plane with its
    nullclines and fixed points (filled: stable) for a two-variable model (the other
    variables' traces otherwise), and the f–I curve with the current input's point.

    Parameters
    ----------
    model_or_group
        A model (:mod:`eqsnn.models`, built-in or your own :class:`~eqsnn.models.Model`),
        or a :class:`~eqsnn.NeuronGroup` (its equations, constants and neuron 0's values).
    parameters
        Names of the constants to give sliders (default: every numeric one). The input
        (``model.input``, usually ``I``) always has one.
    duration, dt
        Simulated time per move (default 500 ms) and time step (default 0.05 ms).
    fi_points
        Inputs of the f–I curve, simulated in the same run as the trace (0: none).
    continuous
        Re-run while a slider is dragged (else when it is released).

    Returns
    -------
    Explorer
        Displays itself in Jupyter; ``explorer.set(I=...)`` moves sliders from Python,
        ``explorer.result`` is the last run, ``explorer.latency`` its timing,
        ``explorer.compilations`` the modules compiled since it was made.

    Ranges come from the model: a parameter spans its presets' values (or its default)
    widened — potentials by 20 mV each way, positive quantities by a factor 4 down and
    3 up; the input runs from 0 to three times the model's characteristic stimulus.
    Needs ipywidgets (``pip install "eqsnn[notebook]"``).
    """
    from eqsnn.explorer.session import Session
    from eqsnn.explorer.widgets import Explorer
    from eqsnn.units import ms
    session = Session(model_or_group, parameters=parameters,
                      duration=500 * ms if duration is None else duration,
                      dt=0.05 * ms if dt is None else dt, fi_points=fi_points,
                      backend=backend)
    return Explorer(session, continuous=continuous)
