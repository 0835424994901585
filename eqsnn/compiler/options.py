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

``-lmvec`` (link, x86-64 glibc only)
    glibc's vectorised exp/log/sin/cos/…; ``eqsnn_support.h`` declares them so gcc
    vectorises loops that call them despite ``-fno-finite-math-only``. Without it the
    HH loop runs one neuron at a time.

``-fPIC`` (compile) and ``-shared`` (link) are not options: a Python extension needs them.
Linking is a separate compiler call *without* ``-ffast-math``: gcc < 13 links
``crtfastmath.o`` into a shared library built with ``-ffast-math``, which turns on
flush-to-zero for the whole Python process when the module is imported (and so changes
numpy's results elsewhere).

``EQSNN_CFLAGS`` (a shell-quoted string) replaces the default compile flags; ``CC``
replaces the compiler. Both are read by :meth:`CompilerOptions.from_environment`, the
default; an explicit :class:`CompilerOptions` ignores the environment.
"""
from __future__ import annotations

import os
import platform
import shlex
import sys
import sysconfig
from dataclasses import dataclass, field

from eqsnn.compiler.identity import compiler_identity  # the cached --version banner

__all__ = ["DEFAULT_CFLAGS", "CompilerOptions"]

DEFAULT_CFLAGS: tuple[str, ...] = (
    "-O3", "-ffast-math", "-fno-finite-math-only", "-march=native",
    "--param=vect-max-version-for-alias-checks=100", "-w", "-g0", "-DNDEBUG",
)
_GCC_ONLY = ("--param=",)


def _default_cc() -> tuple[str, ...]:
    # sysconfig's CC may carry options ("gcc -pthread"); keep them
    return tuple(shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"))


def _default_ldflags() -> tuple[str, ...]:
    # must match the condition in eqsnn_support.h that declares the SIMD functions
    if (sys.platform.startswith("linux") and platform.machine() == "x86_64"
            and platform.libc_ver()[0] == "glibc"):
        return ("-lm", "-lmvec")
    return ("-lm",)


@dataclass(frozen=True)
class CompilerOptions:
    """How to turn a ``.pyx`` into an extension module.

    Parameters
    ----------
    cc
        The C compiler command, possibly with options (``("gcc", "-pthread")``).
    cflags
        Compile flags (optimisation, target CPU, warnings).
    ldflags
        Extra link flags (``-shared`` is always added).
    """

    cc: tuple[str, ...] = field(default_factory=_default_cc)
    cflags: tuple[str, ...] = DEFAULT_CFLAGS
    ldflags: tuple[str, ...] = field(default_factory=_default_ldflags)

    @classmethod
    def from_environment(cls) -> "CompilerOptions":
        """The defaults, with ``CC`` and ``EQSNN_CFLAGS`` from the environment applied."""
        env_flags = os.environ.get("EQSNN_CFLAGS")
        if env_flags is not None:
            return cls(cflags=tuple(shlex.split(env_flags)))
        options = cls()
        if _is_clang(options.cc):  # clang has no such --param
            options = cls(cflags=tuple(f for f in DEFAULT_CFLAGS if not f.startswith(_GCC_ONLY)))
        return options


def _is_clang(cc: tuple[str, ...]) -> bool:
    return "clang" in compiler_identity(cc).lower()
