"""A plain, non-editable ``pip install .`` ships the templates the code generator reads
and the compiled Cython runner that enters every network's loop.

The test suite itself imports eqsnn from the checkout, where the top-level templates/
folder sits beside the package; an installed eqsnn has no such folder and must find
them as the ``eqsnn.templates`` package that setup.py maps in. This builds the wheel,
installs it into an empty folder and imports it from there, away from the checkout.
"""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installed_package_finds_its_templates(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = wheels.glob("eqsnn-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in ROOT.joinpath("templates").rglob("*"):
        if template.is_file() and template.suffix in (".j2", ".h"):
            relative = template.relative_to(ROOT / "templates").as_posix()
            assert f"eqsnn/templates/{relative}" in names, f"{relative} is not in the wheel"
    # the Cython loop runner is compiled at install time, not on first use
    assert any(n.startswith("eqsnn/compiler/_runner") and n.endswith(".so") for n in names)

    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    probe = ("import eqsnn, eqsnn.resources as r; from eqsnn.compiler.runner import runner;"
             "print(eqsnn.__file__); print(r.template_dir()); print(runner().__file__)")
    environment = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=tmp_path, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    package_file, templates, loop_runner = result.stdout.split()
    assert Path(package_file).is_relative_to(target)
    assert Path(loop_runner).is_relative_to(target / "eqsnn" / "compiler")
    assert Path(templates) == target / "eqsnn" / "templates"
    assert (Path(templates) / "network.c.j2").is_file()
