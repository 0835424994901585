"""Write one Markdown page per built-in model family into docs/models/.

Run ``python docs/models/generate.py`` after changing a model: the pages are generated
from the model objects (equations, parameters, presets, citation) and from
``eqsnn.derive`` (the derivation of the update step), so they cannot drift from the code.
Pass ``--figures`` to also simulate each model at its characteristic input and save a
voltage trace next to the page (needs the full simulation stack and matplotlib).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from eqsnn import models
from eqsnn.models.docs import render_markdown

HERE = Path(__file__).resolve().parent


def _slug(name: str) -> str:
    return name.lower().replace(":", "-")


def _figure(model: models.Model, path: Path) -> bool:
    """Simulate 300 ms at the model's characteristic input and plot ``v``."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import eqsnn as es
    from eqsnn.units import ms
    if model.stimulus is None:
        return False
    group = model.group(1)
    setattr(group, model.input, model.stimulus)
    trace = es.StateMonitor(group, "v", record=0)
    es.Network(group, trace, dt=0.02 * ms).run(300 * ms)
    figure, ax = plt.subplots(figsize=(7, 2.6))
    es.plot.trace(trace, "v", 0, ax)
    ax.set_title(f"{model.name}, {model.input} = {model.stimulus}")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", action="store_true", help="simulate and plot each model")
    args = parser.parse_args()
    index = ["# Built-in models", "",
             "Every model is an equation string with defaults; print one to read it.", "",
             "| name | description |", "|---|---|"]
    for name, description in models.catalogue().items():
        base = name.split(":")[0]
        index.append(f"| [`{name}`]({_slug(base)}.md) | {description} |")
        if ":" in name:
            continue
        model = models.get(name)
        figure = None
        if args.figures and _figure(model, HERE / f"{_slug(name)}.png"):
            figure = f"{_slug(name)}.png"
        (HERE / f"{_slug(name)}.md").write_text(render_markdown(model, figure=figure))
    (HERE / "index.md").write_text("\n".join(index) + "\n")


if __name__ == "__main__":
    main()
