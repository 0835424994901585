"""What a run's process imports: modules of the standard library that only an error
message, a notebook or a non-ASCII name needs stay out of it (``html`` with its table
``html.entities``, ``difflib`` for "did you mean", ``unicodedata`` for NFKC names:
12.5 M instructions, ~3 ms, of every script together, counted with callgrind against
``python -c pass``). Each case runs in a fresh interpreter with a warm cache, as a
user's second ``python script.py`` does; the uses themselves are tested where they
are (test_display.py, the namespace's and names' tests). Nor do eqsnn's own modules
that only some models need: the records of custom events (a group without ``events=``
never loads one), linked variables, ``store()``/``restore()``, ``get_states()``, network
operations."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

LAZY = ("html", "difflib", "unicodedata")
#: eqsnn's modules that a network without the feature they serve never needs
FEATURES = ("eqsnn.lowering.event_records", "eqsnn.runtime.links", "eqsnn.runtime.snapshots",
            "eqsnn.runtime.state_files", "eqsnn.runtime.state_entries",
            "eqsnn.runtime.synapse_state", "eqsnn.runtime.operations")

SCRIPT = textwrap.dedent("""
    import json, sys
    import eqsnn as es
    from eqsnn.units import ms, mV
    group = es.NeuronGroup(50, "dv/dt = (v0 - v)/(10*ms) : volt (unless refractory)",
                           threshold="v > -50*mV", reset="v = -60*mV", refractory=2*ms,
                           method="exact", namespace={"v0": -45*mV})
    group.v = "-60*mV + rand()*10*mV"
    syn = es.Synapses(group, group, on_pre="v_post += 0.5*mV")
    syn.connect(p=0.1)
    spikes = es.SpikeMonitor(group)
    state = es.StateMonitor(group, "v", record=[0])
    es.Network(group, syn, spikes, state, threads=1).run(5*ms)
    print(json.dumps([name for name in %r if name in sys.modules]))
""" % (LAZY + FEATURES,))


def _imported(cache) -> list[str]:
    env = dict(os.environ, EQSNN_CACHE_DIR=str(cache))
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def warm_run(tmp_path_factory) -> list[str]:
    """What a second run of the script imports, of LAZY and FEATURES."""
    cache = tmp_path_factory.mktemp("cache")
    _imported(cache)  # (cold: SymPy and Jinja2 may import them)
    return _imported(cache)


def test_a_warm_run_imports_none_of_what_only_errors_notebooks_and_unicode_need(warm_run):
    assert [name for name in warm_run if name in LAZY] == []


def test_a_warm_run_imports_no_module_of_a_feature_it_does_not_use(warm_run):
    assert [name for name in warm_run if name in FEATURES] == []
