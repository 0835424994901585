"""A compiler probe that runs out of time (a machine busy with other builds) is not "no
compiler": the network runs on numpy with a warning of its own that says what happened
and how to avoid it, the compiler's processes are stopped, and the next network asks
the compiler again (closing note 3: a 120-s probe switched the process to numpy for
the rest of its life, with the "no working C compiler" warning).

The slow compiler is a fake one set as ``CC``: a Python script that answers
``--version`` and compiles with the real compiler, but first sleeps while a flag file
exists.
"""
from __future__ import annotations

import os
import shutil
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from eqsnn.compiler import CompilerOptions, availability
from eqsnn.errors import (CompilerNotFoundWarning, CompilerProbeTimeoutWarning,
                          InvalidValueError)
from eqsnn.runtime.backends import choose_backend

REAL_CC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(REAL_CC is None, reason="needs a C compiler")


@pytest.fixture
def slow_cc(tmp_path, monkeypatch):
    """``CC`` set to a compiler that hangs while ``<tmp>/slow`` exists; the pid of each
    hanging build is written to ``<tmp>/pids``."""
    script = tmp_path / "slowcc"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import os, sys, time
        here = {str(tmp_path)!r}
        if "--version" not in sys.argv and os.path.exists(os.path.join(here, "slow")):
            with open(os.path.join(here, "pids"), "a") as pids:
                pids.write(f"{{os.getpid()}}\\n")
            time.sleep(600)
        os.execv({REAL_CC!r}, [{REAL_CC!r}] + sys.argv[1:])
        """))
    script.chmod(0o755)
    (tmp_path / "slow").touch()
    monkeypatch.setenv("CC", str(script))
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(availability.PROBE_SECONDS_VARIABLE, "1")
    monkeypatch.setattr(availability, "_answers", {})
    return tmp_path


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_a_timed_out_probe_warns_of_itself_and_is_asked_again(slow_cc):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert choose_backend(None) == "numpy"
    assert [type(w.message) for w in caught] == [CompilerProbeTimeoutWarning]
    assert not issubclass(CompilerProbeTimeoutWarning, CompilerNotFoundWarning)
    message = str(caught[0].message)
    for part in (f"the C compiler '{slow_cc / 'slowcc'}' did not build eqsnn's test library "
                 f"within 1 s", "runs on the numpy backend", "asks the compiler again",
                 "EQSNN_COMPILER_PROBE_SECONDS", "backend='c'"):
        assert part in message
    pids = [int(p) for p in (slow_cc / "pids").read_text().split()]
    assert len(pids) == 1 and _gone(pids[0])        # the hanging build was stopped
    assert not list((slow_cc / "cache").glob("compiler-ok-*"))

    # still slow: asked again (a second build started), not answered from memory
    assert availability.compiler_status() == availability.TIMED_OUT
    assert len((slow_cc / "pids").read_text().split()) == 2

    (slow_cc / "slow").unlink()                      # the machine is free again
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert choose_backend(None) == "c"
    assert caught == []
    assert availability.compiler_available()
    assert list((slow_cc / "cache").glob("compiler-ok-*"))   # a success is kept


def test_a_compiler_that_fails_is_still_no_compiler(slow_cc, monkeypatch):
    missing = CompilerOptions(cc=(str(slow_cc / "no-such-cc"),))
    availability.warn_no_compiler.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert choose_backend(None, missing) == "numpy"
    assert [type(w.message) for w in caught] == [CompilerNotFoundWarning]
    assert availability.compiler_status(missing) == availability.FAILED


def test_an_explicit_backend_skips_the_probe(slow_cc):
    assert choose_backend("c") == "c"
    assert not (slow_cc / "pids").exists()


@pytest.mark.parametrize("text", ["0", "-5", "soon", "nan"])
def test_the_probe_time_limit_must_be_a_positive_number(slow_cc, monkeypatch, text):
    monkeypatch.setenv(availability.PROBE_SECONDS_VARIABLE, text)
    with pytest.raises(InvalidValueError, match="EQSNN_COMPILER_PROBE_SECONDS must be a "
                                                "positive number of seconds"):
        availability.compiler_status()


def test_a_sweep_s_note_says_the_compiler_was_slow(slow_cc):
    import socket
    from eqsnn.sweeps.run import _backend
    assert _backend("c", None, None) == (
        "numpy", f"the C compiler's test build timed out on {socket.gethostname()}: ran on "
                 f"the numpy backend")
