"""The derivation cache: a warm process never imports SymPy (nor Jinja2: its network
source is cached too), and gets the same results.

Each scenario runs in fresh processes (``python -c``), because what matters is what a
second ``python script.py`` does: whether ``sympy`` ends up in ``sys.modules``, and
whether its simulation is the same as the first one's, to the bit.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import eqsnn as es
from eqsnn.errors import DimensionMismatchError, UnknownNameError
from eqsnn.lowering import cache as build_cache
from eqsnn.units import ms, mV, nA

# A model that uses every part of the record: subexpression (read and monitored),
# shared parameter, refractoriness, reset, string initialisers with rand(), a
# namespace constant used only by an initialiser, a condition in an initialiser.
SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np
    import eqsnn as es
    from eqsnn.units import ms, mV, nA, second
    g = es.NeuronGroup(20, '''
        dv/dt = (El - v + R*I_syn)/tau : volt (unless refractory)
        I_syn = I*gain : amp
        I : amp
        gain : 1 (shared)
        ''', threshold="v > -50*mV", reset="v = El - 5*mV", refractory=2*ms,
        method="exact", namespace={"El": -65*mV, "tau": 10*ms, "R": 100*es.units.Mohm,
                                   "I_top": 0.4*nA}, seed=3)
    g.v = "El + 10*mV*rand()"
    g.I = "I_top*i/N + 0.05*nA*(i < 5)"
    g.gain = 1.0
    spikes = es.SpikeMonitor(g)
    trace = es.StateMonitor(g, ["v", "I_syn"], record=[0, 19])
    net = es.Network(g, spikes, trace, dt=0.1*ms, seed=7, backend=sys.argv[1])
    net.run(30*ms)
    print(json.dumps({"sympy": "sympy" in sys.modules, "jinja2": "jinja2" in sys.modules,
                      "v": g.v_.tolist(),
                      "I_syn": g.I_syn_.tolist(), "i": spikes.i.tolist(),
                      "t": spikes.t_.tolist(), "trace": trace.I_syn_.tolist(),
                      "trace_v": trace.v_.tolist(), "method": g.method}))
""")


def _run(cache: str, backend: str) -> dict:
    env = dict(os.environ, EQSNN_CACHE_DIR=cache)
    done = subprocess.run([sys.executable, "-c", SCRIPT, backend], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_warm_process_skips_sympy_and_matches_cold(tmp_path, backend):
    cold = _run(str(tmp_path), backend)
    warm = _run(str(tmp_path), backend)
    assert cold["sympy"] is True
    assert warm["sympy"] is False
    assert warm.pop("sympy") != cold.pop("sympy")
    assert cold.pop("jinja2") is True and warm.pop("jinja2") is False  # source from cache
    assert warm == cold                       # bit for bit: floats went through JSON repr
    assert len(cold["i"]) > 0                 # the model did spike
    assert cold["method"] == "exact"


def test_value_change_shares_the_record_unit_change_does_not(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    eqs = "dv/dt = -v/tau : volt"
    es.NeuronGroup(2, eqs, namespace={"tau": 10 * ms})
    entries = set((tmp_path / "derived").iterdir())
    es.NeuronGroup(2, eqs, namespace={"tau": 20 * ms})  # a value: run-time data
    assert set((tmp_path / "derived").iterdir()) == entries
    with pytest.raises(DimensionMismatchError):  # a unit: derived (and checked) again
        es.NeuronGroup(2, eqs, namespace={"tau": 10 * mV})
    assert set((tmp_path / "derived").iterdir()) == entries


def test_errors_are_not_cached_and_repeat_identically(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    messages = []
    for _ in range(2):
        group = es.NeuronGroup(2, "dv/dt = -v/tau : volt", namespace={"tua": 10 * ms})
        with pytest.raises(UnknownNameError) as info:
            group.v  # (names are resolved when the group is first used, as in Brian2)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert "did you mean" in messages[0]
    assert not (tmp_path / "derived").exists() or not any((tmp_path / "derived").iterdir())


def test_warm_group_still_offers_its_sympy_objects(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    eqs = "dv/dt = (1*mV - v)/(10*ms) : volt"
    cold = es.NeuronGroup(3, eqs, threshold="v > 0.5*mV", reset="v = 0.1*mV")
    warm = es.NeuronGroup(3, eqs, threshold="v > 0.5*mV", reset="v = 0.1*mV")
    assert cold._derivation is not None and warm._derivation is None
    assert warm.method == cold.method == warm.state_update.method
    assert warm.state_update.reason == cold.state_update.reason
    assert str(warm.threshold) == str(cold.threshold)
    assert [str(a) for a in warm.reset] == [str(a) for a in cold.reset]


def test_damaged_entry_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    eqs = "dv/dt = -v/(5*ms) : volt"
    es.NeuronGroup(2, eqs)
    for path in (tmp_path / "derived").iterdir():
        path.write_text(path.read_text()[:20])  # truncated JSON
    group = es.NeuronGroup(2, eqs)
    assert group._derivation is not None       # derived again
    assert build_cache.load(group._build_key) is not None  # and stored whole


def test_initialiser_sees_namespace_and_conditions(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    group = es.NeuronGroup(4, "I : amp", namespace={"I_max": 0.8 * nA})
    group.I = "I_max*i/N + 1*nA*(i >= 3)"
    np.testing.assert_allclose(group.I_, [0.0, 0.2e-9, 0.4e-9, 1.6e-9])


REASON_SCRIPT = textwrap.dedent("""
    import json, sys
    import eqsnn as es
    from eqsnn.units import ms, mV
    g = es.NeuronGroup(3, "dv/dt = (1*mV - v)/(10*ms) + w/ms : volt\\nw : volt",
                       threshold="v > 0.5*mV", reset="v = 0*mV")
    s = es.Synapses(g, g, "dx/dt = -x/(5*ms) : 1 (clock-driven)", on_pre="v_post += 0*mV")
    print(json.dumps({"method": g.state_update.method, "reason": g.state_update.reason,
                      "notes": list(g.state_update.notes),
                      "syn": [s.state_update.method, s.state_update.reason],
                      "sympy": "sympy" in sys.modules}))
""")


def test_warm_start_answers_method_and_reason_without_sympy(tmp_path):
    env = dict(os.environ, EQSNN_CACHE_DIR=str(tmp_path))
    runs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", REASON_SCRIPT], capture_output=True,
                              text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    cold, warm = runs
    assert cold.pop("sympy") is True and warm.pop("sympy") is False
    assert warm == cold
    assert cold["method"] == "exact" and cold["syn"][0] == "exact"
    assert cold["reason"] and cold["syn"][1]  # the chooser's words, kept in the record
