"""Every former segfault of issue 19, run in a child process (issue 19 item 7): a
regression kills the child with a signal, which this test reports, instead of killing the
test run. Each child must end the way a user's script should: with an eqsnn error, its
message on stderr and exit code 1 — or, for the damaged cache entry, with a rebuild and
the right result.

The cases use refusal paths and small networks: nothing allocates 2**31 elements, and
the whole file takes seconds of CPU on a warm cache (the children share the test
session's compile cache; the damaged library belongs to a model no other test builds).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
BACKENDS = ["c", "numpy"]


def _child(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, timeout=600, cwd=REPOSITORY)


def _died(done: subprocess.CompletedProcess) -> str:
    if done.returncode < 0:
        return f"killed by {signal.Signals(-done.returncode).name}:\n{done.stderr[-3000:]}"
    return f"exit code {done.returncode}:\n{done.stderr[-3000:]}"


def assert_clean_eqsnn_error(done: subprocess.CompletedProcess, kind: str, fragment: str):
    """The child raised ``eqsnn.errors.<kind>`` (uncaught: Python's exit code 1) whose
    message holds ``fragment``; no signal, no fatal error of the interpreter."""
    assert done.returncode == 1, _died(done)
    assert "Fatal Python error" not in done.stderr, done.stderr[-3000:]
    error_lines = [line for line in done.stderr.splitlines()
                   if line.startswith(f"eqsnn.errors.{kind}: ")]
    assert error_lines, done.stderr[-3000:]
    assert fragment in done.stderr, done.stderr[-3000:]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_second_thread_calling_run_on_a_running_network(backend):
    # The original crash: thread B's run grew the spike monitor's buffer while thread
    # A's loop still wrote into the old one. B is refused; then B interrupts A (Ctrl-C
    # from another thread), A stops at a step boundary, and the script ends with B's
    # error. The long run never has to finish.
    done = _child(f"""
        import os, signal, threading, time
        import eqsnn as es
        from eqsnn.units import ms, second

        group = es.NeuronGroup(2000, "dv/dt = (2 - v)/(5*ms) : 1", threshold="v > 1",
                               reset="v = 0")
        spikes = es.SpikeMonitor(group)  # a buffer that grows during the run
        net = es.Network(group, spikes, backend={backend!r})
        net.run(1 * ms)  # compiled before the race
        refused = []

        def second_caller():
            deadline = time.monotonic() + 300
            while not net._running.locked() and time.monotonic() < deadline:
                time.sleep(0.001)
            try:
                net.run(10 * ms)
            except es.EqsnnError as error:
                refused.append(error)
            os.kill(os.getpid(), signal.SIGINT)

        caller = threading.Thread(target=second_caller)
        caller.start()
        try:
            net.run(1000 * second)
        except KeyboardInterrupt as stop:
            print("first run stopped:", stop, flush=True)
        caller.join()
        assert spikes.num_spikes > 0 and net.t_ < 1000
        raise refused[0]
    """)
    assert "first run stopped: run stopped at t =" in done.stdout, _died(done)
    assert_clean_eqsnn_error(done, "InvalidValueError", "this network is already running")


def test_setting_N_after_construction():
    done = _child("""
        import eqsnn as es
        from eqsnn.units import ms
        group = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : 1")
        net = es.Network(group, backend="c")
        net.run(1 * ms)
        group.N = 50_000_000  # the loop walked 50 M neurons over 3-element arrays
        net.run(1 * ms)
    """)
    assert_clean_eqsnn_error(done, "InvalidValueError",
                             "N of NeuronGroup 'neurongroup_1' is fixed when it is created")


@pytest.mark.parametrize("make", [
    "es.NeuronGroup(2**31, 'dv/dt = -v/(10*ms) : 1')",
    "es.NeuronGroup(2**62, 'v : 1')",
    "es.PoissonGroup(2**31, 5*Hz)",
    "es.SpikeGeneratorGroup(2**31, [0], [1]*ms)",
], ids=["NeuronGroup-2**31", "NeuronGroup-2**62", "PoissonGroup", "SpikeGeneratorGroup"])
def test_a_group_beyond_32_bit_indices(make):
    # Spike indices are int32 in the loop: (int32_t)i was negative past 2**31, the reset
    # wrote before the array. Refused at construction, before any allocation.
    done = _child(f"""
        import eqsnn as es
        from eqsnn.units import ms, Hz
        {make}
    """)
    assert_clean_eqsnn_error(done, "InvalidValueError", "at most 2,147,483,647 neurons")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF shared libraries")
def test_a_truncated_network_library_with_a_matching_digest(cache_dir):
    # A full disk while linking left half a library whose digest matched what was
    # written: loading it died of SIGBUS on every run. Built by one child (this process
    # never maps it), cut here, run by another child: rebuilt, same spikes.
    script = """
        import json
        import eqsnn as es
        from eqsnn.compiler import stats
        from eqsnn.units import ms
        group = es.NeuronGroup(10, "dv/dt = (1.2 - v_crash_safety)/(10*ms) : 1\\n"
                                   "v_crash_safety : 1 (constant)",
                               threshold="v > 1", reset="v = 0")
        spikes = es.SpikeMonitor(group)
        net = es.Network(group, spikes, backend="c")
        net.run(20 * ms)
        print(json.dumps([spikes.num_spikes, stats.corrupt_rebuilds]))
    """
    first = _child(script)
    assert first.returncode == 0, _died(first)
    from eqsnn.compiler.integrity import digest_path, write_digest
    cut = 0
    for library in Path(cache_dir).glob("_eqsnn_network_*.so"):
        if "v_crash_safety" in library.with_suffix(".c").read_text(errors="replace"):
            library.write_bytes(library.read_bytes()[: library.stat().st_size // 2])
            write_digest(digest_path(library), library)
            cut += 1
    assert cut == 1
    second = _child(script)
    assert second.returncode == 0, _died(second)
    spikes_before = json.loads(first.stdout.splitlines()[-1])[0]
    assert json.loads(second.stdout.splitlines()[-1]) == [spikes_before, 1]
