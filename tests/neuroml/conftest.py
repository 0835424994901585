"""Fixtures of the NeuroML tests: a Java runtime for jNeuroML, and the reference run of
the core-types document, made once per session (one JVM start for every comparison).

jNeuroML needs ``java``. When it is missing, this setup installs Debian's
``openjdk-17-jre-headless`` with apt-get (as CI's machines are Debian and run as root)
and says so; where that is impossible the JVM tests are skipped locally and fail in CI.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("lxml")
pytest.importorskip("pyneuroml")

DATA = Path(__file__).parent / "data"


def _install_java() -> str | None:
    if shutil.which("apt-get") is None or (hasattr(os, "geteuid") and os.geteuid() != 0):
        return None
    print("\n[tests/neuroml] no 'java' found: installing openjdk-17-jre-headless with "
          "apt-get for the jNeuroML comparisons", file=sys.stderr, flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.STDOUT}
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=environment, timeout=900, **quiet)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends",
                    "openjdk-17-jre-headless"], env=environment, timeout=1800, **quiet)
    return shutil.which("java")


@pytest.fixture(scope="session")
def java() -> str:
    from eqsnn.neuroml.reference import java_executable
    found = java_executable() or _install_java()
    if found is None:
        message = "jNeuroML needs Java and openjdk-17-jre-headless could not be installed"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def core_document(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("core_types")
    target = folder / "LEMS_core_types.xml"
    shutil.copy(DATA / "LEMS_core_types.xml", target)
    return target


@pytest.fixture(scope="session")
def core_reference(java, core_document):
    """jNeuroML's run of the core-types document."""
    from eqsnn.neuroml import run_jneuroml
    return run_jneuroml(core_document)


@pytest.fixture(scope="session")
def core_model(core_document):
    """eqsnn's import of the same document, run for the simulation's length."""
    from eqsnn.neuroml import load
    from eqsnn.neuroml.importer import NeuroMLWarning
    with pytest.warns(NeuroMLWarning, match="pinskyRinzelCA3Cell 'pr2A': the time derivative"):
        model = load(core_document)
    model.run()
    return model
