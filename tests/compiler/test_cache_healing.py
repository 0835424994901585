"""Damaged or orphaned cache entries heal: removed or rebuilt, never an error on every run,
never a dead process. A read-only cache says so.

The read-only tests mount the cache folder read-only in a private mount namespace
(``unshare -rm``, util-linux): root ignores file permissions, so ``chmod`` alone would
not make a folder read-only for the test suite run as root. Where ``unshare`` is not
allowed, a non-root run uses ``chmod``; otherwise they skip, saying why.
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from filelock import FileLock

from eqsnn import compiler
from eqsnn.cli import main as cli_main
from eqsnn.compiler import compile_library, ensure_built, stats
from eqsnn.compiler.integrity import digest_path, elf_complete, write_digest
from eqsnn.compiler.python_modules import load_python_module
from eqsnn.errors import CompilationError, InvalidValueError

REPOSITORY = Path(__file__).resolve().parents[2]

SOURCE = textwrap.dedent("""
    #include <math.h>
    __attribute__((visibility("default"))) double healed(double x) { return 2.0 * exp(x); }
""")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path))
    compiler.clear_memory_cache()
    yield tmp_path
    compiler.clear_memory_cache()


def _child(code: str, cache: Path, *, wrap: list[str] | None = None):
    """Run ``code`` in a fresh Python (a SIGBUS there is a return code, not our death)."""
    env = {**os.environ, "EQSNN_CACHE_DIR": str(cache), "PYTHONPATH": str(REPOSITORY)}
    command = [sys.executable, "-c", textwrap.dedent(code)]
    return subprocess.run((wrap or []) + command, capture_output=True, text=True,
                          env=env, timeout=300, cwd=REPOSITORY)


def test_a_killed_builds_folder_is_removed_by_the_next_build(fresh_cache):
    orphan = fresh_cache / ".build-_eqsnn_network_0123456789abcdef-k1ll3d"
    orphan.mkdir()
    (orphan / "half.o").write_bytes(b"\0" * 100)
    busy = fresh_cache / ".build-_eqsnn_network_fedcba9876543210-inprogress"
    busy.mkdir()
    with FileLock(str(fresh_cache / "_eqsnn_network_fedcba9876543210.lock")):
        compile_library(SOURCE, name_hint="heal")
        assert busy.is_dir()  # its build holds the lock: left alone
    assert not orphan.exists()
    assert not any(p.name.startswith(".build-") and p != busy for p in fresh_cache.iterdir())


def test_cache_clear_removes_orphans_and_numpy_modules(fresh_cache, capsys):
    compile_library(SOURCE, name_hint="heal")
    load_python_module("value = 3\n", name_hint="network")
    (fresh_cache / ".build-_eqsnn_network_0123456789abcdef-k1ll3d").mkdir()
    (fresh_cache / "mine.txt").write_text("not eqsnn's")
    assert cli_main(["cache", "--clear"]) == 0
    assert "removed 1 compiled modules" in capsys.readouterr().out
    assert sorted(p.name for p in fresh_cache.iterdir()) == ["mine.txt"]


@pytest.mark.parametrize("digest", [b"\xff\xfe\x00garbage", b"not hex " * 8, b""])
def test_an_unreadable_digest_means_rebuild(fresh_cache, digest):
    so = ensure_built(SOURCE, name_hint="heal", kind="c")
    digest_path(so).write_bytes(digest)
    before = stats.snapshot()
    library = compile_library(SOURCE, name_hint="heal")
    assert stats.corrupt_rebuilds == before.corrupt_rebuilds + 1
    library.healed.restype = ctypes.c_double
    library.healed.argtypes = [ctypes.c_double]
    assert library.healed(0.0) == 2.0


def test_elf_header_tells_a_cut_library_from_a_whole_one(fresh_cache, tmp_path):
    so = ensure_built(SOURCE, name_hint="heal", kind="c")
    assert elf_complete(so)
    data = so.read_bytes()
    for keep in (len(data) - 1, len(data) // 2, 64, 20, 3):
        cut = tmp_path / f"cut{keep}.so"
        cut.write_bytes(data[:keep])
        assert not elf_complete(cut), keep
    other = tmp_path / "module.py"
    other.write_text("x = 1\n")
    assert elf_complete(other)  # not ELF: the digest alone decides


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF shared libraries")
def test_a_cut_library_with_a_matching_digest_is_rebuilt_not_a_crash(fresh_cache):
    so = ensure_built(SOURCE, name_hint="heal", kind="c")
    so.write_bytes(so.read_bytes()[: so.stat().st_size // 2])  # a full disk while linking
    write_digest(digest_path(so), so)  # ... and the digest taken of what was written
    done = _child("""
        import ctypes, json
        from eqsnn.compiler import compile_library, stats
        library = compile_library(%r, name_hint="heal")
        library.healed.restype = ctypes.c_double
        library.healed.argtypes = [ctypes.c_double]
        print(json.dumps([library.healed(0.0), stats.corrupt_rebuilds]))
    """ % SOURCE, fresh_cache)
    assert done.returncode == 0, f"signal/exit {done.returncode}: {done.stderr[-2000:]}"
    assert json.loads(done.stdout.splitlines()[-1]) == [2.0, 1]


def test_a_cut_numpy_module_is_written_again(fresh_cache):
    source = "def run():\n    return 'the whole module'\n"
    load_python_module(source, name_hint="network")
    (path,) = (fresh_cache / "numpy").glob("_eqsnn_network_*.py")
    path.write_text(source[:20])  # "def run():\n    retu": a SyntaxError as it stands
    done = _child(f"""
        from eqsnn.compiler.python_modules import load_python_module
        print(load_python_module({source!r}, name_hint="network").run())
    """, fresh_cache)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-3:] == ["the", "whole", "module"]
    assert path.read_text() == source


def test_a_cache_folder_that_is_a_file_is_an_eqsnn_error(tmp_path, monkeypatch):
    file = tmp_path / "cache"
    file.write_text("")
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(file))
    with pytest.raises(InvalidValueError, match="is a file") as info:
        compiler.cache_dir()
    assert "EQSNN_CACHE_DIR" in info.value.hint


def _read_only(cache: Path) -> list[str] | None:
    """A command prefix that runs a child with ``cache`` mounted read-only, or None."""
    if shutil.which("unshare"):
        wrap = ["unshare", "-rm", "sh", "-c",
                f'mount --bind "{cache}" "{cache}" && mount -o remount,bind,ro "{cache}" '
                f'&& exec "$0" "$@"']
        probe = subprocess.run(wrap + ["true"], capture_output=True)
        if probe.returncode == 0:
            return wrap
    if os.geteuid() != 0:
        cache.chmod(0o555)
        return []
    return None


NETWORK = """
    import eqsnn as es
    g = es.NeuronGroup(3, "dv/dt = -v/(10*ms) : 1")
    g.v = 1.0
    net = es.Network(g, backend=%r)
    try:
        net.run(1 * es.units.ureg.ms)
        print("ran", round(float(g.v[0]), 4))
    except es.EqsnnError as error:
        print("eqsnn error:", error)
"""


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_cold_read_only_cache_gives_the_read_only_hint(tmp_path, backend):
    cache = tmp_path / "cache"
    cache.mkdir()
    wrap = _read_only(cache)
    if wrap is None:
        pytest.skip("cannot make a folder read-only here (root, and unshare is not allowed)")
    try:
        done = _child(NETWORK % backend, cache, wrap=wrap)
    finally:
        cache.chmod(0o755)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "eqsnn error:" in done.stdout, done.stdout
    assert "read-only" in done.stdout and "EQSNN_CACHE_DIR" in done.stdout


@pytest.mark.slow
def test_a_warm_read_only_cache_still_runs(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    first = _child(NETWORK % "c", cache)
    assert "ran 0.9048" in first.stdout, first.stdout + first.stderr[-2000:]
    wrap = _read_only(cache)
    if wrap is None:
        pytest.skip("cannot make a folder read-only here (root, and unshare is not allowed)")
    try:
        done = _child(NETWORK % "c", cache, wrap=wrap)
    finally:
        cache.chmod(0o755)
    assert "ran 0.9048" in done.stdout, done.stdout + done.stderr[-2000:]
