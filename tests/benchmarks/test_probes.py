"""benchmarks/inprocess.py and vcpu.py run end to end (tiny runs; numbers not checked:
no timing belongs in a test)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_thread_counts_of_one_network_are_compared_in_one_process():
    out = _run(ROOT / "benchmarks" / "inprocess.py", "cuba-neurons:200", "--threads", "1,2",
               "--rounds", "2", "--seconds", "0.05")
    assert re.search(r"^1 threads: loop [\d.]+ s .* thread CPU [\d.]+ s", out, re.M)
    assert re.search(r"^2 threads: loop .* speed-up [\d.]+ .* thread CPU [\d.]+ [\d.]+ s",
                     out, re.M)


def test_the_stall_probe_reports_gaps_on_one_and_on_every_vcpu():
    out = _run(ROOT / "benchmarks" / "vcpu.py", "stalls", "--seconds", "0.05")
    lines = out.splitlines()
    assert lines[0].startswith("vCPU 0 of 1 busy: gaps >10us ")
    assert all("% of the time lost, longest" in line for line in lines)
    assert len(lines) == 1 + min(2, os.cpu_count() or 1)
