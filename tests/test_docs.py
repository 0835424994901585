"""The documentation builds without warnings, cannot drift from the code, and its
code runs."""
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem + "_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mkdocs_builds_strict(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                           str(ROOT / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr
    api = (site / "api" / "index.html").read_text()
    # the API page really holds the docstrings, not just headings
    assert "Number of neurons." in api and "Spike raster" in api
    for page in ("getting-started", "guide", "equations", "errors", "units", "methods",
                 "codegen", "plasticity", "plotting", "examples", "brian2", "models",
                 "teaching", "notebooks/single-neuron", "notebooks/stdp", "notebooks/network"):
        assert (site / page / "index.html").exists(), page
    # Offline: the math renderer ships with the site, no page loads anything from a CDN.
    assert (site / "assets" / "katex" / "katex.min.js").exists()
    for html in site.rglob("*.html"):
        text = html.read_text()
        remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', text)
        scripts = "".join(re.findall(r"<script[^>]*>(.*?)</script>", text, re.S))
        remote += re.findall(r"https?://[\w.-]+/[^'\"\s]*\.m?js", scripts)  # loaded by code
        assert not remote, f"{html.relative_to(site)} loads {remote}"


def test_every_built_in_model_has_its_page_in_the_nav():
    from eqsnn import models
    nav = (ROOT / "mkdocs.yml").read_text()
    families = {name.split(":")[0] for name in models.catalogue()}
    for family in families:
        page = f"models/{family.lower()}.md"
        assert (DOCS / page).exists(), f"no page for {family}: run docs/models/generate.py"
        assert page in nav, f"{page} is not in the mkdocs nav"


def test_error_catalogue_is_up_to_date():
    page = _load(DOCS / "scripts" / "errors.py")
    assert page.render() == (DOCS / "errors.md").read_text(), \
        "an error message changed: run python docs/scripts/errors.py"


@pytest.mark.parametrize("name", ["getting-started.md", "guide.md", "plotting.md"])
def test_code_on_the_page_runs(name, tmp_path, monkeypatch):
    import matplotlib
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / name).read_text(), re.S)
    assert blocks
    exec(compile("\n".join(blocks), str(DOCS / name), "exec"), {})  # noqa: S102 (our own docs)


def test_readme_commands_and_links():
    readme = (ROOT / "README.md").read_text()
    assert 'pip install . && eqsnn demo' in readme
    assert 'pip install ".[test]" && python -m pytest -q' in readme
    for link in re.findall(r"\(docs/([^)]+)\)|`docs/([^`]+)`", readme):
        target = DOCS / (link[0] or link[1])
        assert target.exists(), f"README points at {target}, which does not exist"
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme):
        assert (ROOT / image).exists(), image


def test_every_example_has_its_figure_in_the_gallery():
    # docs/scripts/example_figures.py writes them; each script saves at least one figure
    gallery = (DOCS / "examples.md").read_text()
    shown = set(re.findall(r"\(img/examples/([\w-]+)\.png\)", gallery))
    for name in shown:
        assert (DOCS / "img" / "examples" / f"{name}.png").exists(), name
    for script in sorted((ROOT / "examples").glob("[a-z]*.py")):
        saved = set(re.findall(r'save\(figure, "([\w-]+)"', script.read_text()))
        assert saved, f"{script.name} saves no figure"
        assert saved <= shown, f"{script.name}: {saved - shown} not in docs/examples.md"
