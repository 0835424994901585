"""Is there a working C compiler? Asked once per process, answered from disk after the
first time on a machine; a probe that runs out of time is asked again next time."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import warnings
from pathlib import Path

from eqsnn.compiler.cache import cache_dir
from eqsnn.compiler.cleanup import PROBE_PREFIX
from eqsnn.compiler.identity import compiler_identity
from eqsnn.compiler.options import CompilerOptions
from eqsnn.errors import CompilerNotFoundWarning, CompilerProbeTimeoutWarning, InvalidValueError

__all__ = ["compiler_available", "compiler_status", "warn_no_compiler",
           "warn_probe_timed_out", "PROBE_SECONDS", "PROBE_SECONDS_VARIABLE"]

# What a network needs: the compiler, the flags, and linking a shared library with
# the link flags (-lmvec). Network libraries include neither Python.h nor Cython's output,
# so neither the Python headers nor Cython are required.
_PROBE = '#include <math.h>\nint eqsnn_probe(int x) { return x + (int)floor(0.5); }\n'

#: How long the probe may take by default (s): gcc builds it in a tenth of a second on
#: an idle machine, but a machine busy with other builds can take minutes.
PROBE_SECONDS = 120.0
#: The environment variable that sets another limit (seconds, a positive number).
PROBE_SECONDS_VARIABLE = "EQSNN_COMPILER_PROBE_SECONDS"

OK, FAILED, TIMED_OUT = "ok", "failed", "timed out"


def compiler_available(options: CompilerOptions | None = None) -> bool:
    """Whether ``options`` (default: from the environment) can build a network library.

    Checks that the C compiler builds and links a small shared library with the
    configured compile and link flags. A success is remembered in the cache directory,
    so later processes only check that a marker file exists. The answer is kept per set
    of options, not per process: ``CC`` or ``EQSNN_CFLAGS`` changed by a running program
    is seen at the next call. A probe that does not finish in time is not an answer:
    it counts as unavailable for this call only (see :func:`compiler_status`).
    """
    return compiler_status(options) == OK


def compiler_status(options: CompilerOptions | None = None) -> str:
    """``"ok"``, ``"failed"`` (no compiler, or it cannot build the probe) or ``"timed
    out"`` (it did not finish within :func:`probe_seconds`). Only the first two are
    kept for the rest of the process; a timed-out probe is tried again at the next call,
    since the compiler exists and the machine may be less busy then."""
    options = options if options is not None else CompilerOptions.from_environment()
    known = _answers.get(options)
    if known is not None:
        return known
    status = _probe(options, probe_seconds())
    if status != TIMED_OUT:
        _answers[options] = status
    return status


#: The definite answers of this process, per set of options.
_answers: dict[CompilerOptions, str] = {}


def probe_seconds() -> float:
    """The probe's time limit: :data:`PROBE_SECONDS_VARIABLE` if set, else
    :data:`PROBE_SECONDS`."""
    text = os.environ.get(PROBE_SECONDS_VARIABLE)
    if text is None:
        return PROBE_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0:  # (also NaN)
        raise InvalidValueError(
            f"the environment variable {PROBE_SECONDS_VARIABLE} must be a positive number "
            f"of seconds, not {text!r}", hint=f"e.g. {PROBE_SECONDS_VARIABLE}=600, or unset "
            f"it for the default of {PROBE_SECONDS:g} s")
    return seconds


def _probe(options: CompilerOptions, seconds: float) -> str:
    if shutil.which(options.cc[0]) is None:
        return FAILED
    identity = compiler_identity(options.cc) + repr(options.cflags) + repr(options.ldflags)
    directory = cache_dir()
    marker = directory / f"compiler-ok-{hashlib.sha256(identity.encode()).hexdigest()[:16]}"
    if marker.exists():
        return OK
    writable = os.access(directory, os.W_OK)  # a read-only cache: probe elsewhere, no marker
    with tempfile.TemporaryDirectory(dir=directory if writable else None,
                                     prefix=PROBE_PREFIX) as workdir:
        source, so = Path(workdir) / "probe.c", Path(workdir) / "probe.so"
        source.write_text(_PROBE)
        command = list(options.cc) + list(options.cflags) + [
            "-fPIC", "-shared", str(source), "-o", str(so)] + list(options.ldflags)
        status = _run(command, seconds)
    if status == OK and writable:
        with contextlib.suppress(OSError):
            marker.touch()
    return status


def _run(command: list[str], seconds: float) -> str:
    """Run the compiler in a session of its own, so that a timeout stops the whole
    build (gcc's cc1, as, ld) and no child keeps the process waiting."""
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return FAILED
    try:
        return OK if process.wait(timeout=seconds) == 0 else FAILED
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        process.wait()
        return TIMED_OUT


@functools.lru_cache(maxsize=None)
def warn_no_compiler() -> None:
    """Warn, once per process, that eqsnn runs on numpy for lack of a C compiler."""
    warnings.warn(CompilerNotFoundWarning(
        "no working C compiler was found: eqsnn falls back to its numpy backend, which is "
        "slower. Install gcc or clang, or set CC, to use the compiled backend."),
        stacklevel=3)


def warn_probe_timed_out(options: CompilerOptions | None = None) -> None:
    """Warn that the compiler probe timed out, so this network runs on numpy (each time:
    the next network asks the compiler again)."""
    options = options if options is not None else CompilerOptions.from_environment()
    warnings.warn(CompilerProbeTimeoutWarning(
        f"the C compiler {' '.join(options.cc)!r} did not build eqsnn's test library "
        f"within {probe_seconds():g} s (is the machine busy?): this network runs on the "
        f"numpy backend, which is slower; the next network asks the compiler again. To "
        f"wait longer, set {PROBE_SECONDS_VARIABLE} (e.g. to 600); to skip the test, "
        f"pass Network(..., backend='c')."), stacklevel=3)
