"""Run jNeuroML (jLEMS), the reference simulator of NeuroML, and read its outputs.

The jar ships inside the pyNeuroML wheel; it needs a Java runtime (``java`` on the
``PATH``; on Debian/Ubuntu ``apt-get install openjdk-17-jre-headless``). The outputs of
the LEMS ``<Simulation>`` (``OutputFile`` columns, ``EventOutputFile`` spikes) are read
back as arrays in SI units, keyed by the ids the file gives them.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from eqsnn.neuroml.errors import NeuroMLError
from eqsnn.neuroml.lems import Component, Library, jneuroml_jar

__all__ = ["JNeuroMLResult", "run_jneuroml", "java_executable"]


@dataclass
class JNeuroMLResult:
    """What jNeuroML wrote.

    ``traces[column id]`` and ``t`` (seconds) per output file are joined in ``traces``
    (all files of one simulation share the time step); ``spikes[selection id]`` are the
    spike times of each ``EventSelection``; ``log`` is jNeuroML's output.
    """

    t: np.ndarray
    traces: dict = field(default_factory=dict)
    spikes: dict = field(default_factory=dict)
    log: str = ""


def java_executable() -> str | None:
    """The ``java`` that will run jNeuroML (``JAVA`` overrides the ``PATH``)."""
    return os.environ.get("JAVA") or shutil.which("java")


def run_jneuroml(lems_file, *, timeout: float = 600, memory: str = "600M") -> JNeuroMLResult:
    """Run the LEMS file with jNeuroML and return its recorded outputs.

    Parameters
    ----------
    lems_file
        A LEMS file with a ``<Target>`` simulation; its output files are written beside
        it (names as in the file).
    timeout
        Seconds before jNeuroML is stopped.
    memory
        The Java heap limit (``-Xmx``).
    """
    java = java_executable()
    if java is None:
        raise NeuroMLError("jNeuroML needs a Java runtime, and no 'java' is on the PATH",
                           hint="install one: apt-get install openjdk-17-jre-headless "
                                "(or set JAVA=/path/to/java)")
    lems_file = Path(lems_file).resolve()
    library = Library()
    library.load(lems_file)
    if not library.targets:
        raise NeuroMLError(f"{lems_file} has no <Target component=...> simulation to run")
    simulation = library.components[library.targets[0]]
    try:
        done = subprocess.run([java, f"-Xmx{memory}", "-jar", str(jneuroml_jar()),
                               str(lems_file), "-nogui"], cwd=lems_file.parent,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise NeuroMLError(f"jNeuroML did not finish {lems_file.name} in {timeout} s") from None
    log = done.stdout + done.stderr
    if done.returncode != 0 or "Finished reading, building, running" not in done.stdout:
        raise NeuroMLError(f"jNeuroML failed on {lems_file.name} (exit {done.returncode}):\n"
                           f"{log[-3000:]}")
    return _read_outputs(simulation, lems_file.parent, log)


def _read_outputs(simulation: Component, folder: Path, log: str) -> JNeuroMLResult:
    result = JNeuroMLResult(t=np.zeros(0), log=log)
    for output in _find(simulation, "OutputFile"):
        data = np.atleast_2d(np.loadtxt(folder / output.attrs["fileName"]))
        result.t = data[:, 0]
        for k, column in enumerate(output.children_of("OutputColumn"), start=1):
            result.traces[column.id] = data[:, k]
    for output in _find(simulation, "EventOutputFile"):
        path = folder / output.attrs["fileName"]
        rows = np.loadtxt(path, ndmin=2) if path.stat().st_size else np.zeros((0, 2))
        time_first = output.attrs.get("format", "TIME_ID") == "TIME_ID"
        times, ids = (rows[:, 0], rows[:, 1]) if time_first else (rows[:, 1], rows[:, 0])
        for selection in output.children_of("EventSelection"):
            result.spikes[selection.id] = np.sort(times[ids == float(selection.id)]) \
                if selection.id.lstrip("-").isdigit() else np.zeros(0)
    return result


def _find(component: Component, kind: str) -> list[Component]:
    found = [c for c in component.children if c.type == kind]
    for child in component.children:
        found.extend(_find(child, kind))
    return found
