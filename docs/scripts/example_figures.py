"""Run every example and keep its figures for the gallery (docs/examples.md).

    python docs/scripts/example_figures.py            # full runs, as a user runs them
    python docs/scripts/example_figures.py --short    # quick look (shortened runs)

Each script of examples/ runs in a fresh interpreter with its output sent to a temporary
folder; every PNG it writes is shrunk to at most 900 pixels wide with a 256-colour palette
(a gallery thumbnail of ~50-150 kB, not a print figure) and stored in docs/img/examples/.
``tests/test_docs.py`` checks that every example has its figure in the gallery.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TARGET = ROOT / "docs" / "img" / "examples"
WIDTH = 900


def scripts() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))


def run(script: Path, short: bool) -> list[Path]:
    """The figures ``script`` writes, shrunk into TARGET."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "EQSNN_EXAMPLE_OUTPUT": folder, "MPLBACKEND": "Agg",
               "EQSNN_EXAMPLE_SHORT": "1" if short else "0",
               "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        subprocess.run([sys.executable, str(script)], cwd=folder, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        written = []
        for png in sorted(Path(folder).glob("*.png")):
            image = Image.open(png).convert("RGB")
            if image.width > WIDTH:
                image = image.resize((WIDTH, round(image.height * WIDTH / image.width)),
                                     Image.LANCZOS)
            target = TARGET / png.name
            image.quantize(256).save(target, optimize=True)
            written.append(target)
        return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="shortened runs")
    parser.add_argument("names", nargs="*", help="only these examples (file stems)")
    args = parser.parse_args()
    TARGET.mkdir(parents=True, exist_ok=True)
    for script in scripts():
        if args.names and script.stem not in args.names:
            continue
        for figure in run(script, args.short):
            print(f"{script.name:32} {figure.relative_to(ROOT)} "
                  f"({figure.stat().st_size // 1000} kB)")


if __name__ == "__main__":
    main()
