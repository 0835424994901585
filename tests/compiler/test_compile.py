"""compile_module: builds, caches (memory and disk), locks, survives corruption, reports."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

import eqsnn.compiler as compiler
from eqsnn.compiler import CompilerOptions, compile_module, ensure_built, stats
from eqsnn.compiler import cache as cache_module
from eqsnn.compiler.options import EXP_CHOICES
from eqsnn.errors import CompilationError, CompilerNotFoundWarning


def tiny(tag: str) -> str:
    """A small module whose source differs per test (so every test has its own key)."""
    return f"# {tag}\ndef f(double x):\n    return x + 1.0\n"


MACRO_SOURCE = '''
cdef extern from *:
    """
    #ifndef EQSNN_MAGIC
    #define EQSNN_MAGIC -1
    #endif
    static int magic(void) { return EQSNN_MAGIC; }
    """
    int magic()

def f():
    return magic()
'''


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    """An empty cache directory for this test only."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(directory))
    return directory


def test_compiles_and_caches_in_memory():
    source = tiny("memory")
    module = compile_module(source, name_hint="memory")
    assert module.f(1.5) == 2.5
    before = stats.snapshot()
    again = compile_module(source, name_hint="memory")
    assert again is module
    assert stats.compilations == before.compilations  # a second identical source: 0 new
    assert stats.memory_hits == before.memory_hits + 1


def test_layout_of_a_cache_entry(fresh_cache):
    before = stats.snapshot()
    module = compile_module(tiny("layout"), name_hint="my net!")
    assert stats.compilations == before.compilations + 1
    assert stats.cython_seconds > before.cython_seconds and stats.cc_seconds > before.cc_seconds
    so = Path(module.__file__)
    assert so.parent == fresh_cache and so.name.startswith("_eqsnn_my_net__")
    assert so.with_name(so.name.split(".")[0] + ".pyx").exists()  # source kept to read
    assert not list(fresh_cache.glob("*.c"))  # C deleted (regenerable, 5-10x larger)
    assert not list(fresh_cache.glob(".build-*"))  # no temporary folders left


def test_other_process_loads_from_disk():
    source = tiny("disk")
    compile_module(source, name_hint="disk")
    script = textwrap.dedent(f"""
        from eqsnn.compiler import compile_module, stats
        module = compile_module({source!r}, name_hint="disk")
        print(module.f(1.0), stats.compilations, stats.disk_hits)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env=os.environ.copy()).stdout.split()
    assert out == ["2.0", "0", "1"]  # loaded from disk: no compilation in that process


def test_corrupt_entry_is_rebuilt(fresh_cache):
    source = tiny("corrupt")
    path = ensure_built(source, name_hint="corrupt")  # built, never imported here
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])  # a truncated copy, as after a full disk
    before = stats.snapshot()
    module = compile_module(source, name_hint="corrupt")
    assert module.f(0.0) == 1.0
    assert stats.corrupt_rebuilds == before.corrupt_rebuilds + 1
    assert stats.compilations == before.compilations + 1
    assert path.stat().st_size == len(data)


RACE = textwrap.dedent("""
    import sys, time
    from eqsnn.compiler import compile_module, stats
    import Cython.Compiler.Main  # imported before the start line: both start building at once
    start = float(sys.argv[1])
    while time.time() < start:
        time.sleep(0.001)
    module = compile_module(sys.argv[2], name_hint="race")
    print(module.f(1.0), stats.compilations, stats.disk_hits)
""")


def test_two_processes_build_the_same_module_once(fresh_cache):
    source = tiny(f"race {time.time()}")
    start = time.time() + 2.0
    env = os.environ.copy()
    runs = [subprocess.Popen([sys.executable, "-c", RACE, repr(start), source], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        results.append(out.split())
    assert [r[0] for r in results] == ["2.0", "2.0"]
    assert sorted(int(r[1]) for r in results) == [0, 1]  # one built, the other waited
    assert sorted(int(r[2]) for r in results) == [0, 1]  # … and loaded the result
    assert len(list(fresh_cache.glob("_eqsnn_race_*.so"))) == 1
    assert not list(fresh_cache.glob(".build-*"))


def test_cython_error_reports_first_lines_and_keeps_source(fresh_cache):
    with pytest.raises(CompilationError) as info:
        compile_module("def f(:\n    pass\n", name_hint="syntax")
    message = str(info.value)
    assert "Cython" in message and "Expected" in message
    kept = Path(message.split("generated source kept at ")[1].strip())
    assert kept.exists() and kept.read_text().startswith("def f(:")
    assert len(message.splitlines()) < 25


def test_c_error_reports_first_lines_and_keeps_source(fresh_cache):
    source = 'cdef extern from *:\n    """\n    static int g(void) { return nope; }\n    """\n    int g()\n\ndef f():\n    return g()\n'
    with pytest.raises(CompilationError) as info:
        compile_module(source, name_hint="cerror")
    message = str(info.value)
    assert "C compiler failed" in message and "nope" in message and "error" in message
    assert len(message.splitlines()) < 25
    kept = Path(message.split("generated source kept at ")[1].strip())
    assert kept.exists() and kept.with_suffix(".c").exists()


def test_flags_come_from_options_or_environment(fresh_cache, monkeypatch):
    options = CompilerOptions(cflags=("-O1", "-DEQSNN_MAGIC=42"))
    assert compile_module(MACRO_SOURCE, name_hint="magic", options=options).f() == 42
    monkeypatch.setenv("EQSNN_CFLAGS", "-O0 -DEQSNN_MAGIC=7")
    assert compile_module(MACRO_SOURCE, name_hint="magic").f() == 7
    monkeypatch.delenv("EQSNN_CFLAGS")
    monkeypatch.delenv("EQSNN_EXP", raising=False)
    defaults = CompilerOptions.from_environment()  # (and the flag of this CPU's exp)
    assert defaults.cflags == compiler.DEFAULT_CFLAGS + EXP_CHOICES[defaults.exp]


def test_cache_key_covers_what_shapes_the_binary(monkeypatch):
    default = CompilerOptions()
    key = compiler.cache_key("x = 1\n", default)
    assert compiler.cache_key("x = 2\n", default) != key
    assert compiler.cache_key("x = 1\n", CompilerOptions(cflags=("-O2",))) != key
    assert compiler.cache_key("x = 1\n", CompilerOptions(cc=("cc", "-m64"))) != key
    monkeypatch.setattr(cache_module, "cpu_identity", lambda: "another CPU")
    assert compiler.cache_key("x = 1\n", default) != key


def test_cpu_identity_names_the_cpu():
    from eqsnn.compiler.identity import cpu_identity
    identity = cpu_identity()
    assert identity and ("flags=" in identity or "|" in identity)


def test_loading_a_module_leaves_floating_point_mode_alone():
    # gcc links crtfastmath.o (flush denormals to zero, process-wide) into a shared
    # library linked with -ffast-math; eqsnn links without it
    compile_module(tiny("ftz"), name_hint="ftz")
    assert (np.array([1e-300]) * np.array([1e-10]))[0] != 0.0


def test_compiler_available_and_warning_once(fresh_cache, monkeypatch):
    assert compiler.compiler_available()
    assert not compiler.compiler_available(CompilerOptions(cc=("no-such-compiler-eqsnn",)))
    with monkeypatch.context() as changed:
        changed.setenv("CC", "/nonexistent/cc")      # changed while the program runs
        assert not compiler.compiler_available()
    assert compiler.compiler_available()
    compiler.warn_no_compiler.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compiler.warn_no_compiler()
        compiler.warn_no_compiler()
    assert [type(w.message) for w in caught] == [CompilerNotFoundWarning]
    assert "numpy" in str(caught[0].message)
