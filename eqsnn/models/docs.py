"""Markdown pages for the built-in models, generated from the model objects.

The pages under ``docs/models/`` are written by ``docs/models/generate.py`` from
:func:`pages`, so the documentation can never disagree with the code: the equations,
parameter tables and citations are read from the :class:`Model` itself, the derivation
(and what the compiled loop runs) from :func:`eqsnn.derive`, and the figure on each page is a real simulation of the
model under a current step (:func:`figure_panels`, :func:`step_response`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.models.base import Model
from eqsnn.models.cards import markdown_card
from eqsnn.models.values import format_value

__all__ = ["render_markdown", "pages", "slug",
           "Panel", "figure_panels", "step_response", "figure_caption"]

ms, pA, nA = units.ureg.ms, units.ureg.pA, units.ureg.nA

#: Step amplitudes for the figures of models whose papers give none (chosen so that the
#: cell fires: they are illustrations, not the papers' values).
FIGURE_CURRENTS = {
    "LIF": 2.5 * nA, "LIF-conductance": 2.5 * nA,
    "LIF-capacitance": 1 * nA, "LIF-capacitance-conductance": 1 * nA,
    "LIF-capacitance:high_threshold": 3.5 * nA,
    "LIF-capacitance-conductance:high_threshold": 3.5 * nA,
    "Izhikevich2007:RS": 100 * pA, "Izhikevich2007:IB": 600 * pA,
    "Izhikevich2007:CH": 400 * pA, "TraubMiles": 0.2 * nA,
}
# How long each family's step lasts (ms): long enough to show its pattern.
_STEP_MS = {"AdEx": 500, "Izhikevich": 200, "Izhikevich2007": 300}
_DEFAULT_STEP_MS = 100
_BEFORE_MS, _AFTER_MS = 20, 30
# Conductance-based cells need a finer step than the integrate-and-fire ones.
_DT_MS = {"HodgkinHuxley": 0.025, "TraubMiles": 0.025, "FitzHughNagumo": 0.01}


def _derivation(model: Model) -> str | None:
    """The derivation of the update step and the statements of the compiled loop, or a
    note if the integrators cannot say."""
    try:
        from eqsnn.lowering.teaching import derive
        return derive(model, method=model.method).to_markdown()
    except Exception as error:  # docs must build even where a stage is unfinished
        return f"*(derivation unavailable: {type(error).__name__}: {error})*"


def render_markdown(model: Model, *, derivation: bool = True, figure: str | None = None,
                    caption: str | None = None) -> str:
    """A documentation page for ``model``: its card (:func:`eqsnn.models.cards.markdown_card`)
    with the step-by-step derivation of the update if ``derivation`` (needs the
    integrators), and ``figure`` (path of an image, relative to the page) with ``caption``.
    """
    return markdown_card(model, derivation=_derivation(model) if derivation else None,
                         figure=figure, caption=caption)


# --- figures -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Panel:
    """One trace of a figure: ``model`` under a step of ``current`` (``step`` long)."""

    model: Model
    current: Any
    step: Any
    dt: Any


def slug(name: str) -> str:
    """File name stem of a model's page and figure: ``"LIF-capacitance"`` → ``lif-capacitance``."""
    return name.lower().replace(":", "-")


def figure_panels(model: Model) -> list[Panel]:
    """The traces of a family's figure: the base model, or each distinct preset.

    Presets that repeat another's values (AdEx's RS/IB/CH are Naud's tonic,
    initial burst and bursting sets) are drawn once.
    """
    family = model.name.split(":")[0]
    members = [model]
    if model.presets:
        members, seen = [], []
        for preset in model.presets:
            member = model.with_preset(preset)
            key = (dict(member.namespace), str(member.stimulus))
            if key not in seen:
                seen.append(key)
                members.append(member)
    step = _STEP_MS.get(family, _DEFAULT_STEP_MS) * ms
    dt = _DT_MS.get(family, 0.1) * ms
    panels = []
    for member in members:
        current = member.stimulus if member.stimulus is not None else \
            FIGURE_CURRENTS.get(member.name, FIGURE_CURRENTS.get(family))
        if current is None:
            raise KeyError(f"no step current for the figure of {member.name!r}: give the "
                           f"model a stimulus or add it to FIGURE_CURRENTS")
        panels.append(Panel(member, current, step, dt))
    return panels


def step_response(panel: Panel, *, backend: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Simulate ``panel``: rest, the step, rest again. Returns ``(t in ms, v)``.

    ``v`` is in mV for a voltage, as is for a dimensionless model (FitzHugh–Nagumo).
    Three runs of one network, the input set between them, as a user would do it.
    """
    from eqsnn.runtime import Network, StateMonitor
    model = panel.model
    group = model.group(1)
    trace = StateMonitor(group, "v", record=0)
    net = Network(group, trace, dt=panel.dt, backend=backend)
    zero = 0 * panel.current
    for current, duration in [(zero, _BEFORE_MS * ms), (panel.current, panel.step),
                              (zero, _AFTER_MS * ms)]:
        setattr(group, model.input, current)
        net.run(duration)
    v = trace.v[0]
    v = v.to("mV").magnitude if units.is_quantity(v) and v.dimensionality == \
        units.ureg.volt.dimensionality else np.asarray(getattr(v, "magnitude", v))
    return trace.t_ * 1e3, v


def figure_caption(model: Model) -> str:
    """What the figure of ``model``'s page shows (the currents, the protocol, the method)."""
    panels = figure_panels(model)
    first = panels[0]
    steps = "; ".join(f"`{p.model.name}`: {model.input} = {format_value(p.current)}"
                      for p in panels)
    return (f"Membrane potential `v` at rest for {_BEFORE_MS} ms, under a current step of "
            f"{format_value(first.step)}, then {_AFTER_MS} ms without input — {steps}. "
            f"Simulated with eqsnn (method `{model.method}`, dt = "
            f"{format_value(first.dt)}) by `docs/models/generate.py`.")


# --- the pages -------------------------------------------------------------------------------
def pages(*, derivation: bool = True) -> dict[str, str]:
    """Every page of ``docs/models/``: file name → Markdown (figures are linked, not made).

    One page per model family of :func:`eqsnn.models.catalogue` and ``index.md``.
    """
    from eqsnn import models
    index = ["# Built-in models", "",
             "Every model is an equation string with defaults; print one to read it.", "",
             "| name | description |", "|---|---|"]
    result = {}
    for name, description in models.catalogue().items():
        base = name.split(":")[0]
        index.append(f"| [`{name}`]({slug(base)}.md) | {description} |")
        if ":" in name:
            continue
        model = models.get(name)
        result[f"{slug(name)}.md"] = render_markdown(
            model, derivation=derivation, figure=f"{slug(name)}.png",
            caption=figure_caption(model))
    result["index.md"] = "\n".join(index) + "\n"
    return result
