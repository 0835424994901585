"""eqsnn_support.h and its numpy twin: the same random numbers, good ones; exact exprel."""
from __future__ import annotations

import platform
import re
import sys
from pathlib import Path

import mpmath
import numpy as np
import pytest
from scipy import stats

from eqsnn.codegen.numpy_support import (_eqsnn_normal, _eqsnn_uniform, eqsnn_clip,
                                         eqsnn_exprel, eqsnn_mix64)
from eqsnn.compiler import CompilerOptions

SEEDS = [0, 1, 12345, 2**64 - 1]
STREAMS = [0, 3, (7 << 32) + 2, 2**63 - 1]


def _counters(n=20_000):
    # small counters, a run across 2**32, and ones near the top of the range
    top = np.uint64(2**64 - 1) - np.arange(n // 4, dtype=np.uint64)
    return np.concatenate([np.arange(n // 2, dtype=np.uint64),
                           np.uint64(2**32 - 5) + np.arange(n // 4, dtype=np.uint64), top])


def _points(n):
    return np.zeros((n, 3))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("stream", STREAMS)
def test_uniforms_are_bit_identical(harness, seed, stream):
    counters = _counters()
    c = harness.c("rand0", _points(counters.size), seed, stream, counters)
    py = _eqsnn_uniform(seed, stream, counters)
    assert np.array_equal(c.view(np.uint64), py.view(np.uint64))
    # and stream + k for rand(k), as printed
    c7 = harness.c("rand7", _points(counters.size), seed, stream, counters)
    assert np.array_equal(c7, _eqsnn_uniform(seed, stream + 7, counters))


@pytest.mark.parametrize("seed", SEEDS)
def test_normals_agree_to_rounding(harness, seed):
    counters = _counters()
    c = harness.c("randn3", _points(counters.size), seed, 11, counters)
    py = _eqsnn_normal(seed, 11 + 3, counters)
    np.testing.assert_allclose(c, py, rtol=1e-14, atol=1e-15)


def test_scalar_and_array_counters_agree():
    counters = np.arange(10, dtype=np.uint64)
    assert _eqsnn_uniform(5, 6, counters)[3] == _eqsnn_uniform(5, 6, 3)
    assert _eqsnn_normal(5, 6, counters)[3] == _eqsnn_normal(5, 6, 3)


def test_mix64_known_values():
    # splitmix64's finaliser; reference values computed by hand-checked big-int Python
    def reference(z):
        mask = 2**64 - 1
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)
    values = [0, 1, 2**32, 2**64 - 1, 0x9E3779B97F4A7C15]
    assert [int(eqsnn_mix64(v)) for v in values] == [reference(v) for v in values]


def test_uniform_statistics():
    u = _eqsnn_uniform(2024, 1, np.arange(1_000_000, dtype=np.uint64))
    assert u.min() >= 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / u.size)
    assert abs(u.var() - 1 / 12) < 1e-3
    assert stats.kstest(u, "uniform").pvalue > 1e-4
    # neighbouring counters and neighbouring streams are uncorrelated
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5e-3
    other = _eqsnn_uniform(2024, 2, np.arange(1_000_000, dtype=np.uint64))
    assert abs(np.corrcoef(u, other)[0, 1]) < 5e-3
    assert stats.kstest(u[:200_000], other[:200_000]).pvalue > 1e-4


def test_normal_statistics():
    z = _eqsnn_normal(7, (3 << 32) + 1, np.arange(500_000, dtype=np.uint64))
    assert np.all(np.isfinite(z))
    assert abs(z.mean()) < 5 / np.sqrt(z.size)
    assert abs(z.var() - 1) < 0.01
    assert stats.kstest(z, "norm").pvalue > 1e-4
    # normals do not reuse the uniforms of their own stream
    u = _eqsnn_uniform(7, (3 << 32) + 1, np.arange(500_000, dtype=np.uint64))
    assert abs(np.corrcoef(u, z)[0, 1]) < 5e-3


def test_seed_changes_everything():
    a = _eqsnn_uniform(1, 0, np.arange(1000, dtype=np.uint64))
    b = _eqsnn_uniform(2, 0, np.arange(1000, dtype=np.uint64))
    assert np.mean(a == b) < 0.01


EXPREL_POINTS = [0.0, 1e-300, -1e-20, 1e-12, -3e-8, 9.99e-6, -9.99e-6, 1e-5, -1.0001e-5,
                 3e-5, 1e-3, -0.5, 0.5, 1.0, -1.0, 10.0, -10.0, 100.0, -100.0, 700.0,
                 -745.0, -1e6,
                 # where expm1(x) overflows but exprel(x) = (e^x - 1)/x is still finite
                 709.5, 709.8, 710.0, 712.5, 715.0, 716.0]
#: and a dense sweep of both signs, from subnormal magnitudes to 1e3
EXPREL_SWEEP = np.concatenate([-np.logspace(-320, 3, 1500), np.logspace(-320, 3, 1500)])
#: The bound eqsnn promises for exprel on both backends (relative, against 50 digits):
#: ~2 ulp from the formula with a correctly rounded expm1, plus the expm1's own error:
#: eqsnn's 1.5 ulp in C (tests/codegen/test_exp.py), or libmvec's 4 with
#: CompilerOptions(exp="libm"); numpy's below 1.
EXPREL_RTOL = 1e-15


def _exprel_reference(x: float) -> float:
    if x == 0:
        return 1.0
    with mpmath.workdps(50):
        return float(mpmath.expm1(mpmath.mpf(x)) / mpmath.mpf(x))


def _exprel_c(harness, xs):
    # case "fn_exprel" evaluates exprel(4*y - z): choose y so that the argument is x
    points = np.zeros((len(xs), 3))
    points[:, 1] = np.asarray(xs) / 4.0  # exact: division by a power of two
    return harness.c("fn_exprel", points)


def _finite_reference(xs):
    xs = np.asarray(xs, dtype=np.float64)
    expected = np.array([_exprel_reference(x) for x in xs])
    keep = np.isfinite(expected)
    return xs[keep], expected[keep]


def test_exprel_accuracy():
    xs = np.concatenate([EXPREL_POINTS, EXPREL_SWEEP])
    xs, expected = _finite_reference(xs)
    np.testing.assert_allclose(eqsnn_exprel(xs), expected, rtol=EXPREL_RTOL, atol=0)
    assert eqsnn_exprel(0.0) == 1.0
    assert np.isinf(eqsnn_exprel(800.0))
    assert np.isnan(eqsnn_exprel(np.nan))


def test_exprel_accuracy_in_c(harness):
    xs = np.concatenate([EXPREL_POINTS, EXPREL_SWEEP])
    xs = xs[np.abs(xs / 4.0) * 4.0 == np.abs(xs)]  # y = x/4 is exact
    xs, expected = _finite_reference(xs)
    np.testing.assert_allclose(_exprel_c(harness, xs), expected, rtol=EXPREL_RTOL, atol=0)
    assert np.isinf(_exprel_c(harness, [800.0])[0])


def test_exprel_backends_agree_to_rounding(harness):
    """The C loop and its numpy twin compute the same formula (eqsnn's expm1 and numpy's
    may differ in the last bits)."""
    xs = EXPREL_SWEEP[np.abs(EXPREL_SWEEP / 4.0) * 4.0 == np.abs(EXPREL_SWEEP)]
    np.testing.assert_allclose(_exprel_c(harness, xs), eqsnn_exprel(xs), rtol=1e-15, atol=0)


def test_clip_limits_and_propagates_nan():
    x = np.array([-2.0, 0.3, 5.0, np.nan])
    result = eqsnn_clip(x, -1.0, 1.0)
    assert np.array_equal(result[:3], [-1.0, 0.3, 1.0])
    assert np.isnan(result[3])


@pytest.mark.skipif(not (sys.platform.startswith("linux") and platform.machine() == "x86_64"
                         and platform.libc_ver()[0] == "glibc"),
                    reason="libmvec is x86-64 glibc only")
def test_math_loops_are_vectorised(harness):
    # eqsnn_support.h declares glibc's SIMD math, which -fno-finite-math-only would hide:
    # the harness loops (exp, log, cos, …) must call vector variants (_ZGV… symbols: 4 or
    # 8 lanes, _ZGVdN4v_exp or _ZGVeN8v_exp, as -mprefer-vector-width chooses). With the
    # inline exp (the default on AMD with AVX-512) exp is no call (tests/codegen/test_exp.py)
    library = Path(harness.module.__file__).read_bytes()
    if CompilerOptions().exp == "libm":
        assert re.search(rb"_ZGV[bcde]N[248]v_exp", library)
    else:
        assert not re.search(rb"_ZGV[bcde]N[248]v_exp", library)
    assert re.search(rb"_ZGV[bcde]N[248]v_log", library)
