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
``-mprefer-vector-width=512`` (x86-64 only)
    on a CPU with AVX-512, vectors of 8 doubles where gcc's tuning for the CPU picks 4:
    half the instructions, and the 8-lane libmvec exp, half the calls. On this project's
    machine (an Intel Rocket Lake, for which gcc picks 4) the HH and COBAHH loops took
    0.72-0.78 of the time at 1 and 2 threads, CUBA 0.90-1.0, Izhikevich 0.94-0.97, AdEx
    0.75-0.85 (``benchmarks/README.md``, "Session 7: inline exp"). Without AVX-512 it
    changes nothing.
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

``exp`` (a field of its own, not a flag)
    ``"libm"``: generated code's exp and expm1 are the C library's (libmvec's in
    vectorised loops, 4 ulp); ``"inline"`` adds ``-DEQSNN_EXP_INLINE``, and they are
    eqsnn's own, inlined and vectorised without a call (``eqsnn_exp``/``eqsnn_expm1`` in
    ``eqsnn_support.h``, within 1.05 and 1.5 ulp, the same value in vector and scalar
    code). Not given: ``EQSNN_EXP`` if set; else with the default flags the faster of
    the two on this CPU (:func:`exp_for_cpu`): ``"inline"`` on AMD CPUs with AVX-512
    (Zen 4 and 5), where a libmvec call's spills cost more than the longer polynomial
    (session 11, Zen 4: the HH and COBAHH loops 0.63-0.95 of the time at 1 thread,
    0.70-0.84 at 2); ``"libm"`` elsewhere (session 7, Intel Rocket Lake: the inline exp
    5-16 % slower; ``benchmarks/README.md``).
    Flags of one's own are used as given: ``"inline"`` where ``-DEQSNN_EXP_INLINE`` is
    among them.

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

import functools
import os
import platform
import shlex
import sys
import sysconfig
from dataclasses import dataclass
from typing import Sequence

from eqsnn.compiler.identity import compiler_identity  # the cached --version banner
from eqsnn.errors import InvalidValueError

__all__ = ["DEFAULT_CFLAGS", "EXP_CHOICES", "CompilerOptions", "default_exp", "exp_for_cpu"]

DEFAULT_CFLAGS: tuple[str, ...] = (
    "-O3", "-ffast-math", "-fno-finite-math-only", "-march=native",
    *(("-mprefer-vector-width=512",) if platform.machine().lower() in ("x86_64", "amd64")
      else ()),
    "--param=vect-max-version-for-alias-checks=100", "-w", "-g0", "-DNDEBUG", "-fopenmp",
)
_GCC_ONLY = ("--param=", "-fopenmp")

#: CompilerOptions(exp=...): the exp and expm1 of generated code, and the flag each adds
EXP_CHOICES: dict[str, tuple[str, ...]] = {"libm": (), "inline": ("-DEQSNN_EXP_INLINE",)}


def exp_for_cpu(cpuinfo: str) -> str:
    """The exp that makes the compiled loops faster on the CPU ``/proc/cpuinfo`` (its
    first processor's block) describes: ``"inline"`` on AMD CPUs with AVX-512 (Zen 4 and
    Zen 5), ``"libm"`` on every other (Intel, AMD without AVX-512, ARM, an unreadable or
    empty text), where it was measured faster or nothing was measured."""
    fields = {}
    for line in cpuinfo.splitlines():
        if not line.strip():
            if fields:
                break  # (the first processor's block: all processors are alike here)
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    amd = fields.get("vendor_id") == "AuthenticAMD"
    return "inline" if amd and "avx512f" in fields.get("flags", "").split() else "libm"


@functools.lru_cache(maxsize=None)
def _exp_of_this_cpu() -> str:
    """exp_for_cpu of this machine's /proc/cpuinfo, read once a process ("libm" where
    there is none)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            return exp_for_cpu(handle.read())
    except OSError:
        return "libm"


def _define_inline(cflags: tuple[str, ...]) -> bool:
    """Whether the flags define EQSNN_EXP_INLINE (eqsnn_support.h then inlines its exp)."""
    return any(f == "-DEQSNN_EXP_INLINE" or f.startswith("-DEQSNN_EXP_INLINE=") for f in cflags)


def _environment_exp() -> str | None:
    """EQSNN_EXP, checked; None if unset or blank."""
    value = os.environ.get("EQSNN_EXP", "").strip()
    if value and value not in EXP_CHOICES:
        raise InvalidValueError(
            f"the environment variable EQSNN_EXP={value!r} is not one of "
            f"{', '.join(map(repr, EXP_CHOICES))}",
            hint="set EQSNN_EXP=libm (the C library's exp) or EQSNN_EXP=inline (eqsnn's), "
                 "or unset it for the default")
    return value or None


def default_exp() -> str:
    """The exp ``CompilerOptions()`` takes with eqsnn's default flags: ``EQSNN_EXP`` if
    set, else this CPU's faster one (:func:`exp_for_cpu`)."""
    return _environment_exp() or _exp_of_this_cpu()


def _chosen_exp(given: str | None, cflags: tuple[str, ...], eqsnns_flags: bool) -> str:
    """CompilerOptions' exp: the one given; else with eqsnn's flags (``eqsnns_flags``)
    default_exp(); else EQSNN_EXP, or what the flags of one's own say."""
    if given is not None:
        exp = given
    elif eqsnns_flags:
        exp = default_exp()
    else:  # (flags used as given)
        exp = _environment_exp() or ("inline" if _define_inline(cflags) else "libm")
    if exp not in EXP_CHOICES:
        raise InvalidValueError(
            f"CompilerOptions(exp={exp!r}) is not one of {', '.join(map(repr, EXP_CHOICES))}",
            hint='exp="libm" (the C library\'s) or exp="inline" (eqsnn\'s)')
    if exp == "libm" and _define_inline(cflags):
        raise InvalidValueError(
            "CompilerOptions: exp is 'libm' (given, or EQSNN_EXP) but the flags define "
            "EQSNN_EXP_INLINE, which compiles eqsnn's own exp",
            hint="leave -DEQSNN_EXP_INLINE out of the flags, or choose exp='inline'")
    return exp


def _default_ldflags(cc: tuple[str, ...]) -> tuple[str, ...]:
    # must match the condition in eqsnn_support.h that declares the SIMD functions
    flags = ("-lm",)
    if (sys.platform.startswith("linux") and platform.machine() == "x86_64"
            and platform.libc_ver()[0] == "glibc"):
        flags += ("-lmvec",)
    return flags if _is_clang(cc) else flags + ("-fopenmp",)


#: Where each field's default comes from: the environment variable, else eqsnn's choice.
_ENVIRONMENT = {"cc": "CC", "cflags": "EQSNN_CFLAGS"}  # (and exp: EQSNN_EXP)


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
    exp
        Whose exp and expm1 generated code calls: ``"libm"`` the C library's (libmvec's,
        within 4 ulp, in vectorised loops); ``"inline"`` eqsnn's, in
        ``eqsnn_support.h``: vectorised without a call, within 1.05 ulp (exp) and 1.5 ulp
        (expm1) of the exact result, and the same value for a neuron in a vector or
        alone. ``"inline"`` appends ``-DEQSNN_EXP_INLINE`` to ``cflags`` (so it is part
        of the cache key). Default: ``EQSNN_EXP`` if set; else, with eqsnn's default
        flags, the faster one on this CPU (:func:`exp_for_cpu`: ``"inline"`` on AMD
        with AVX-512, ``"libm"`` elsewhere), and with flags of your own (``cflags`` or
        ``EQSNN_CFLAGS``, used as given) the one they choose: ``"inline"`` if
        ``-DEQSNN_EXP_INLINE`` is among them, else ``"libm"``. The field holds the
        choice made: ``CompilerOptions().exp`` says which one this machine gets.

    Raises
    ------
    InvalidValueError
        For a field (or the environment variable supplying it) that is not a command or
        a list of flags, e.g. an ``EQSNN_CFLAGS`` with an unclosed quote; an ``exp``
        (or ``EQSNN_EXP``) that is not one of ``"libm"``, ``"inline"``; ``exp="libm"``
        with flags that define ``EQSNN_EXP_INLINE`` (they would compile eqsnn's exp).
    """

    # given as a string, a sequence or None; always a tuple of strings once constructed
    cc: Sequence[str] | str | None = None
    cflags: Sequence[str] | str | None = None
    ldflags: Sequence[str] | str | None = None
    exp: str | None = None

    def __post_init__(self) -> None:
        cc = _words("cc", self.cc) if self.cc is not None else _default_cc()
        if not cc:
            raise InvalidValueError("CompilerOptions(cc=...) is empty",
                                    hint='name a C compiler, e.g. cc="gcc"')
        eqsnns_flags = False  # (whether eqsnn chose the flags: then it chooses the exp)
        if self.cflags is not None:
            cflags = _words("cflags", self.cflags)
        else:
            cflags = _from_environment("cflags")
            if cflags is None:
                eqsnns_flags = True
                cflags = DEFAULT_CFLAGS if not _is_clang(cc) else tuple(
                    f for f in DEFAULT_CFLAGS if not f.startswith(_GCC_ONLY))
        ldflags = _words("ldflags", self.ldflags) if self.ldflags is not None else \
            _default_ldflags(cc)
        exp = _chosen_exp(self.exp, cflags, eqsnns_flags)
        cflags += tuple(f for f in EXP_CHOICES[exp] if not _define_inline(cflags))
        object.__setattr__(self, "cc", cc)
        object.__setattr__(self, "exp", exp)
        object.__setattr__(self, "cflags", cflags)
        object.__setattr__(self, "ldflags", ldflags)

    @classmethod
    def from_environment(cls) -> "CompilerOptions":
        """Every field from its default: ``CC``, ``EQSNN_CFLAGS`` and ``EQSNN_EXP`` where
        set, else eqsnn's. The same as ``CompilerOptions()``, read afresh at each call."""
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
