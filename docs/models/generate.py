"""Write the pages of docs/models/ and their figures, from the model objects.

Run ``python docs/models/generate.py`` after changing a model. The pages come from
:func:`eqsnn.models.docs.pages` (equations, parameters, presets, derivation, citation,
figure caption); ``tests/models/test_docs.py`` fails when the committed pages differ
from it. Each page's figure is a real simulation of the model under a current step,
one trace per preset (``--no-figures`` skips them: they take a few seconds).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from eqsnn import models
from eqsnn.models.values import format_value
from eqsnn.models.docs import figure_panels, pages, slug, step_response

HERE = Path(__file__).resolve().parent


def write_figure(model: models.Model, path: Path) -> None:
    """One row per panel of :func:`figure_panels`: the voltage trace under the step."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = figure_panels(model)
    columns = 2 if len(panels) > 3 else 1
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(7 * columns / 1.4, 1.7 * rows + 0.6),
                                squeeze=False, sharex=True)
    for ax, panel in zip(axes.flat, panels):
        t, v = step_response(panel)
        ax.plot(t, v, lw=0.8, color="C0")
        ax.set_title(f"{panel.model.name}, {model.input} = {format_value(panel.current)}",
                     fontsize=9)
        ax.set_ylabel("v (mV)" if panel.model.family != "FitzHughNagumo" else "v", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("time (ms)", fontsize=8)
    figure.tight_layout()
    # Fixed metadata, so regenerating an unchanged figure gives the same bytes.
    figure.savefig(path, dpi=80, metadata={"Software": None})
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-figures", action="store_true", help="write the pages only")
    args = parser.parse_args()
    for name, text in pages().items():
        (HERE / name).write_text(text)
    if args.no_figures:
        return
    for name in models.catalogue():
        if ":" not in name:
            write_figure(models.get(name), HERE / f"{slug(name)}.png")
            print(f"wrote {slug(name)}.png")


if __name__ == "__main__":
    main()
