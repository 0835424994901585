"""The compiler's identity (path and ``--version`` banner) is part of every module's cache
key: a compiler that answers slowly must not get another identity (a process that gave up
after 30 s used to key everything under "unknown" and compile every module again)."""
import os
import stat

import pytest

from eqsnn.compiler import identity
from eqsnn.errors import CompilationError


def _fake_compiler(tmp_path, body):
    script = tmp_path / "fakecc"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_a_slow_compiler_is_an_error_not_an_unknown_identity(tmp_path, monkeypatch):
    cc = _fake_compiler(tmp_path, "sleep 1; echo 'fakecc 1.0'")
    monkeypatch.setattr(identity, "VERSION_TIMEOUT_SECONDS", 0.2)
    with pytest.raises(CompilationError, match="did not answer '--version' within 0.2 s"):
        identity.compiler_identity((cc,))
    # not remembered: the next call asks again, and a patient one gets the real banner
    monkeypatch.setattr(identity, "VERSION_TIMEOUT_SECONDS", 60.0)
    assert identity.compiler_identity((cc,)).endswith("|fakecc 1.0")


def test_a_compiler_that_cannot_run_is_unknown(tmp_path):
    missing = str(tmp_path / "no-such-cc")
    assert identity.compiler_identity((missing,)) == f"{missing}||unknown"
    assert not os.path.exists(missing)
