"""Check that a page with mathematics renders offline, in a real browser.

    python docs/scripts/check_offline_math.py [PAGE]     # default: models/hodgkinhuxley
    python docs/scripts/check_offline_math.py notebooks/single-neuron

Builds the site into a temporary folder, opens the page from disk in headless Chromium
with every network request refused, and reads the rendered DOM: every formula
(pymdownx.arithmatex's ``.arithmatex`` elements) must have been typeset by the KaTeX
that ships with the site (``.katex`` inside it, no KaTeX error), and no raw TeX may be
left. Needs the Debian package ``chromium`` (``apt-get update && apt-get install
chromium``); exits 1 with the failing formulas, 2 if Chromium is missing.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build(site: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                    str(ROOT / "mkdocs.yml"), "-d", str(site)], check=True, cwd=ROOT)


def rendered_dom(browser: str, page: Path) -> str:
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--host-resolver-rules=MAP * ~NOTFOUND",   # offline: no name resolves
         "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"chromium failed: {done.stderr[-2000:]}")
    return done.stdout


def problems(dom: str) -> tuple[int, list[str]]:
    """(formulas, what is wrong) in the rendered DOM. Markdown pages mark formulas with
    ``.arithmatex``; notebook pages (mkdocs-jupyter) hold TeX in LaTeX outputs, typeset by
    auto-render: there every ``$$`` outside scripts must have become a ``.katex``."""
    formulas = re.findall(r'<(span|div) class="arithmatex">(.*?)</\1>', dom, re.S)
    if not formulas and "jp-Notebook" in dom:
        body = re.sub(r"<script.*?</script>", "", dom, flags=re.S)
        left = [m.group(0)[:120] for m in re.finditer(r"\$\$.*?\$\$", body, re.S)]
        return body.count('class="katex"') + len(left), [f"not typeset: {t}" for t in left]
    bad = []
    for _, inner in formulas:
        if 'class="katex' not in inner:
            bad.append("not typeset: " + re.sub(r"<[^>]+>", "", inner)[:120])
        elif "katex-error" in inner:
            bad.append("KaTeX error: " + re.sub(r"<[^>]+>", "", inner)[:120])
    return len(formulas), bad


def main() -> int:
    page_name = sys.argv[1] if len(sys.argv) > 1 else "models/hodgkinhuxley"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium is not installed (apt-get update && apt-get install chromium)")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(site)
        count, bad = problems(rendered_dom(browser, site / page_name / "index.html"))
    if count == 0:
        print(f"{page_name}: no formulas found")
        return 1
    for line in bad:
        print(line)
    print(f"{page_name}: {count} formulas, {count - len(bad)} typeset by KaTeX offline")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
