"""Test-session fixtures shared by every test package.

One compile cache per test session: every test that compiles a network shares it, so a
model compiled by one test is a cache hit for the next, and the user's own cache is
never touched.
"""
import os
import tempfile

import pytest

_SESSION_CACHE = tempfile.mkdtemp(prefix="eqsnn-test-cache-")
os.environ.setdefault("EQSNN_CACHE_DIR", _SESSION_CACHE)
os.environ.setdefault("MPLBACKEND", "Agg")
# Networks run on one thread unless a test asks for more (tests/runtime/test_threads.py
# does, with 1, 2 and 3): the suite runs on shared machines where a second thread waits
# for a busy core at every step, and results do not depend on the thread count.
os.environ.setdefault("EQSNN_THREADS", "1")


@pytest.fixture(scope="session")
def cache_dir() -> str:
    return os.environ["EQSNN_CACHE_DIR"]
