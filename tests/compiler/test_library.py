"""compile_library: plain C network libraries, built once, cached, loaded with ctypes."""
from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from eqsnn import compiler
from eqsnn.compiler import compile_library, stats
from eqsnn.errors import CompilationError

SOURCE = textwrap.dedent("""
    #include <math.h>
    __attribute__((visibility("default"))) double scaled_exp(double x, double k)
    {
        return k * exp(x);
    }
""")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    compiler.clear_memory_cache()
    yield tmp_path
    compiler.clear_memory_cache()


def _call(library, x, k):
    function = library.scaled_exp
    function.restype = ctypes.c_double
    function.argtypes = [ctypes.c_double, ctypes.c_double]
    return function(x, k)


def test_builds_caches_and_keeps_the_source(fresh_cache):
    before = stats.snapshot()
    library = compile_library(SOURCE, name_hint="lib test")
    assert _call(library, 1.0, 2.0) == pytest.approx(2.0 * np.e, rel=1e-15)
    assert stats.compilations == before.compilations + 1
    assert stats.cython_seconds == before.cython_seconds  # no Cython on this path
    again = compile_library(SOURCE, name_hint="lib test")
    assert again is library and stats.memory_hits == before.memory_hits + 1
    kept = list(fresh_cache.glob("_eqsnn_lib_test_*.c"))
    assert len(kept) == 1 and kept[0].read_text() == SOURCE
    assert len(list(fresh_cache.glob("_eqsnn_lib_test_*.so"))) == 1


def test_corrupt_library_is_rebuilt(fresh_cache):
    # built but not loaded here: rewriting a library this process has mapped would
    # crash it, which is exactly what the digest check prevents across processes
    so = compiler.ensure_built(SOURCE, name_hint="corrupt", kind="c")
    so.write_bytes(so.read_bytes()[:100])  # truncated: dlopen would crash, not fail
    before = stats.snapshot()
    library = compile_library(SOURCE, name_hint="corrupt")
    assert stats.corrupt_rebuilds == before.corrupt_rebuilds + 1
    assert _call(library, 0.0, 3.0) == 3.0


def test_c_error_names_the_kept_source(fresh_cache):
    with pytest.raises(CompilationError) as info:
        compile_library("double f(void) { return undefined_name; }\n", name_hint="broken")
    text = str(info.value)
    assert "undefined_name" in text and "_eqsnn_broken_" in text and ".c" in text


def test_loading_a_library_leaves_floating_point_mode_alone(fresh_cache):
    compile_library(SOURCE.replace("k * exp", "k * 1.0 * exp"), name_hint="ftz")
    assert (np.array([1e-300]) * np.array([1e-10]))[0] != 0.0  # no flush-to-zero


COLD_RUN = textwrap.dedent("""
    import json, sys
    import eqsnn as es
    from eqsnn.units import ms
    g = es.NeuronGroup(5, "dv/dt = (1.1 - v)/(10*ms) : 1", threshold="v > 1", reset="v = 0")
    net = es.Network(g, backend="c")
    net.run(20*ms)
    print(json.dumps({"cython": "Cython.Compiler.Main" in sys.modules, "v": g.v.tolist()}))
""")


@pytest.mark.slow
def test_a_cold_network_build_needs_no_cython(tmp_path):
    """Cython compiles only the runner, once for all networks (at pip install; in this
    source checkout, once per cache): a new network is one gcc call, no Cython."""
    env = dict(os.environ, EQSNN_CACHE_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-c", "from eqsnn.compiler.runner import runner; runner()"],
                   check=True, env=env, timeout=300)
    done = subprocess.run([sys.executable, "-c", COLD_RUN], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["cython"] is False
    assert list(tmp_path.glob("_eqsnn_network_*.so"))  # it did compile
