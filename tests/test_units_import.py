"""eqsnn imports pint without dask: pint.compat would import dask.base (with its config,
YAML, psutil and asyncio) whenever dask is installed, ~0.1 s of every script, for a
pint feature eqsnn never uses. Each case runs in a fresh interpreter, as a user's
script does."""
import subprocess
import sys
import textwrap

import pytest


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_eqsnn_units_does_not_import_dask_and_dask_still_imports_after():
    pytest.importorskip("dask")
    out = _python("""
        import sys
        from eqsnn.units import mV, ms
        print("dask" in sys.modules, sys.modules.get("dask", "absent"))
        import dask, dask.array                      # the mark is gone: a real import
        print(type(dask.array.zeros(3)).__name__, ((2*mV)/(4*ms)).to("volt/second"))
    """)
    assert out.splitlines() == ["False absent", "Array 0.5 V/s"]


def test_a_process_that_imported_dask_first_keeps_pints_dask_support():
    pytest.importorskip("dask")
    out = _python("""
        import dask
        import pint.compat
        from eqsnn.units import mV
        print(pint.compat.HAS_DASK, (3*mV).to("volt").magnitude)
    """)
    assert out == "True 0.003"
