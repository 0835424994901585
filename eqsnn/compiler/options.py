"""How generated modules are compiled: one frozen options object, no global settings.

The default flags are chosen for the loops eqsnn generates (float64 arithmetic over
arrays, branch-free updates), measured on hand-written CUBA and Hodgkin–Huxley loops:

``-O3``
    vectorisation and unrolling of the neuron loops.
``-ffast-math``
    lets gcc reassociate sums and use reciprocal multiplication, and implies
    ``-fno-trapping-math`` and ``-fno-math-errno``, without which gcc keeps the HH loop
    (exp, division) scalar: 3.7× (CUBA) to 7× (HH) faster than ``-O2``. Brian2's default.
``-fno-finite-math-only``
    takes back the one part of ``-ffast-math`` that would break eqsnn: with it gcc may
    assume no NaN/inf and delete the ``isnan`` checks the runtime uses to report
    blow-ups (and NaN-propagating comparisons).
``-march=native``
    AVX2/AVX-512 and FMA on the host CPU. The binary may crash on another CPU, so the
    CPU's identity is part of the cache key (see :mod:`eqsnn.compiler.cache`).
``--param=vect-max-version-for-alias-checks=100`` (gcc only)
    gcc does not trust ``restrict`` on the array pointers the loop declares from its
    table of addresses; it vectorises a neuron loop only behind run-time overlap checks,
    one per pair of arrays, and gives up beyond 10 pairs (its default). COBAHH's update
    (6 state arrays written) stayed scalar — 4× slower than HH's. The checks cost a few
    comparisons per loop and step.
``-w``
    warnings about generated code are not actionable for the user.
``-g0 -DNDEBUG``
    smaller objects, faster compile.
``-fopenmp`` (compile and link; gcc only)
    the loop runs each step on a team of threads (``Network(threads=)``). A compiler
    without it (clang without libomp) builds the same code for one thread.

``-lmvec`` (link, x86-64 glibc only)
    glibc's vectorised exp/log/sin/cos/…; ``eqsnn_support.h`` declares them so gcc
    vectorises loops that call them despite ``-fno-finite-math-only``. Without it the
    HH loop runs one neuron at a time.

``-fPIC`` (compile) and ``-shared`` (link) are not options: a Python extension needs them.
Linking is a separate compiler call *without* ``-ffast-math``: gcc < 13 links
``crtfastmath.o`` into a shared library built with ``-ffast-math``, which turns on
flush-to-zero for the whole Python process when the module is imported (and so changes
numpy's results elsewhere).

:class:`CompilerOptions` passes compiler and flags explicitly (``Network(...,
compiler=CompilerOptions(cflags=...))``). The environment only supplies defaults, for
the fields not given: ``CC`` the compiler, ``EQSNN_CFLAGS`` (a shell-quoted string) the
compile flags. A variable set to an empty or whitespace-only string counts as unset
(``export EQSNN_CFLAGS=`` gives the defaults); ``cflags=()`` compiles without flags.
"""
from __future__ import annotations

import os
import platform
import shlex
import sys
import sysconfig
from dataclasses import dataclass
from typing import Sequence

from eqsnn.compiler.identity import compiler_identity  # the cached --version banner
from eqsnn.errors import InvalidValueError

__all__ = ["DEFAULT_CFLAGS", "CompilerOptions"]

DEFAULT_CFLAGS: tuple[str, ...] = (
    "-O3", "-ffast-math", "-fno-finite-math-only", "-march=native",
    "--param=vect-max-version-for-alias-checks=100", "-w", "-g0", "-DNDEBUG", "-fopenmp",
)
_GCC_ONLY = ("--param=", "-fopenmp")


def _default_ldflags(cc: tuple[str, ...]) -> tuple[str, ...]:
    # must match the condition in eqsnn_support.h that declares the SIMD functions
    flags = ("-lm",)
    if (sys.platform.startswith("linux") and platform.machine() == "x86_64"
            and platform.libc_ver()[0] == "glibc"):
        flags += ("-lmvec",)
    return flags if _is_clang(cc) else flags + ("-fopenmp",)


#: Where each field's default comes from: the environment variable, else eqsnn's choice.
_ENVIRONMENT = {"cc": "CC", "cflags": "EQSNN_CFLAGS"}


@dataclass(frozen=True)
class CompilerOptions:
    """How eqsnn compiles generated code: compiler, compile flags, link flags.

    Pass one to :class:`~eqsnn.Network` (``Network(..., compiler=CompilerOptions(...))``)
    to choose them for that network. A field left out takes its default from the
    environment, then from eqsnn; a field given is used as given (the environment is not
    read for it). Options are frozen and compared by value: networks built with equal
    options share compiled modules.

    Parameters
    ----------
    cc
        The C compiler command, possibly with options: ``"clang"``, ``("gcc", "-pthread")``
        or a shell-quoted string. Default: ``CC``, else the compiler Python was built
        with.
    cflags
        Compile flags (optimisation, target CPU, warnings), replacing eqsnn's
        (:data:`DEFAULT_CFLAGS`, see the module documentation): a sequence of strings or
        one shell-quoted string. Default: ``EQSNN_CFLAGS`` if it holds a flag, else
        :data:`DEFAULT_CFLAGS` (without the gcc-only ``--param`` and ``-fopenmp`` for
        clang): an empty or whitespace-only ``EQSNN_CFLAGS`` counts as unset. ``cflags=()``
        (or ``""``) given here compiles without any flags (gcc's ``-O0``).
    ldflags
        Extra link flags (``-shared`` is always added). Default: ``-lm`` (and ``-lmvec``
        on x86-64 glibc, ``-fopenmp`` with gcc).

    Raises
    ------
    InvalidValueError
        For a field (or the environment variable supplying it) that is not a command or
        a list of flags, e.g. an ``EQSNN_CFLAGS`` with an unclosed quote.
    """

    # given as a string, a sequence or None; always a tuple of strings once constructed
    cc: Sequence[str] | str | None = None
    cflags: Sequence[str] | str | None = None
    ldflags: Sequence[str] | str | None = None

    def __post_init__(self) -> None:
        cc = _words("cc", self.cc) if self.cc is not None else _default_cc()
        if not cc:
            raise InvalidValueError("CompilerOptions(cc=...) is empty",
                                    hint='name a C compiler, e.g. cc="gcc"')
        if self.cflags is not None:
            cflags = _words("cflags", self.cflags)
        else:
            cflags = _from_environment("cflags")
            if cflags is None:
                cflags = DEFAULT_CFLAGS if not _is_clang(cc) else tuple(
                    f for f in DEFAULT_CFLAGS if not f.startswith(_GCC_ONLY))
        ldflags = _words("ldflags", self.ldflags) if self.ldflags is not None else \
            _default_ldflags(cc)
        object.__setattr__(self, "cc", cc)
        object.__setattr__(self, "cflags", cflags)
        object.__setattr__(self, "ldflags", ldflags)

    @classmethod
    def from_environment(cls) -> "CompilerOptions":
        """Every field from its default: ``CC`` and ``EQSNN_CFLAGS`` where set, else
        eqsnn's. The same as ``CompilerOptions()``, read afresh at each call."""
        return cls()


def _words(field: str, value, *, variable: str | None = None) -> tuple[str, ...]:
    """A command or flags as a tuple of strings, from a sequence or a shell-quoted string."""
    where = f"the environment variable {variable}" if variable else f"CompilerOptions({field}=...)"
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError as exc:  # "No closing quotation", "No escaped character"
            raise InvalidValueError(
                f"{where} is not a valid shell-quoted list ({exc}): {value!r}",
                hint="close the quote or escape it with a backslash"
                     + (f", or unset {variable}" if variable else "")) from None
    if isinstance(value, (list, tuple)) and all(isinstance(word, str) for word in value):
        if any("\0" in word for word in value):
            raise InvalidValueError(f"{where} contains a NUL character")
        return tuple(value)
    raise InvalidValueError(f"{where} must be a string or a sequence of strings, not "
                            f"{value!r}", hint='e.g. cflags=("-O2", "-march=native")')


def _from_environment(field: str) -> tuple[str, ...] | None:
    """The field from its environment variable; ``None`` if it is unset, empty or only
    whitespace. A shell's ``export EQSNN_CFLAGS=`` is how users clear a variable, so it
    means eqsnn's defaults, not a build without flags (-O0, several times slower);
    ``CompilerOptions(cflags=())`` is the explicit way to ask for no flags."""
    variable = _ENVIRONMENT[field]
    value = os.environ.get(variable)
    if value is None or not value.strip():
        return None
    return _words(field, value, variable=variable)


def _default_cc() -> tuple[str, ...]:
    # sysconfig's CC may carry options ("gcc -pthread"); keep them
    return _from_environment("cc") or tuple(shlex.split(sysconfig.get_config_var("CC") or "cc"))


def _is_clang(cc: tuple[str, ...]) -> bool:
    return "clang" in compiler_identity(cc).lower()
