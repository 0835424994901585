"""The digests of eqsnn's sources and templates (keys of the derivation and source
caches) are over every matching file's relative name and contents, in path order: the
same as hashing ``sorted(root.rglob(pattern))``, whichever way the files are walked."""
import hashlib
from pathlib import Path

import eqsnn
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
