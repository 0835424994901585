"""Draw the pictures of docs/plotting.md by running the page's own code.

    python docs/scripts/plotting_figures.py

The ```python blocks of the page run in order in one namespace (as
``tests/test_docs.py`` runs them); after each block the figure it drew is saved as the
image the page shows right after that block (``![…](img/plotting/NAME.png)``).
"""
from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DOCS = Path(__file__).resolve().parents[1]
PAGE = DOCS / "plotting.md"
BLOCK_AND_IMAGE = re.compile(r"```python\n(.*?)```\s*\n!\[[^\]]*\]\((img/plotting/[\w-]+\.png)\)",
                             re.S)


def main() -> None:
    namespace: dict = {}
    for code, image in BLOCK_AND_IMAGE.findall(PAGE.read_text()):
        plt.close("all")
        exec(compile(code, str(PAGE), "exec"), namespace)  # noqa: eval (runs the docs page's own code blocks, never user strings)
        target = DOCS / image
        target.parent.mkdir(parents=True, exist_ok=True)
        figure = plt.gcf()
        figure.tight_layout()
        figure.savefig(target, dpi=90)
        print(f"{target.relative_to(DOCS.parent)} ({target.stat().st_size // 1000} kB)")


if __name__ == "__main__":
    main()
