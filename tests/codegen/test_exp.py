"""eqsnn_exp and eqsnn_expm1 (templates/eqsnn_support.h), compiled as generated code is
(eqsnn's default flags, in a loop gcc vectorises), against 50-digit mpmath and the C
library over the whole range: the ulp bounds the header and docs/internals.md state, the
special values, the way back to the C library's functions (CompilerOptions(exp="libm")),
the polynomial's coefficients recomputed from their definition; and a network of
Hodgkin-Huxley neurons compiled with either exp (the default is the CPU's,
tests/compiler/test_options.py): the same spikes, bit-identical on any thread count."""
from __future__ import annotations

import ctypes
import ctypes.util
import re
import subprocess
from pathlib import Path

import mpmath
import numpy as np
import pytest

import eqsnn as es
from eqsnn.compiler import CompilerOptions, compile_library
from eqsnn.errors import InvalidValueError
from test_invariants import HH, HH_NS  # (the Traub-Miles neuron of the other codegen tests)

SUPPORT_H = Path(__file__).resolve().parents[2] / "templates" / "eqsnn_support.h"

#: The bounds eqsnn promises (in ulps of the exact result; measured: 1.003 and 1.29 over
#: 10^5 random points each) and what glibc promises for its scalar functions (1 ulp).
EXP_ULPS = 1.05
EXPM1_ULPS = 1.5
LIBM_ULPS = 1.0

_SOURCE = r"""
#include <math.h>
#include <stdint.h>
#include "eqsnn_support.h"
#define LOOP(name, call) \
    void name(const double* restrict x, double* restrict y, int64_t n) { \
        for (int64_t i = 0; i < n; ++i) y[i] = call(x[i]); }
LOOP(test_eqsnn_exp, eqsnn_exp)
LOOP(test_eqsnn_expm1, eqsnn_expm1)
LOOP(test_exp, exp)
LOOP(test_expm1, expm1)
"""


def _library(options: CompilerOptions | None = None):
    return compile_library(_SOURCE, name_hint="exp_test", options=options)


INLINE_OPTIONS = CompilerOptions(exp="inline")


@pytest.fixture(scope="module")
def inline():
    return _library(INLINE_OPTIONS)


def _call(library, name: str, x) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.empty_like(x)
    function = getattr(library, name)
    function.restype = None
    function.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    function(x.ctypes.data, y.ctypes.data, x.size)
    return y


def _points() -> np.ndarray:
    """Across the whole range, dense near 0 (both signs, down to subnormals), around the
    reduction's boundaries (|x| near multiples of ln2/2), near overflow and through the
    subnormal results; an odd count, so the vector loop's scalar tail runs too."""
    rng = np.random.default_rng(17)
    tiny = np.logspace(-320, 0, 700)
    ln2 = np.log(2.0)
    edges = np.concatenate([k * ln2 / 2 + rng.uniform(-1e-9, 1e-9, 20)
                            for k in range(-6, 7)])
    return np.concatenate([
        rng.uniform(-750, 712, 6000), rng.uniform(-1.2, 1.2, 3000),
        rng.uniform(-40, 40, 2000), tiny, -tiny, edges, rng.uniform(700, 709.78, 400), rng.uniform(-745.2, -707, 1500),
        [0.5, 1.0, -1.0, 2.0, 10.0, 100.0, -100.0, 709.782712893384, -708.3964185322641,
         -745.1332191019411]])


def _ulps(values, exact) -> np.ndarray:
    """|value - exact| in ulps of the exact result (2^-1074 for subnormal results)."""
    errors = []
    for value, reference in zip(values, exact):
        _, exponent = mpmath.frexp(reference) if reference != 0 else (0, -1073)
        ulp = mpmath.ldexp(1, max(exponent - 53, -1074))
        errors.append(float(abs(mpmath.mpf(float(value)) - reference) / ulp))
    return np.array(errors)


def _exact(function, xs):
    with mpmath.workdps(50):
        return [function(mpmath.mpf(float(x))) for x in xs]


def _finite(xs, exact):
    """The points whose exact result is a finite double (no overflow)."""
    keep = np.array([abs(r) < mpmath.mpf(np.finfo(float).max) for r in exact])
    return xs[keep], [r for r, k in zip(exact, keep) if k]


@pytest.mark.parametrize("name, function, bound", [
    ("exp", mpmath.exp, EXP_ULPS), ("expm1", mpmath.expm1, EXPM1_ULPS)])
def test_within_the_stated_ulps_of_50_digits_and_of_the_c_library(inline, name, function,
                                                                  bound):
    xs, exact = _finite(_points(), _exact(function, _points()))
    ours = _ulps(_call(inline, f"test_eqsnn_{name}", xs), exact)
    assert ours.max() <= bound, (name, xs[ours.argmax()], ours.max())
    # the C library's scalar function (glibc: within 1 ulp), as a cross-check of the
    # reference and of where the two may differ
    libm = getattr(ctypes.CDLL(ctypes.util.find_library("m")), name)
    libm.restype, libm.argtypes = ctypes.c_double, [ctypes.c_double]
    theirs = np.array([libm(float(x)) for x in xs])
    assert _ulps(theirs, exact).max() <= LIBM_ULPS
    apart = np.abs(_call(inline, f"test_eqsnn_{name}", xs) - theirs)
    spacing = np.spacing(np.abs(theirs))
    assert np.all(apart <= (bound + LIBM_ULPS) * np.maximum(spacing, 5e-324))


def test_expm1_has_no_cancellation_near_zero(inline):
    """exp(x) - 1 loses every digit near 0; expm1 keeps them: relative error of 1e-16
    at x = 1e-10, 1e-200 and a subnormal, and expm1(x) = x there."""
    xs = np.array([1e-10, -1e-10, 3e-17, -2.5e-30, 1e-200, -1e-300, 4e-320, -5e-324, 1e-5])
    values = _call(inline, "test_eqsnn_expm1", xs)
    exact = _exact(mpmath.expm1, xs)
    assert _ulps(values, exact).max() <= EXPM1_ULPS
    assert np.array_equal(values[2:8], xs[2:8])


def test_special_values_are_exactly_the_c_librarys(inline):
    xs = np.array([np.inf, -np.inf, np.nan, 710.0, 1e300, -1e300, -746.0, 0.0, -0.0,
                   709.782712893384, np.nextafter(709.782712893384, np.inf),
                   -745.1332191019411, -745.1332191019412, -708.3964185322641])
    exp = _call(inline, "test_eqsnn_exp", xs)
    assert list(exp[[0, 1, 3, 4, 5, 6, 7, 8]]) == [np.inf, 0.0, np.inf, np.inf, 0.0, 0.0,
                                                   1.0, 1.0]
    assert np.isnan(exp[2])
    # overflow exactly where e^x passes the largest double
    assert np.isfinite(exp[9]) and exp[10] == np.inf
    # gradual underflow: the smallest subnormal, then 0; and the edge of the normal range
    assert exp[11] == 5e-324 and exp[12] == 0.0
    assert exp[13] == pytest.approx(2.2250738585072014e-308, rel=2e-16)
    expm1 = _call(inline, "test_eqsnn_expm1", xs)
    assert list(expm1[[0, 1, 3, 4, 5, 6, 7]]) == [np.inf, -1.0, np.inf, np.inf, -1.0, -1.0,
                                                  0.0]
    assert np.isnan(expm1[2])
    assert expm1[8] == 0.0 and np.signbit(expm1[8])  # expm1(-0) = -0
    assert np.isfinite(expm1[9]) and expm1[10] == np.inf


def test_exp_libm_calls_the_c_librarys_functions_bit_for_bit():
    """CompilerOptions(exp="libm") (the default but on AMD with AVX-512): eqsnn_exp and
    eqsnn_expm1 are exp and expm1 of the C library (libmvec's in the vectorised loop),
    bit for bit; the inline ones are not."""
    assert "-DEQSNN_EXP_INLINE" in INLINE_OPTIONS.cflags
    # another module (the flags are its key)
    assert INLINE_OPTIONS != CompilerOptions(exp="libm")
    libm = _library(CompilerOptions(exp="libm"))
    xs = _points()
    for name in ("exp", "expm1"):
        assert np.array_equal(_call(libm, f"test_eqsnn_{name}", xs),
                              _call(libm, f"test_{name}", xs), equal_nan=True)
    if not INLINE:
        return
    inline = _library(INLINE_OPTIONS)
    assert not np.array_equal(_call(inline, "test_eqsnn_exp", xs), _call(inline, "test_exp", xs))


def test_exp_option_is_checked():
    with pytest.raises(InvalidValueError, match="exp='libmvec'.*'libm', 'inline'"):
        CompilerOptions(exp="libmvec")
    # given twice (cflags that have the flag already), it is there once
    flags = CompilerOptions(cflags=("-O2", "-DEQSNN_EXP_INLINE"), exp="inline").cflags
    assert flags == ("-O2", "-DEQSNN_EXP_INLINE")


def test_polynomial_coefficients_are_the_chebyshev_interpolant():
    """The header's P(r) = (e^r - 1 - r)/r^2: the degree-9 polynomial interpolating it at
    the 10 Chebyshev nodes of [-a, a], a = ln2/2 (1 + 2^-20), coefficients rounded to
    double; its error is below 1.6e-17 relative to e^r on [-a, a]."""
    text = SUPPORT_H.read_text()
    body = re.search(r"eqsnn_exp_polynomial\(double r\)\n\{(.*?)\n\}", text, re.S).group(1)
    coefficients = [float.fromhex(c) for c in re.findall(r"0x1\.[0-9a-f]+p-?\d+", body)]
    header = coefficients[::-1]  # Horner's order: the highest first
    with mpmath.workdps(50):
        a = mpmath.log(2) / 2 * (1 + mpmath.mpf(2) ** -20)
        nodes = [a * mpmath.cos(mpmath.pi * (2 * j + 1) / 20) for j in range(10)]
        matrix = mpmath.matrix([[node**i for i in range(10)] for node in nodes])
        values = mpmath.matrix([(mpmath.expm1(node) - node) / node**2 for node in nodes])
        expected = [float(c) for c in mpmath.lu_solve(matrix, values)]
        assert header == expected
        worst = 0
        for j in range(401):
            r = -a + 2 * a * j / 400
            p = sum(mpmath.mpf(c) * r**i for i, c in enumerate(header))
            worst = max(worst, abs(r + r * r * p - mpmath.expm1(r)) / mpmath.exp(r))
        assert worst < 1.6e-17


def _compile(*flags: str, options: CompilerOptions = INLINE_OPTIONS) -> str:
    """The test source compiled with ``options`` and ``flags``: the compiler's output."""
    command = [*options.cc, *options.cflags, *flags, f"-I{SUPPORT_H.parent}", "-x", "c",
               "-", "-o", "-"]
    return subprocess.run(command, input=_SOURCE, capture_output=True, text=True,
                          check=True).stdout


def _assembly(function: str) -> str:
    text = _compile("-S")  # (eqsnn_exp inline, exp libmvec's)
    return re.search(rf"^{function}:\n(.*?)\.size\s+{function}", text, re.S | re.M).group(1)


#: whether this compiler and CPU get the inline functions with exp="inline" (a CPU with
#: fma; elsewhere eqsnn_exp is the C library's exp, as with exp="libm")
INLINE = "EQSNN_INLINE_EXP" in _compile("-dM", "-E")
needs_inline = pytest.mark.skipif(not INLINE, reason="no fma: the C library's exp here")


@needs_inline
def test_the_vectorised_loop_calls_nothing():
    """What the inline exp is for: gcc vectorises it into the loop without a call (a call
    of libmvec spills every live vector register around it)."""
    for name in ("test_eqsnn_exp", "test_eqsnn_expm1"):
        body = _assembly(name)
        assert "call" not in body, name
        assert re.search(r"vfmadd\w*pd", body), name  # packed: vectorised
    if "-lmvec" in CompilerOptions().ldflags:
        assert "call" in _assembly("test_exp")  # (libmvec's exp: the check can fail)


# --- a network: Traub-Miles neurons (exprel and exp, exponential Euler) --------------
def _hh_network(backend: str, threads: int = 1, exp: str | None = None) -> dict:
    """100 ms of 40 neurons with input currents from 0 to 0.7 nA (the benchmark's HH:
    from no spike to ~100 Hz): the spikes and the final state."""
    u = es.units.ureg
    group = es.NeuronGroup(40, HH, threshold="v > -20*mV", refractory=3 * u.ms,
                           method="exponential_euler", namespace=HH_NS)
    group.v = -60 * u.mV
    group.I = "0.7*nA*i/N"
    spikes = es.SpikeMonitor(group)
    options = {} if backend == "numpy" else {"compiler": CompilerOptions(exp=exp)}
    es.Network(group, spikes, dt=0.01 * u.ms, backend=backend, threads=threads,
               **options).run(100 * u.ms)
    return {"i": np.asarray(spikes.i), "step": np.rint(np.asarray(spikes.t_) / 1e-5),
            "v": group.v_.copy(), "m": group.m_.copy(), "n": group.n_.copy(),
            "h": group.h_.copy()}


@pytest.fixture(scope="module")
def hh_runs():
    return {"inline": _hh_network("c", 1, "inline"), "libm": _hh_network("c", 1, "libm"),
            "numpy": _hh_network("numpy")}


@pytest.mark.parametrize("threads", [2, 3])
@pytest.mark.parametrize("exp", ["inline", "libm"])
def test_a_network_is_bit_identical_at_any_thread_count_with_either_exp(hh_runs, exp,
                                                                        threads):
    other = _hh_network("c", threads, exp)
    for name, values in hh_runs[exp].items():
        assert np.array_equal(other[name], values), name


@pytest.mark.parametrize("against", ["libm", "numpy"])
def test_a_network_compiled_with_either_exp_gives_the_same_spikes(hh_runs, against):
    """The exps differ by a few ulp a call (1.05 and 4, numpy's below 1); over 10^4
    steps and the spikes' steep rises that grows to ~1e-9 of v (measured 1.1e-9
    inline against libm, 6e-11 against numpy), never to a spike a step apart."""
    inline, other = hh_runs["inline"], hh_runs[against]
    assert 200 < len(inline["i"]) < 400  # (spiking neurons; 257 spikes)
    assert np.array_equal(inline["i"], other["i"])
    assert np.array_equal(inline["step"], other["step"])
    for name in ("v", "m", "n", "h"):
        np.testing.assert_allclose(inline[name], other[name], rtol=1e-8, atol=1e-12,
                                   err_msg=name)
    if against == "libm" and INLINE:
        assert not np.array_equal(inline["v"], other["v"])  # (two exps were compiled)
