"""The build stage's sharing of exponentials (eqsnn/lowering/exponentials.py) and unit
folding (eqsnn/lowering/unit_folding.py): what the printed HH update calls, and that the
rewritten rates are as accurate as the direct ones (mpmath, both backends)."""
from __future__ import annotations

import ctypes
import re

import mpmath
import numpy as np
import pytest

import eqsnn as es
from eqsnn.codegen.numpy_support import (eqsnn_exprel, eqsnn_exprel_from_exp,
                                         eqsnn_inv_exprel, eqsnn_inv_exprel_from_exp)
from eqsnn.models import HodgkinHuxley, TraubMiles
from eqsnn.units import mV, ms

BACKENDS = ["c", "numpy"]
#: a call of exp in C code: eqsnn's (templates/eqsnn_support.h), whichever exp it is
C_EXP = r"\beqsnn_exp\("


def _update(group, backend="c") -> str:
    return "\n".join(group._record.code[backend].stateupdate.lines)


def _count(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text))


# --- what the printed code computes ----------------------------------------------------
@pytest.mark.parametrize("backend", BACKENDS)
def test_traub_miles_update_calls_eight_exponentials_and_divides_eight_times(backend):
    """Per neuron and step: beta_h, alpha_n and beta_m share one exp E (their arguments
    are y, y - 5 and -y), alpha_m keeps its expm1, beta_n and alpha_h their exp, and
    the four exponential-Euler factors theirs: 8 calls, as the hand-written C (was 10:
    3 exprel + 3 exp + 4). Divisions: 8 (was 11: each c/exprel took two; the hand-written
    C has 9: its 1/E); none by a unit (mV, ms are numbers in the code)."""
    group = TraubMiles().group(3)
    # ge and gi decay by the loop-invariant exp(-dt/taue), exp(-dt/taui)
    lines = [line for line in group._record.code[backend].stateupdate.lines
             if not line.startswith(("ge[_i]", "gi[_i]"))]
    text = "\n".join(lines)
    exp = r"np\.exp\(" if backend == "numpy" else C_EXP
    assert _count(exp, text) == 1 + 2 + 4
    assert _count(r"eqsnn_inv_exprel\(", text) == 1          # its expm1 and one division
    assert _count(r"eqsnn_inv_exprel_from_exp\(", text) == 2  # one division each, no call
    assert _count(r"eqsnn_exprel\(|expm1\(", text) == 0
    # written out: 5 per neuron, and dt/Cm (loop-invariant: computed once)
    assert _count("/", text) - _count("dt/Cm", text) + 3 == 8
    assert "_exp0_inv" not in text  # exp(-y) is needed only inside an exprel: no 1/E
    assert not re.search(r"\b(mV|ms)\b", text)


def test_classic_hodgkin_huxley_shares_one_exp_among_three_rates():
    """alpha_m, beta_h and alpha_n of the 1952 model have arguments -(v + 40 mV)/10 mV,
    that + 1/2 and that - 3/2: one exp for the three (was 2 expm1 + 1 exp); with
    beta_m, alpha_h, beta_n and the four factors, 8 exp calls, no expm1 (was 10)."""
    text = _update(HodgkinHuxley().group(2))
    assert _count(C_EXP, text) == 1 + 3 + 4
    assert _count(r"eqsnn_inv_exprel_from_exp\(", text) == 2
    assert _count(r"eqsnn_exprel|expm1|eqsnn_inv_exprel\(", text) == 0


def test_shifts_that_are_parameters_are_not_shared():
    """exp((v - V1)/k) and exp((v - V2)/k) differ by (V2 - V1)/k, a run-time value:
    both stay exp calls (a derived exp could overflow where the direct one does not)."""
    group = es.NeuronGroup(2, """dv/dt = (exp((v - V1)/k) - exp((v - V2)/k))*mV/ms : volt""",
                           method="euler",
                           namespace={"V1": -50 * mV, "V2": -40 * mV, "k": 5 * mV})
    text = _update(group)
    assert _count(C_EXP, text) == 2 and "_exp0" not in text


# --- accuracy ------------------------------------------------------------------------
def _exprel(x):
    with mpmath.workdps(50):
        x = mpmath.mpf(x)
        return mpmath.mpf(1) if x == 0 else mpmath.expm1(x) / x


#: both signs from 1e-300 to 700, dense around the series threshold 1/4 and at 0, and
#: where x*exp(-x) or exp(-x) overflows (the limits, not inf/inf)
SWEEP = np.concatenate([s * np.logspace(-300, np.log10(700), 3000) for s in (1, -1)]
                       + [s * np.linspace(0.2, 0.3, 2001) for s in (1, -1)]
                       + [[0.0, -690.0, -703.0, -709.0, -710.0, -720.0, -800.0, -1e5]])
#: relative error bound against 50-digit mpmath, exp's error included (~4.5x amplified
#: by e - 1 just above |x| = 1/4): it holds for eqsnn's 1-ulp exp (the default) and for
#: libmvec's 4-ulp one (CompilerOptions(exp="libm")) in the vectorised C loop
FROM_EXP_RTOL = 3e-15
INV_RTOL = 1e-15


def _relative_errors(values, reference):
    return np.abs(values / reference - 1)


def _references():
    exprel = np.array([float(_exprel(x)) for x in SWEEP])
    inverse = np.array([float(1 / _exprel(x)) for x in SWEEP])
    return exprel, inverse


_C_SOURCE = """
#include <stdint.h>
#include "eqsnn_support.h"
void cases(const double* restrict x, int64_t n, double* restrict out) {
    for (int64_t i = 0; i < n; ++i) {
        const double e = exp(x[i]), e_minus = exp(-x[i]);
        out[i] = eqsnn_exprel_from_exp(x[i], e, 1.0);
        out[n + i] = eqsnn_inv_exprel_from_exp(x[i], e, 1.0);
        out[2 * n + i] = eqsnn_inv_exprel(x[i]);
        out[3 * n + i] = eqsnn_exprel_from_exp(x[i], 1.0, e_minus);   /* e = 1/exp(-x) */
        out[4 * n + i] = eqsnn_inv_exprel_from_exp(x[i], 1.0, e_minus);
    }
}
"""


def _c_values(xs):
    from eqsnn.compiler import compile_library
    library = compile_library(_C_SOURCE, name_hint="shared_exponentials_test")
    xs = np.ascontiguousarray(xs, dtype=np.float64)
    out = np.empty(5 * xs.size)
    pointer = ctypes.POINTER(ctypes.c_double)
    library.cases(xs.ctypes.data_as(pointer), ctypes.c_int64(xs.size),
                  out.ctypes.data_as(pointer))
    return out.reshape(5, xs.size)


@pytest.mark.parametrize("backend", BACKENDS)
def test_exprel_from_exp_and_inverses_against_mpmath(backend):
    exprel, inverse = _references()
    if backend == "numpy":
        with np.errstate(over="ignore"):
            e, e_minus = np.exp(SWEEP), np.exp(-SWEEP)
        values = (eqsnn_exprel_from_exp(SWEEP, e, 1.0), eqsnn_inv_exprel_from_exp(SWEEP, e, 1.0),
                  eqsnn_inv_exprel(SWEEP), eqsnn_exprel_from_exp(SWEEP, 1.0, e_minus),
                  eqsnn_inv_exprel_from_exp(SWEEP, 1.0, e_minus))
    else:
        values = _c_values(SWEEP)
    # exp(x) given as p = e, q = 1, and as p = 1, q = exp(-x)
    for k, reference in ((0, exprel), (1, inverse), (3, exprel), (4, inverse)):
        assert _relative_errors(values[k], reference).max() < FROM_EXP_RTOL, k
    assert _relative_errors(values[2], inverse).max() < INV_RTOL
    # the series and the formula meet without a step at |x| = 1/4
    near = np.abs(np.abs(SWEEP) - 0.25) < 1e-3
    assert _relative_errors(values[0][near], exprel[near]).max() < FROM_EXP_RTOL


#: the Traub-Miles rates, each integrated for one Euler step from 0: r(dt) = dt*rate
_RATES = """
v : volt
dam/dt = 1.28/exprel((13*mV - v + VT)/(4*mV))/ms : 1
dbm/dt = 1.4/exprel((v - VT - 40*mV)/(5*mV))/ms : 1
dah/dt = 0.128*exp((17*mV - v + VT)/(18*mV))/ms : 1
dbh/dt = 4/(1 + exp((40*mV - v + VT)/(5*mV)))/ms : 1
dan/dt = 0.16/exprel((15*mV - v + VT)/(5*mV))/ms : 1
dbn/dt = 0.5*exp((10*mV - v + VT)/(40*mV))/ms : 1
"""
_VT = -63e-3


def _mpmath_rates(v):
    """The six rates in 1/ms, to 50 digits, at the double v (volt)."""
    with mpmath.workdps(50):
        u = (mpmath.mpf(v) - mpmath.mpf(_VT)) * 1000  # v - VT in mV, exactly
        return [1.28 / _exprel((13 - u) / 4), 1.4 / _exprel((u - 40) / 5),
                0.128 * mpmath.exp((17 - u) / 18), 4 / (1 + mpmath.exp((40 - u) / 5)),
                0.16 / _exprel((15 - u) / 5), 0.5 * mpmath.exp((10 - u) / 40)]


def _direct_rates(v):
    """The rates as the code computed them before the rewrite (eqsnn_exprel, exp)."""
    u = v - _VT
    return [1.28 / eqsnn_exprel((13e-3 - u) / 4e-3), 1.4 / eqsnn_exprel((u - 40e-3) / 5e-3),
            0.128 * np.exp((17e-3 - u) / 18e-3), 4 / (1 + np.exp((40e-3 - u) / 5e-3)),
            0.16 / eqsnn_exprel((15e-3 - u) / 5e-3), 0.5 * np.exp((10e-3 - u) / 40e-3)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_shared_rates_are_as_accurate_as_the_direct_ones(backend):
    """-100 to 60 mV, dense where the shared exprel arguments cross 0 (v = -23 mV for
    beta_m, -48 mV for alpha_n) and the series threshold |x| = 1/4 (1.25 mV from
    there): against mpmath within 1e-14 relative, as the direct formula (the
    arguments' own rounding, ~1e-15 absolute at |x| ~ 16, dominates both)."""
    v = np.concatenate([np.linspace(-100e-3, 60e-3, 1601),
                        -23e-3 + np.linspace(-2e-3, 2e-3, 801),
                        -48e-3 + np.linspace(-2e-3, 2e-3, 801)])
    group = es.NeuronGroup(v.size, _RATES, method="euler", namespace={"VT": _VT * 1e3 * mV})
    assert _count(r"eqsnn_inv_exprel_from_exp\(", _update(group, backend)) == 2
    group.v = v * 1e3 * mV
    dt = 0.01 * ms
    es.Network(group, backend=backend, dt=dt).run(dt)
    got = [getattr(group, name + "_") / 1e-2 for name in ("am", "bm", "ah", "bh", "an", "bn")]
    direct = _direct_rates(v)
    for k, (values, before) in enumerate(zip(got, direct)):
        reference = np.array([float(_mpmath_rates(x)[k]) for x in v])
        # (dt*rate/dt: two more roundings)
        assert _relative_errors(values, reference).max() < 1e-14, k
        assert _relative_errors(before, reference).max() < 1e-14, k
        np.testing.assert_allclose(values, before, rtol=1e-14, atol=0)


def test_traub_miles_is_bit_identical_on_one_and_two_threads():
    def run(threads):
        model = TraubMiles()
        group = model.group(50)
        model.initialise(group)
        group.I = "0.7*nA*i/N"
        es.Network(group, backend="c", threads=threads, dt=0.01 * ms).run(5 * ms)
        return np.stack([group.v_, group.m_, group.n_, group.h_])
    assert np.array_equal(run(1), run(2))


def test_a_variable_assigned_in_between_is_a_new_value():
    """exp(v) before and exp(v + 1) after 'v = 2*v' are not exp(v)*e: the pass compares
    values at the start of the step; the same call twice is computed once."""
    from sympy import exp
    from sympy.codegen.ast import Assignment

    from eqsnn.equations.symbols import symbol
    from eqsnn.lowering.exponentials import share_exponentials
    v, a, b, c = (symbol(n) for n in ("v", "_a", "_b", "_c"))
    before = [Assignment(a, exp(v)), Assignment(v, 2 * v), Assignment(b, exp(v + 1))]
    assert share_exponentials(before) == tuple(before)
    twice = [Assignment(a, exp(v)), Assignment(b, exp(v) + 1), Assignment(c, exp(-v))]
    shared = share_exponentials(twice)
    assert sum(str(s.rhs).count("exp(") for s in shared) == 1, shared


def test_synapses_share_and_fold_too():
    """A clock-driven synaptic variable's exprel and exp of arguments -1/2 apart share
    one exp; units in an on_pre statement are numbers; both backends agree."""
    def run(backend):
        G = es.NeuronGroup(3, "dv/dt = (2*mV - v)/(5*ms) : volt", method="exact")
        G.v = "i*mV"
        rate = "(exprel((v_post - 3*mV)/(2*mV)) - x*exp(-(v_post + mV)/(2*mV)))/ms"
        S = es.Synapses(G, G, f"w : 1\ndx/dt = {rate} : 1 (clock-driven)",
                        on_pre="v_post += 0.5*mV*w", method="euler")
        S.connect()
        es.Network(G, S, backend=backend, dt=0.1 * ms).run(2 * ms)
        return S, S.x_
    S, x_c = run("c")
    update = "\n".join(S._record.code["c"].update.lines)
    assert _count(C_EXP, update) == 1 and "eqsnn_exprel_from_exp(" in update
    assert "mV" not in "\n".join(S._record.code["c"].pathways["pre"].lines)
    np.testing.assert_allclose(x_c, run("numpy")[1], rtol=1e-13)
