"""Brian2's ``BinomialFunction(n, p)``: a function that draws a binomial number of
successes at every call, usable in any string that may call ``rand()``.

```python
flips = es.BinomialFunction(100, 0.1)
G = es.NeuronGroup(10, "x : 1", namespace={"flips": flips})
G.run_regularly("x = flips()")
```

As in Brian2 (``brian2/input/binomial.py``): with ``approximate=True`` (the default)
and ``n p > 5`` and ``n (1 - p) > 5``, the normal approximation ``n p + sqrt(n p (1 -
p)) z`` (then not a whole number); otherwise an exact binomial by inversion of its
distribution function, tabulated once (for ``min(p, 1 - p)``, up to Brian2's bound
``n P + 10 sqrt(n P (1 - P) + 1)``).

A call ``f()`` in a string is given its random numbers by the parser
(:mod:`eqsnn.equations.expressions`: a user function called without arguments gets
``rand()`` and ``randn()`` of its own call site), so a draw is a pure function of (seed,
operation, call site, step, element), like every random number of eqsnn: the same on
both backends and on any number of threads. The function itself maps the two numbers to
the draw, with the same table in its C and its numpy implementation: an array the
network hands the compiled loop at run time (as it hands over the state), not numbers
written into the generated source.
"""
from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np

from eqsnn import units
from eqsnn.codegen.contribution import Contribution, UserFunction
from eqsnn.errors import InvalidValueError
from eqsnn.runtime.group_setup import _default_name

__all__ = ["BinomialFunction", "binomial_table"]


def binomial_table(n: int, p: float, approximate: bool = True) -> SimpleNamespace:
    """How to draw Binomial(n, p) from one uniform ``u`` (or one normal ``z``), as
    Brian2 draws it: ``normal`` (then ``loc + scale*z``), else the smallest ``k`` with
    ``u <= cdf[k]``, taken as ``n - k`` when ``reverse``."""
    if approximate and n * p > 5 and n * (1 - p) > 5:  # Brian2's normal approximation
        return SimpleNamespace(normal=1, loc=n * p, scale=math.sqrt(n * p * (1 - p)),
                               cdf=np.ones(1), reverse=0)
    reverse = p > 0.5
    P = 1 - p if reverse else p
    q = 1 - P
    bound = int(min(n, n * P + 10 * math.sqrt(n * P * q + 1)))
    if n * math.log(q) > -700:
        pmf = np.empty(bound + 1)
        pmf[0] = math.exp(n * math.log(q))
        for k in range(1, bound + 1):  # P(X = k) from P(X = k - 1), as Brian2's inversion
            pmf[k] = pmf[k - 1] * (n - k + 1) * P / (k * q)
    else:  # P(X = 0) = q^n underflows (Brian2's inversion never ends): from logarithms
        k = np.arange(bound + 1)
        log_factorial = np.vectorize(math.lgamma, otypes=[float])
        pmf = np.exp(math.lgamma(n + 1) - log_factorial(k + 1) - log_factorial(n - k + 1)
                     + k * math.log(P) + (n - k) * math.log(q))
    cdf = np.cumsum(pmf)
    cdf[-1] = 1.0  # (beyond the bound: probability < 1e-20; the bound is taken)
    return SimpleNamespace(normal=0, loc=0.0, scale=0.0, cdf=cdf, reverse=int(reverse))


class BinomialFunction:
    """Draws the number of successes of ``n`` trials of probability ``p`` at each call
    (``f()`` in equations, resets, ``run_regularly``, synaptic code, initialisers).

    Parameters
    ----------
    n
        The number of trials, a whole number >= 0.
    p
        The probability of success of each, in [0, 1].
    approximate
        Use the normal approximation when ``n p > 5`` and ``n (1 - p) > 5`` (Brian2's
        default and rule); ``False`` always draws exactly.
    """

    _eqsnn_function = True
    # how the build stage checks its calls (eqsnn.lowering.calls): the parser gives a
    # call f() its uniform and its normal number, so it arrives with two arguments
    nargs = 2
    arg_dims = (units.DIMENSIONLESS, units.DIMENSIONLESS)
    dim = units.DIMENSIONLESS
    draws = True
    call_example = "f()"

    def __init__(self, n: Any, p: Any, approximate: bool = True, name: str | None = None):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer, float, np.floating)) \
                or not float(n).is_integer() or n < 0:
            raise InvalidValueError(f"the n of a BinomialFunction is a whole number of "
                                    f"trials (>= 0), not {n!r}", hint="BinomialFunction(100, 0.1)")
        magnitude, dim = units.to_si(p)
        if dim != units.DIMENSIONLESS or np.ndim(magnitude) or not 0 <= magnitude <= 1:
            raise InvalidValueError(f"the p of a BinomialFunction is one probability in "
                                    f"[0, 1], not {units.describe(p)}",
                                    hint="BinomialFunction(100, 0.1)")
        self.n, self.p, self.approximate = int(n), float(magnitude), bool(approximate)
        self.name = name or _default_name("binomial")
        self.call_example = f"{self.name}()"
        self._table = binomial_table(self.n, self.p, self.approximate)
        # the draws below the first k with P(X <= k) >= 2^-53 (the smallest nonzero
        # uniform) never happen: the table starts there (a big n p leaves some
        # thousands of entries, not n p + 10 sd), and so does the search
        self._first = int(np.searchsorted(self._table.cdf, 2.0 ** -53, side="left"))
        self._cdf = np.ascontiguousarray(self._table.cdf[self._first:])

    # --- the draw -------------------------------------------------------------------
    def evaluate(self, u, z):
        """The draws for uniforms ``u`` and normals ``z`` (arrays), as the compiled code
        makes them: the numpy backend and string initialisers call this."""
        table = self._table
        if table.normal:
            return table.loc + table.scale * np.asarray(z, dtype=np.float64)
        k = self._first + np.minimum(np.searchsorted(self._cdf, u, side="left"),
                                     self._cdf.size - 1)
        return np.asarray(self.n - k if table.reverse else k, dtype=np.float64)

    def __call__(self, size: int | None = None):
        """Draws from numpy's global generator, as Brian2's Python ``f()`` does (not
        from eqsnn's seeded streams): one number, or ``size`` of them."""
        count = 1 if size is None else int(size)
        u, z = np.random.random_sample(count), np.random.standard_normal(count)
        values = self.evaluate(u, z)
        return float(values[0]) if size is None else values

    # --- code generation ------------------------------------------------------------
    def check_backend(self, backend: str, where: str) -> None:
        """Both backends have it."""

    def _c_code(self, c_name: str) -> str:
        table = self._table
        if table.normal:
            return (f"static double {c_name}(double u, double z)\n{{\n    (void)u;\n"
                    f"    return {table.loc!r} + {table.scale!r} * z;\n}}\n")
        # the table is data (_contribution): at n = 10^6 its 5000-9000 entries written
        # into the source were 125-200 kB of C for gcc to parse at every cold build
        k = f"({self._first} + j)"
        result = f"{self.n} - {k}" if table.reverse else k
        return (f"static double {c_name}(const double* cdf, double u, double z)\n{{\n"
                f"    /* Binomial({self.n}, {self.p!r}) by inversion: the smallest k with "
                f"u <= P(X <= k); cdf[j] = P(X <= {self._first} + j), {self._cdf.size} "
                f"values handed over at run time */\n"
                f"    int64_t j = 0;\n    (void)z;\n"
                f"    while (j < {self._cdf.size - 1} && u > cdf[j]) ++j;\n"
                f"    return (double)({result});\n}}\n")

    def _contribution(self, name: str) -> Contribution:
        """Declare this function once per network, as the module's function ``name``."""
        c = Contribution()
        c_name = f"{name}_binomial"
        python = c.array(f"{name}_py", lambda: np.array(self.evaluate, dtype=object), object)
        # the exact draw's table: an array of the network, like every other one
        data = "" if self._table.normal else c.array(f"{name}_cdf", lambda: self._cdf)
        c.add_function(UserFunction(name, self._c_code(c_name), c_name, python, data=data))
        return c

    def __repr__(self) -> str:
        how = "normal approximation" if self._table.normal else "exact"
        return f"BinomialFunction(n={self.n}, p={self.p}, {how}, name={self.name!r})"
