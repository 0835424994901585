"""The digests of eqsnn's sources and templates (keys of the derivation and source
caches) are over every matching file's relative name and contents, in path order: the
same as hashing ``sorted(root.rglob(pattern))``, whichever way the files are walked.
The sources' digest is remembered in the cache under the files' names, sizes and times,
and is the digest of what the files hold whenever any of them changed."""
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import eqsnn
from eqsnn import resources
from eqsnn.lowering import cache as build_cache
from eqsnn.lowering.cache import sources_digest
from eqsnn.resources import template_dir, update_with_files


def _by_rglob(root: Path, pattern: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob(pattern)):
        digest.update(str(path.relative_to(root).as_posix()).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(root: Path, pattern: str) -> str:
    digest = hashlib.sha256()
    update_with_files(digest, root, pattern)
    return digest.hexdigest()


def test_eqsnns_sources_and_templates_hash_as_their_sorted_rglob():
    package = Path(eqsnn.__file__).resolve().parent
    assert _digest(package, "*.py") == _by_rglob(package, "*.py")
    assert _digest(Path(template_dir()), "*.j2") == _by_rglob(Path(template_dir()), "*.j2")


def test_names_order_nesting_and_contents_all_count(tmp_path):
    # names that sort differently as strings and as path components ("a-b" < "a/" as
    # text, "a" < "a-b" as components), a file in a folder and one beside it
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.py").write_text("1")
    (tmp_path / "a-b.py").write_text("2")
    (tmp_path / "a_c.py").write_text("3")
    (tmp_path / "notes.txt").write_text("not hashed")
    (tmp_path / "d.py").mkdir()  # a folder with the ending is walked, not read
    (tmp_path / "d.py" / "e.py").write_text("4")
    first = _digest(tmp_path, "*.py")
    expected = hashlib.sha256()
    for name, text in (("a/x.py", "1"), ("a-b.py", "2"), ("a_c.py", "3"), ("d.py/e.py", "4")):
        expected.update(name.encode() + b"\0" + text.encode())
    assert first == expected.hexdigest()
    (tmp_path / "notes.txt").write_text("changed")
    assert _digest(tmp_path, "*.py") == first
    (tmp_path / "a" / "x.py").write_text("5")
    assert _digest(tmp_path, "*.py") != first


# --- the digest of eqsnn's sources, remembered by the files' stat ------------------------

def _tree(root: Path) -> Path:
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("x = 1\n")
    (root / "pkg" / "sub" / "b.py").write_text("y = 2\n")
    (root / "version.py").write_text("__version__ = '1.0'\n")
    return root / "pkg"


def _full(package: Path, extra) -> str:
    digest = hashlib.sha256()
    update_with_files(digest, package, "*.py")
    for path in extra:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _remembered(cache: Path) -> list[Path]:
    return sorted((cache / "digests").glob("*.json")) if (cache / "digests").exists() else []


def _rewrite(path: Path, text: str) -> None:
    """Write ``text`` and make sure the file's time changes (a coarse clock may not)."""
    before = path.stat().st_mtime_ns
    path.write_text(text)
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_the_remembered_digest_is_the_files_digest_until_one_changes(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(cache))
    package = _tree(tmp_path / "src")
    extra = (tmp_path / "src" / "version.py",)
    first = sources_digest(package, "*.py", extra)
    assert first == _full(package, extra)
    [entry] = _remembered(cache)
    # a later process finds it by the stamp alone: a different digest planted in the
    # entry comes back, so the files were not read again
    data = json.loads(entry.read_text())
    entry.write_text(json.dumps(dict(data, digest="planted")))
    assert sources_digest(package, "*.py", extra) == "planted"
    entry.write_text(json.dumps(data))
    # any change is a new stamp and the digest of what the files hold now: the same size
    # with other contents, an extra file changed, a file added, a file removed
    changes = [lambda: _rewrite(package / "a.py", "x = 3\n"),
               lambda: _rewrite(extra[0], "__version__ = '1.1'\n"),
               lambda: (package / "sub" / "c.py").write_text("z = 4\n"),
               lambda: (package / "sub" / "b.py").unlink()]
    seen = {first}
    for change in changes:
        change()
        now = sources_digest(package, "*.py", extra)
        assert now == _full(package, extra) and now not in seen
        seen.add(now)
    assert len(_remembered(cache)) == 1 + len(changes)


def test_an_unusable_cache_only_costs_the_hashing(tmp_path, monkeypatch):
    package = _tree(tmp_path / "src")
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(tmp_path / "not-a-folder"))
    assert sources_digest(package, "*.py") == _full(package, ())
    cache = tmp_path / "cache"
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(cache))
    sources_digest(package, "*.py")
    [entry] = _remembered(cache)
    entry.write_text('{"stamp": "truncat')  # a damaged entry is a miss, and is mended
    assert sources_digest(package, "*.py") == _full(package, ())
    assert json.loads(entry.read_text())["digest"] == _full(package, ())


def test_files_changed_while_hashed_are_not_remembered(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("EQSNN_CACHE_DIR", str(cache))
    package = _tree(tmp_path / "src")
    real = resources.update_with_files

    def hash_then_edit(*args, **kwargs):  # another process saves a file meanwhile
        real(*args, **kwargs)
        _rewrite(package / "a.py", "x = 5\n")

    monkeypatch.setattr(resources, "update_with_files", hash_then_edit)
    sources_digest(package, "*.py")
    assert _remembered(cache) == []
    monkeypatch.setattr(resources, "update_with_files", real)
    assert sources_digest(package, "*.py") == _full(package, ())
    assert len(_remembered(cache)) == 1


def test_eqsnns_own_digest_covers_its_sources_and_sympys_version():
    package = Path(eqsnn.__file__).resolve().parent
    extra = build_cache._sympy_release()
    assert build_cache._code_digest() == _full(package, extra)


WARM_SCRIPT = textwrap.dedent("""
    import eqsnn.resources as resources
    hash_files = resources.update_with_files

    def no_sources(digest, root, pattern, files=None):  # (the templates' digest is fine)
        if pattern == "*.py":
            raise AssertionError("eqsnn's sources were read and hashed again")
        return hash_files(digest, root, pattern, files)

    if GUARD:
        resources.update_with_files = no_sources
    import eqsnn as es
    from eqsnn.units import ms, mV
    group = es.NeuronGroup(20, "dv/dt = (v0 - v)/(10*ms) : volt", threshold="v > -50*mV",
                           reset="v = -60*mV", method="exact", namespace={"v0": -45*mV},
                           seed=1)
    group.v = "-60*mV + rand()*10*mV"
    spikes = es.SpikeMonitor(group)
    es.Network(group, spikes, threads=1, backend="numpy", seed=1).run(2*ms)
    print(spikes.num_spikes)
""")


def test_a_warm_process_does_not_hash_eqsnns_sources(tmp_path):
    env = dict(os.environ, EQSNN_CACHE_DIR=str(tmp_path))
    spikes = []
    for guard in (False, True):  # cold: hashes them (and remembers); warm: must not
        done = subprocess.run([sys.executable, "-c", f"GUARD = {guard}\n" + WARM_SCRIPT],
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        spikes.append(done.stdout.split()[-1])
    assert spikes[0] == spikes[1]
