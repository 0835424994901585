"""Machinery of brian2_reference.py: run an unmodified Brian2 example, copy its monitors."""
from __future__ import annotations

import json
import math
import os
import runpy
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import brian2  # noqa: E402
from brian2.core import magic  # noqa: E402

HERE = Path(__file__).resolve().parent
REFERENCES = HERE / "references.json"
TARGETS: set[str] = set()
SCRIPTS: dict[str, tuple[str, list[int], object]] = {}


def script(name: str, path: str, seeds=(1,)):
    """Register how to extract the numbers of one example (``path`` under examples/)."""
    def register(extract):
        SCRIPTS[name] = (path, list(seeds), extract)
        return extract
    return register


# --- running one script --------------------------------------------------------------

class Recorder:
    """Copies the monitors of the magic network at the end of every run()."""

    def __init__(self):
        self.runs: list[dict[str, dict]] = []
        self.targets: set[str] = set()  # the code object classes that ran (Cython, numpy)

    def wrap(self, after_run):
        def recorded_after_run(network):
            self.runs.append(_snapshot(network))
            self.targets |= {code.__class__.__name__ for obj in network.sorted_objects
                             for code in obj._code_objects}
            return after_run(network)
        return recorded_after_run


def _snapshot(network) -> dict[str, dict]:
    monitors = {}
    for obj in network.objects:
        if isinstance(obj, brian2.SpikeMonitor):
            monitors[obj.name] = {"kind": "spike", "source": obj.source.name,
                                  "i": np.array(obj.i[:]), "t": np.array(obj.t_[:]),
                                  "count": np.array(obj.count[:])}
        elif isinstance(obj, brian2.StateMonitor):
            values = {var: np.array(getattr(obj, var + "_")) for var in obj.record_variables}
            monitors[obj.name] = {"kind": "state", "source": obj.source.name,
                                  "t": np.array(obj.t_[:]), **values}
        elif isinstance(obj, brian2.PopulationRateMonitor):
            monitors[obj.name] = {"kind": "rate", "source": obj.source.name,
                                  "t": np.array(obj.t_[:]), "rate": np.array(obj.rate_[:])}
    return monitors


def run_script(path: Path, seed: int, run_name: str = "__main__"):
    """Run an unmodified example; return its globals and the recorded runs."""
    recorder = Recorder()
    original_after_run = magic.MagicNetwork.after_run
    magic.MagicNetwork.after_run = recorder.wrap(original_after_run)
    original_show, original_set_device = plt.show, brian2.set_device
    plt.show = lambda *a, **k: None
    brian2.set_device = lambda *a, **k: None
    brian2.start_scope()
    brian2.defaultclock.dt = 0.1 * brian2.ms
    brian2.seed(seed)
    cwd = os.getcwd()
    os.chdir(path.parent)
    sys.path.insert(0, str(path.parent))
    try:
        scope = runpy.run_path(str(path), run_name=run_name)
    finally:
        os.chdir(cwd)
        sys.path.remove(str(path.parent))
        magic.MagicNetwork.after_run = original_after_run
        plt.show, brian2.set_device = original_show, original_set_device
        plt.close("all")
    TARGETS.update(recorder.targets)
    return scope, recorder.runs


def of_kind(run: dict, kind: str) -> list[dict]:
    """The monitors of one kind in a run, in order of creation (name suffix)."""
    def order(name):
        tail = name.rsplit("_", 1)[-1]
        return (int(tail) if tail.isdigit() else 0, name)
    return [run[name] for name in sorted(run, key=order) if run[name]["kind"] == kind]


def upward_crossings(trace: np.ndarray, level: float) -> np.ndarray:
    """Sample indices where a trace goes from below to at/above ``level``."""
    return np.flatnonzero((trace[:-1] < level) & (trace[1:] >= level)) + 1


def every(values, step: int) -> list:
    return np.asarray(values)[..., ::step].tolist()


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else str(value)
    return value


def measure(name: str, examples: Path) -> dict:
    path, seeds, extract = SCRIPTS[name]
    per_seed = []
    started = time.time()
    TARGETS.clear()
    for s in seeds:
        print(f"{name}: seed {s}", file=sys.stderr, flush=True)
        per_seed.append(_jsonable(extract(examples / path, s)))
    entry = {"script": f"examples/{path}", "brian2": brian2.__version__,
             "target": sorted(TARGETS), "seeds": seeds,
             "values": per_seed if len(seeds) > 1 else per_seed[0],
             "seconds": round(time.time() - started, 1),
             "how": "tests/brian2_gallery/brian2_reference.py (run of the original script)"}
    if len(seeds) > 1:
        entry["stats"] = _stats(per_seed)
    return entry


def _stats(per_seed: list[dict]) -> dict:
    """Mean and sample standard deviation over seeds of every scalar value."""
    stats = {}
    for key, first in per_seed[0].items():
        if isinstance(first, (int, float)):
            values = np.array([v[key] for v in per_seed], dtype=float)
            stats[key] = {"mean": float(values.mean()), "sd": float(values.std(ddof=1))}
    return stats


def _dumps(references: dict) -> str:
    """One script per line: readable diffs without one number per line."""
    lines = [f" {json.dumps(name)}: {json.dumps(references[name], sort_keys=True)}"
             for name in sorted(references)]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str]) -> None:
    examples = Path(argv[0]).resolve()
    names = argv[1:] or sorted(SCRIPTS)
    for name in names:
        entry = measure(name, examples)
        # read again just before writing: another run may have added entries meanwhile
        references = json.loads(REFERENCES.read_text()) if REFERENCES.exists() else {}
        references[name] = entry
        REFERENCES.write_text(_dumps(references))
        print(f"{name}: {entry.get('stats') or 'done'}", file=sys.stderr)
