"""A model's card in Markdown: a notebook's view of a :class:`~eqsnn.models.Model`
(:mod:`eqsnn.models.docs` adds the derivation and a figure for the documentation pages)."""
from __future__ import annotations

from eqsnn.models.values import REST, format_value

__all__ = ["markdown_card", "parameters_table", "presets_table"]


def parameters_table(model) -> str:
    """The default parameters as a Markdown table."""
    rows = ["| parameter | default |", "|---|---|"]
    rows += [f"| `{name}` | {format_value(value)} |" for name, value in model.namespace.items()]
    if model.refractory is not None:
        rows.append(f"| refractory period | {format_value(model.refractory)} |")
    return "\n".join(rows)


def presets_table(model) -> str:
    """The presets as a Markdown table: one row per preset, the values that change."""
    if not model.presets:
        return ""
    names: list[str] = []
    for values in model.presets.values():
        names += [k for k in values if k not in names and k != "description"]
    header = "| preset | " + " | ".join(f"`{n}`" if n != "stimulus" else f"stimulus `{model.input}`"
                                       for n in names) + " | behaviour |"
    rows = [header, "|" + "---|" * (len(names) + 2)]
    for preset, values in model.presets.items():
        cells = [format_value(values[n]) if n in values else "" for n in names]
        rows.append(f"| `{preset}` | " + " | ".join(cells) +
                    f" | {values.get('description', '')} |")
    return "\n".join(rows)


def markdown_card(model, *, derivation: str | None = None, figure: str | None = None,
                    caption: str | None = None) -> str:
    """The Markdown card of ``model``, as a page (``# name`` first).

    Parameters
    ----------
    model
        The model to describe.
    derivation
        Markdown of the derivation of the update step, shown under its own heading.
    figure
        Path of an image to show (relative to the page), e.g. a voltage trace.
    caption
        What the figure shows, printed under it.
    """
    parts = [f"# {model.name}", "", model.description + ".", "",
             "```python", f"from eqsnn.models import {model.family or model.name}", "```", "",
             "## Equations", "", "```", model.equations, "```", "",
             f"* threshold: `{model.threshold}`" if model.threshold else "* no threshold",
             f"* reset: `{model.reset}`" if model.reset else "* no reset",
             f"* refractory period: {format_value(model.refractory)}",
             f"* default method: `{model.method}`", _initial_line(model), ""]
    if model.notes:
        parts += [model.notes, ""]
    parts += ["## Parameters", "", parameters_table(model), ""]
    if model.stimulus is not None:
        parts += [f"Characteristic input: `{model.input} = {format_value(model.stimulus)}`.",
                  ""]
    table = presets_table(model)
    if table:
        parts += ["## Presets", "", f"`{model.family}(\"NAME\")` applies a preset.", "",
                  table, ""]
    if figure:
        parts += ["## Response to a current step", "", f"![{model.name}]({figure})", ""]
        if caption:
            parts += [caption, ""]
    if derivation:
        parts += ["## Derivation of the update step", "", derivation, ""]
    parts += ["## Reference", "", model.citation, ""]
    return "\n".join(parts)


def _initial_line(model) -> str:
    given = [f"`{k} = {format_value(v)}`" for k, v in model.initial.items() if v is not REST]
    at_rest = [v for v in model.state_variables
               if v not in model.initial or model.initial[v] is REST]
    text = "* initial values: " + ", ".join(given) if given else "* initial values:"
    if at_rest:
        text += (", " if given else " ") + f"{', '.join(at_rest)} at the resting state " \
                                           f"(computed from the equations, input 0)"
    return text
