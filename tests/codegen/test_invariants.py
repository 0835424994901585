"""Loop invariants computed once before the neuron loop (eqsnn/lowering/invariants.py).

What depends only on constants, dt and t is printed before the loop over the neurons;
what differs per neuron (state, linked variables, i, not_refractory, rand(), a
TimedArray) stays in the loop. Hoisting rewrites nothing: the builds with and without it
give bit-identical state on both backends.
"""
from __future__ import annotations

import numpy as np
import pytest

import eqsnn as es
from eqsnn.lowering import invariants, printed
from eqsnn.units import mV, ms, nA, nS

BACKENDS = ("c", "numpy")

CUBA = """
dv/dt = (ge + gi - (v - El))/taum : volt (unless refractory)
dge/dt = -ge/taue : volt
dgi/dt = -gi/taui : volt
"""
CUBA_NS = {"taum": 20 * ms, "taue": 5 * ms, "taui": 10 * ms, "El": -49 * mV,
           "Vt": -50 * mV, "Vr": -60 * mV}


def _cuba(n: int = 200) -> es.NeuronGroup:
    group = es.NeuronGroup(n, CUBA, threshold="v > Vt", reset="v = Vr",
                           refractory=5 * ms, method="exact", namespace=CUBA_NS, seed=3)
    group.v = "Vr + rand()*(Vt - Vr) + 3*mV"
    group.ge = "2*mV*rand()"
    return group


def _code(group, backend):
    return group._record.code[backend]


@pytest.mark.parametrize("backend", BACKENDS)
def test_cuba_exponentials_are_computed_before_the_loop(backend):
    code = _code(_cuba(), backend).stateupdate
    loop, before = "\n".join(code.lines), "\n".join(code.hoisted)
    assert "exp" not in loop and "exprel" not in loop
    # exp(-dt/taum), exp(-dt/taue), exp(-dt/taui) and the two exprel
    assert before.count("exp(") == 3 and before.count("exprel(") == 2
    assert set(code.hoisted_temporaries).isdisjoint(code.temporaries)


def test_generated_c_computes_them_once_per_step():
    net = es.Network(_cuba(), dt=0.1 * ms, backend="c")
    source = net._builder().build().source
    # (fused with the threshold or not: codegen/fusion.py)
    update = source.split("/* state update")[1].split("/* spikes of")[0]
    before_loop, loop = update.split("for (", 1)
    assert before_loop.count("exp(") == 3 and "exp(" not in loop


def test_what_differs_per_neuron_stays_in_the_loop():
    stim = es.TimedArray([1.0, 2.0, 3.0] * nA, dt=1 * ms)
    source = es.NeuronGroup(5, "dy/dt = -y/tau : volt", namespace={"tau": 10 * ms})
    group = es.NeuronGroup(5, """
        dv/dt = (-v + exp(-dt/tau)*mV*sin(i) + R*stim(t) + y_l + s*rand())/tau : volt
        y_l : volt (linked)
        s : volt (shared)
        """, namespace={"tau": 10 * ms, "R": 1e6 * es.units.ohm, "stim": stim},
        method="euler")
    group.y_l = es.linked_var(source, "y")
    code = _code(group, "c").stateupdate
    loop, before = "\n".join(code.lines), "\n".join(code.hoisted)
    assert "exp(" in before and "exp(" not in loop  # (a constant and dt)
    for per_neuron in ("sin(i)", "_ta", "stim", "y_l", "s[0]", "eqsnn_uniform"):
        assert per_neuron not in before
    assert "sin(i)" in loop and "y_l" in loop and "eqsnn_uniform" in loop


def test_what_depends_on_t_is_computed_per_step():
    group = es.NeuronGroup(3, "dv/dt = (A*sin(2*pi*f*t) - v)/tau : volt",
                           threshold="v > Vt + dV*cos(2*pi*f*t)",
                           namespace={"A": 5 * mV, "f": 50 * es.units.Hz, "tau": 10 * ms,
                                      "Vt": 1 * mV, "dV": 0.5 * mV}, method="euler")
    for backend in BACKENDS:
        code = _code(group, backend)
        assert "sin(" in "\n".join(code.stateupdate.hoisted)
        assert "sin(" not in "\n".join(code.stateupdate.lines)
        assert "cos(" in "\n".join(code.threshold.hoisted)
        assert "cos(" not in code.threshold.text


def test_a_threshold_without_invariants_hoists_nothing():
    code = _code(_cuba(), "c").threshold
    assert code.hoisted == () and code.text == "v[_i] > Vt"


HH = """
dv/dt = (gl*(El - v) - g_na*(m*m*m)*h*(v - ENa) - g_kd*(n*n*n*n)*(v - EK) + I)/Cm : volt
I : amp
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
alpha_m = 1.28/exprel((13*mV - v + VT)/(4*mV))/ms : Hz
beta_m = 1.4/exprel((v - VT - 40*mV)/(5*mV))/ms : Hz
alpha_h = 0.128*exp((17*mV - v + VT)/(18*mV))/ms : Hz
beta_h = 4/(1 + exp((40*mV - v + VT)/(5*mV)))/ms : Hz
alpha_n = 0.16/exprel((15*mV - v + VT)/(5*mV))/ms : Hz
beta_n = 0.5*exp((10*mV - v + VT)/(40*mV))/ms : Hz
"""
HH_NS = {"Cm": 0.2 * es.units.nF, "gl": 10 * nS, "El": -60 * mV, "EK": -90 * mV,
         "ENa": 50 * mV, "g_na": 20 * es.units.uS, "g_kd": 6 * es.units.uS,
         "VT": -63 * mV}


def _models():
    """Groups whose per-neuron code has invariants of every kind: constants and dt
    (CUBA's exact update), inside rate functions (HH, exponential Euler), t (a
    sinusoidal drive, in the update and the threshold), and rand() beside them."""
    cuba = _cuba(150)
    hh = es.NeuronGroup(70, HH, threshold="v > -20*mV", refractory=3 * ms,
                        method="exponential_euler", namespace=HH_NS)
    hh.v = -60 * mV
    hh.I = "0.7*nA*i/N"
    drive = es.NeuronGroup(67, """
        dv/dt = (A*sin(2*pi*f*t) - v)/tau + sigma*xi/sqrt(tau) : volt
        """, threshold="v > Vt + dV*cos(2*pi*f*t)", reset="v = 0*mV",
        namespace={"A": 12 * mV, "f": 40 * es.units.Hz, "tau": 10 * ms, "Vt": 8 * mV,
                   "dV": 2 * mV, "sigma": 2 * mV}, method="euler", seed=5)
    return [cuba, hh, drive]


def _run(backend: str):
    groups = _models()
    spikes = [es.SpikeMonitor(g) for g in groups]
    net = es.Network(*groups, *spikes, dt=0.05 * ms, backend=backend, seed=2)
    net.run(30 * ms, progress=False)
    state = [{var: np.array(getattr(g, var + "_")) for var in ("v",)} for g in groups]
    return state, [(np.array(m.i), np.array(m.t_)) for m in spikes]


def _run_unhoisted(backend: str, monkeypatch, cache):
    """The same models printed without hoisting, in a cache of their own."""
    with monkeypatch.context() as patch:
        patch.setenv("EQSNN_CACHE_DIR", str(cache))
        patch.setattr(printed.invariants, "split",
                      lambda statements, scalars, prefix, expressions=():
                      invariants.Invariants(body=tuple(statements)))
        return _run(backend)


def test_hoisting_changes_no_bit_of_numpy(monkeypatch, tmp_path):
    """numpy evaluates a scalar subexpression as a scalar anyway: the same operations
    on the same values, so the same bits."""
    hoisted, plain = _run("numpy"), _run_unhoisted("numpy", monkeypatch, tmp_path)
    assert sum(i.size for i, _ in hoisted[1]) > 20  # (the groups spike)
    for a, b in zip(hoisted[0], plain[0]):
        np.testing.assert_array_equal(a["v"], b["v"])
    for (i1, t1), (i2, t2) in zip(hoisted[1], plain[1]):
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(t1, t2)


def test_hoisting_in_c_stays_within_the_backends_tolerance(monkeypatch, tmp_path):
    """C: the same spikes; the state bit for bit where gcc had hoisted the invariants
    itself (CUBA, HH). With -ffast-math gcc may reassociate the operations of one
    expression, and a name computed before the loop is a boundary it does not cross,
    so elsewhere (the drive's sin(2*pi*f*t)) the last bits may differ: measured
    7e-13 relative after 600 steps, and the hoisted build stayed as close to numpy as
    the unhoisted (1.2e-13 against 5.8e-13). Asserted: the tolerance C and numpy are
    held to (test_backends_agree.py: 1e-11 of the scale)."""
    hoisted, plain = _run("c"), _run_unhoisted("c", monkeypatch, tmp_path)
    reference = _run("numpy")
    for (i1, t1), (i2, t2) in zip(hoisted[1], plain[1]):
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(t1, t2)
    for k, (a, b, n) in enumerate(zip(hoisted[0], plain[0], reference[0])):
        if k < 2:  # CUBA, HH
            np.testing.assert_array_equal(a["v"], b["v"])
        scale = np.abs(n["v"]).max()
        np.testing.assert_allclose(a["v"], b["v"], rtol=0, atol=1e-11 * scale)
        np.testing.assert_allclose(a["v"], n["v"], rtol=0, atol=1e-11 * scale)
