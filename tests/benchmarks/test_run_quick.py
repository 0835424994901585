"""benchmarks/run.py --quick runs end to end (eqsnn only, tiny): the table and the JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_quick_benchmark_prints_a_table_and_writes_json(tmp_path):
    out = tmp_path / "results.json"
    env = dict(os.environ, EQSNN_BENCH_DIR=str(tmp_path / "bench"))
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--json", str(out)], capture_output=True, text=True, env=env,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert "| cuba-neurons | 50 | eqsnn-c | warm |" in done.stdout
    assert "| cuba-neurons | 50 | eqsnn-numpy | - |" in done.stdout
    results = json.loads(out.read_text())
    runs = {(r["simulator"], r["cache"]): r for r in results["runs"]}
    assert set(runs) == {("eqsnn-c", "warm"), ("eqsnn-numpy", "-")}
    compiled, numpy = runs["eqsnn-c", "warm"], runs["eqsnn-numpy", "-"]
    assert compiled["spikes"] == numpy["spikes"] > 0   # the same work on both backends
    assert compiled["sympy_imported"] is False          # the warm run skipped SymPy
    for run in results["runs"]:
        assert 0 < run["loop"] < run["run"] < run["inside"] < run["whole"]
    assert results["meta"]["repeat"] == 1
