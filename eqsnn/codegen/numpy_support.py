"""The numpy twin of ``templates/eqsnn_support.h``.

Generated numpy code calls these functions with the same arguments as the C code calls
their namesakes, and gets the same numbers: uniforms are bit-identical (pure 64-bit
integer arithmetic, then one exact conversion), normals and ``exprel`` agree to
rounding (they go through ``log``/``cos``/``expm1``, whose last bit may differ between
libm and numpy). The algorithm is documented once, in the header.

Only numpy is imported here: the numpy backend imports this module on every run, warm
or cold, and must not pay for SymPy.
"""
from __future__ import annotations

import numpy as np

__all__ = ["eqsnn_mix64", "_eqsnn_uniform", "_eqsnn_normal", "eqsnn_exprel", "eqsnn_clip",
           "eqsnn_exprel_from_exp", "eqsnn_inv_exprel_from_exp", "eqsnn_inv_exprel",
           "eqsnn_floor_quotient", "eqsnn_ceil_quotient", "eqsnn_trunc_quotient",
           "numpy_callable"]

_U64 = np.uint64
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_M1 = _U64(0xBF58476D1CE4E5B9)
_M2 = _U64(0x94D049BB133111EB)
_COUNTER_MULT = _U64(0xD1B54A32D192ED03)
_S30, _S27, _S31, _S11 = _U64(30), _U64(27), _U64(31), _U64(11)
_TWO_M53 = 2.0 ** -53


def eqsnn_mix64(z):
    """splitmix64's finaliser on uint64 scalars or arrays (arithmetic modulo 2**64)."""
    # numpy wraps uint64 overflow silently for arrays but warns for scalars; the
    # wraparound is the intended arithmetic here, as in C.
    with np.errstate(over="ignore"):
        z = np.asarray(z, dtype=_U64)
        z = (z ^ (z >> _S30)) * _M1
        z = (z ^ (z >> _S27)) * _M2
        return z ^ (z >> _S31)


def _key(seed, stream):
    with np.errstate(over="ignore"):
        return eqsnn_mix64(eqsnn_mix64(_U64(seed) ^ _GOLDEN) + _U64(stream))


def _bits(seed, stream, counter):
    with np.errstate(over="ignore"):
        counter = np.asarray(counter, dtype=_U64)
        return eqsnn_mix64(_key(seed, stream) + counter * _COUNTER_MULT)


def _eqsnn_uniform(seed, stream, counter):
    """Uniform numbers in [0, 1), one per counter; bit-identical to ``eqsnn_uniform`` in C.

    Parameters
    ----------
    seed, stream
        uint64 scalars (Python ints are accepted).
    counter
        uint64 scalar or array.

    Returns
    -------
    float64 array shaped like ``counter`` (0-d for a scalar).
    """
    return (_bits(seed, stream, counter) >> _S11).astype(np.float64) * _TWO_M53


def _eqsnn_normal(seed, stream, counter):
    """Standard normal numbers by Box–Muller; the twin of ``eqsnn_normal`` in C."""
    with np.errstate(over="ignore"):
        counter = np.asarray(counter, dtype=_U64)
        other = ~_U64(stream)
        u1 = _eqsnn_uniform(seed, other, _U64(2) * counter)
        u2 = _eqsnn_uniform(seed, other, _U64(2) * counter + _U64(1))
    return np.sqrt(-2.0 * np.log(1.0 - u1)) * np.cos(6.283185307179586 * u2)


def eqsnn_exprel(x):
    """``(exp(x) - 1)/x`` with the value 1 at 0; the formula of ``eqsnn_exprel`` in C
    (documented in ``templates/eqsnn_support.h``)."""
    x = np.asarray(x, dtype=np.float64)
    small = np.abs(x) < 1e-5
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # x is replaced by 1 where small so the unused branch never divides by zero
        safe = np.where(small, 1.0, x)
        half = np.expm1(0.5 * safe)
        return np.where(small, 1.0 + x * (0.5 + x * (1.0 / 6.0)), half * ((half + 2.0) / safe))


_EXPREL_SERIES = 0.25


def _exprel_series(x):
    return 1.0 + x * (1.0 / 2 + x * (1.0 / 6 + x * (1.0 / 24 + x * (1.0 / 120 + x * (
        1.0 / 720 + x * (1.0 / 5040 + x * (1.0 / 40320 + x * (1.0 / 362880 + x * (
        1.0 / 3628800 + x * (1.0 / 39916800 + x * (1.0 / 479001600)))))))))))


def _inv_exprel_series(x):
    x2 = x * x
    return 1.0 - 0.5 * x + x2 * (1.0 / 12 + x2 * (-1.0 / 720 + x2 * (1.0 / 30240 + x2 * (
        -1.0 / 1209600 + x2 * (1.0 / 47900160)))))


def _from_exp(x, p, q, series, formula):
    x = np.asarray(x, dtype=np.float64)
    small = np.abs(x) < _EXPREL_SERIES
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        q = np.minimum(np.asarray(q, dtype=np.float64), 1e200)  # (NaN stays NaN)
        return np.where(small, series(x), formula(x, np.asarray(p, dtype=np.float64), q))


def eqsnn_exprel_from_exp(x, p, q):
    """``exprel(x)`` given ``exp(x) = p/q``; the formula of the C function of that name
    (documented in ``templates/eqsnn_support.h``; q capped at 1e200 as there)."""
    return _from_exp(x, p, q, _exprel_series, lambda x, p, q: (p - q) / (x * q))


def eqsnn_inv_exprel_from_exp(x, p, q):
    """``1/exprel(x) = x*q/(p - q)`` given ``exp(x) = p/q``, as in C."""
    return _from_exp(x, p, q, _inv_exprel_series, lambda x, p, q: x * q / (p - q))


def eqsnn_inv_exprel(x):
    """``1/exprel(x) = x/expm1(x)``, 1 at 0, as in C."""
    x = np.asarray(x, dtype=np.float64)
    small = np.abs(x) < 1e-5
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(small, 1.0 - 0.5 * x + x * x * (1.0 / 12), x / np.expm1(x))


def eqsnn_clip(x, low, high):
    """``x`` limited to ``[low, high]``; NaN propagates (as in the C version)."""
    x = np.where(x < low, low, x)
    return np.where(x > high, high, x)


def eqsnn_floor_quotient(n, q):
    """floor(n/q) of the exact quotient, q a whole number > 1; the twin of the C version
    (``templates/eqsnn_support.h`` says why the rounded quotient is corrected)."""
    r = np.floor(n / q)
    return r + np.where((r + 1.0) * q <= n, 1.0, 0.0) - np.where(r * q > n, 1.0, 0.0)


def eqsnn_ceil_quotient(n, q):
    """ceil(n/q) of the exact quotient; see :func:`eqsnn_floor_quotient`."""
    r = np.ceil(n / q)
    return r - np.where((r - 1.0) * q >= n, 1.0, 0.0) + np.where(r * q < n, 1.0, 0.0)


def eqsnn_trunc_quotient(n, q):
    """n/q rounded toward zero (``int()``), exactly; see :func:`eqsnn_floor_quotient`."""
    return np.where(n < 0.0, eqsnn_ceil_quotient(n, q), eqsnn_floor_quotient(n, q))


def numpy_callable(callee: str):
    """The function a callee of the table of functions names (its ``numpy`` or
    ``evaluate`` spelling): ``"np.exp"`` → ``numpy.exp``, ``"eqsnn_exprel"`` → this
    module's."""
    if callee.startswith("np."):
        return getattr(np, callee[3:])
    if callee.startswith("eqsnn_"):
        return globals()[callee]
    raise KeyError(f"eqsnn internal error: no numpy function {callee!r}")
