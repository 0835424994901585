"""Unit names are numbers in the printed code (eqsnn/lowering/unit_folding.py): no
division by a run-time ``mV`` per neuron; a name the namespace gives stays data."""
from __future__ import annotations

import re

import numpy as np

import eqsnn as es
from eqsnn.models import TraubMiles
from eqsnn.units import mV, ms


def test_traub_miles_code_has_no_unit_names():
    """(13*mV - v + VT)/(4*mV) is 250*(VT - v) + 3.25 in the code, on both backends, and
    the operations no longer read the units."""
    group = TraubMiles().group(2)
    for backend in ("c", "numpy"):
        code = group._record.code[backend]
        text = "\n".join(code.stateupdate.lines) + code.threshold.text
        assert not re.search(r"\b(mV|ms|nS|uS|pF)\b", text), text
        assert "250.0*_cse4 + 3.25" in text and "-0.02" in code.threshold.text
        assert not {"mV", "ms"} & set(code.stateupdate.reads + code.threshold.reads)


def test_a_unit_from_the_namespace_stays_a_parameter():
    """Only eqsnn's own units are numbers in the code; a name the namespace defines is
    data (changing it never recompiles), even one spelt like a unit."""
    eqs = "dv/dt = (El - v)/(10*ms) : volt"
    folded = es.NeuronGroup(1, eqs, method="euler", namespace={"El": -70 * mV})
    assert "ms" not in folded._record.code["c"].stateupdate.reads
    kept = es.NeuronGroup(1, eqs, method="euler", namespace={"El": -70 * mV, "ms": 2 * ms})
    assert "ms" in kept._record.code["c"].stateupdate.reads
    net = es.Network(kept, backend="numpy", dt=0.1 * ms)
    net.run(0.1 * ms)
    # one Euler step with the namespace's "ms" = 2 ms: dv = dt*(El - v)/(20 ms)
    np.testing.assert_allclose(kept.v_, -70e-3 * 0.1 / 20, rtol=1e-12)


