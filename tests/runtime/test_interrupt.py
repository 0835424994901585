"""Ctrl-C during a run stops at a step boundary; run() then continues as if uninterrupted."""
import signal
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import os, sys, threading, time
    import numpy as np
    import eqsnn as es
    from eqsnn.units import mV, ms, nA, Mohm, second

    def network(backend):
        group = es.NeuronGroup(
            int(sys.argv[3]), "dv/dt = (El - v + R*I)/tau : volt\\nI : amp",
            threshold="v > -55*mV", reset="v = El", method="exact",
            namespace={"El": -70*mV, "R": 10*Mohm, "tau": 10*ms})
        group.v = -70*mV
        group.I = "1.6*nA + 2*nA*i/N"
        spikes = es.SpikeMonitor(group)
        trace = es.StateMonitor(group, "v", record=[0, 7])
        return es.Network(group, spikes, trace, dt=0.1*ms, seed=3, backend=backend), spikes, trace

    backend = sys.argv[1]
    duration = float(sys.argv[2])
    net, spikes, trace = network(backend)
    net.run(1*ms)  # compile before the clock starts
    print("ready", flush=True)
    try:
        net.run(duration*second)
        print("not interrupted", flush=True)
        sys.exit(3)
    except KeyboardInterrupt as stop:
        print("stopped:", stop, flush=True)
    t_stop = net.t_
    steps = round(t_stop / 1e-4)
    # consistent: the clock, the recorded samples and the state agree
    assert trace.t_.size == steps, (trace.t_.size, steps)
    assert 0 < t_stop < duration
    net.run(duration*second + 1*ms - t_stop*second)
    ref, ref_spikes, ref_trace = network(backend)
    ref.run(duration*second + 1*ms)
    np.testing.assert_array_equal(trace.v_, ref_trace.v_)
    np.testing.assert_array_equal(spikes.i, ref_spikes.i)
    np.testing.assert_array_equal(spikes.t_, ref_spikes.t_)
    print("consistent", steps, flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("backend,size,duration", [("c", 4000, 60.0), ("numpy", 20, 10.0)])
def test_ctrl_c_stops_at_a_step_boundary_and_run_continues(tmp_path, backend, size, duration):
    script = tmp_path / "interrupted.py"
    script.write_text(SCRIPT)
    process = subprocess.Popen([sys.executable, str(script), backend, str(duration), str(size)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    import time
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, out + err
    assert "stopped: run stopped at t = " in out and "run() continues" in out
    assert "consistent" in out


def test_a_run_puts_back_the_ctrl_c_handler_it_found():
    """run() handles Ctrl-C itself while it runs, then gives back the handler it found
    (a user's own, or Python's)."""
    import eqsnn as es
    from eqsnn.units import ms
    group = es.NeuronGroup(10, "dv/dt = -v/(10*ms) : 1", threshold="v > 1",
                           method="exact")
    net = es.Network(group, es.SpikeMonitor(group))
    seen = []

    def mine(signum, frame):
        seen.append(signum)
    previous = signal.signal(signal.SIGINT, mine)
    try:
        net.run(1 * ms)
        assert signal.getsignal(signal.SIGINT) is mine
        signal.raise_signal(signal.SIGINT)
        assert seen == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)
    net.run(1 * ms)
    assert signal.getsignal(signal.SIGINT) is previous
